"""Training stage 6, the report: :class:`TrainResult`, what a run hands back to the CLI and the GUI.

``TrainResult.metrics`` is a plain dict because it is also what an adapter file records
(``train.metrics`` in its header, read back by ``rmadapter info`` and the Results page);
:func:`build_metrics` is the one place its keys are written.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import torch

from rmadapter_app.core.config import AdapterConfig, TrainConfig
from rmadapter_app.core.images import Problem
from rmadapter_app.core.train.data import Split
from rmadapter_app.core.train.evaluate import Evaluation, ZeroShot
from rmadapter_app.core.train.fit import SplitFits


@dataclass
class TrainResult:
    """What a training run produced; ``stopped_early`` runs still carry their partial adapter."""

    adapter_state: dict[str, torch.Tensor]   # inference tensors (CPU), keys as in AdapterSet
    adapter_config: AdapterConfig            # resolved layers
    train_config: TrainConfig
    class_names: list[str]
    prompts: list[str]
    metrics: dict[str, Any]                  # see build_metrics
    history: list[dict[str, Any]] = field(default_factory=list)          # the final adapter's steps
    epochs: list[dict[str, Any]] = field(default_factory=list)           # the final adapter's epochs
    val_predictions: list[dict[str, Any]] = field(default_factory=list)  # Evaluation.predictions
    skipped: list[Problem] = field(default_factory=list)
    stopped_early: bool = False


def build_metrics(*, split: Split, zero_shot: ZeroShot, fits: SplitFits, evaluation: Evaluation,
                  n_images: int, n_classes: int, seconds: float, device: str, n_skipped: int) -> dict[str, Any]:
    """The run's numbers under the keys adapter files and the front ends read."""
    return {
        "validation": split.scheme, "validation_reason": split.reason,
        "zero_shot_accuracy": zero_shot.accuracy, "val_accuracy": evaluation.accuracy,
        "fold_accuracies": fits.fold_accuracies, "per_class_accuracy": evaluation.per_class_accuracy,
        "confusion": evaluation.confusion, "n_images": n_images, "n_val": evaluation.n_val,
        "n_classes": n_classes, "steps": fits.final.steps, "planned_steps": fits.final.planned_steps,
        "train_seconds": round(seconds, 2), "device": device, "skipped": n_skipped,
    }
