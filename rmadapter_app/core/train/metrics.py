"""Accuracy, per-class accuracy and confusion matrices from predicted probabilities."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch


def classification_report(probs: torch.Tensor, labels: torch.Tensor,
                          class_names: Sequence[str]) -> dict[str, Any]:
    """Overall accuracy, per-class accuracy (None for a class without images) and the confusion matrix.

    ``confusion[i][j]`` counts images of true class i predicted as class j.
    """
    n = len(class_names)
    confusion = [[0] * n for _ in range(n)]
    if len(labels) == 0:
        return {"accuracy": None, "per_class_accuracy": {c: None for c in class_names}, "confusion": confusion}
    preds = probs.argmax(-1)
    for t, p in zip(labels.tolist(), preds.tolist()):
        confusion[t][p] += 1
    per_class = {}
    for i, name in enumerate(class_names):
        total = sum(confusion[i])
        per_class[name] = confusion[i][i] / total if total else None
    acc = float((preds == labels).float().mean())
    return {"accuracy": acc, "per_class_accuracy": per_class, "confusion": confusion}
