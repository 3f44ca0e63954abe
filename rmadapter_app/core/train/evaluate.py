"""Training stage 5, evaluation: class probabilities from the cache, the zero-shot baseline, the final report.

Everything here reads the plain (validation) view of the cached images, so evaluating costs only
the adapted blocks and the head.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import torch

from rmadapter_app.core.device import DeviceInfo
from rmadapter_app.core.model.encoders import AdaptedCLIP
from rmadapter_app.core.train.data import Split
from rmadapter_app.core.train.feature_cache import FeatureCache, autocast_for
from rmadapter_app.core.train.metrics import classification_report

EVAL_CHUNK = 64
TOP_K = 3


@torch.no_grad()
def predict(model: AdaptedCLIP, features: FeatureCache, idx: Sequence[int], dev: DeviceInfo,
            adapted: bool = True) -> torch.Tensor:
    """Class probabilities [n, C] (float32, CPU) for cached images, adapters on or off."""
    text, images = features.text, features.images
    if len(idx) == 0:
        return torch.zeros(0, text.frozen.shape[0])
    with autocast_for(dev):
        if adapted:
            txt, _ = model.text_suffix(text.prefix, text.tokens)
        else:
            txt = text.frozen
        idx_t = torch.as_tensor(list(idx), device=images.tokens.device)
        probs = []
        for chunk in idx_t.split(EVAL_CHUNK):
            if adapted:
                img, _ = model.image_suffix(images.tokens[chunk, 0].float())
            else:
                img = images.frozen[chunk, 0]
            probs.append(model.logits(img, txt).float().softmax(-1).cpu())   # fp32 under autocast too
    return torch.cat(probs)


def accuracy(probs: torch.Tensor, labels: torch.Tensor) -> float:
    """Share of rows whose most probable class is the label."""
    return float((probs.argmax(-1) == labels).float().mean())


def changed_predictions(adapted_probs: torch.Tensor, frozen_probs: torch.Tensor) -> int:
    """How many images the adapter gives another top class than frozen CLIP does."""
    return int((adapted_probs.argmax(-1) != frozen_probs.argmax(-1)).sum())


@dataclass(frozen=True)
class ZeroShot:
    """Frozen CLIP's accuracy on every image any fold validates on (None without validation images)."""

    accuracy: float | None
    n_images: int


def zero_shot(features: FeatureCache, labels: torch.Tensor, split: Split, dev: DeviceInfo) -> ZeroShot:
    """The baseline the adapter has to beat, from the cached frozen features alone."""
    val_all = sorted({i for _, val in split.folds for i in val})
    probs = predict(features.model, features, val_all, dev, adapted=False)
    return ZeroShot(accuracy(probs, labels[val_all]) if val_all else None, len(val_all))


@dataclass(frozen=True)
class ValPrediction:
    """How the adapter saw one validation image."""

    path: str
    label: int                          # the true class
    pred: int                           # the predicted class
    top: list[tuple[int, float]]        # the most probable classes, best first: (class, probability)

    @property
    def correct(self) -> bool:
        return self.pred == self.label


@dataclass(frozen=True)
class Evaluation:
    """The adapter judged on its validation images (every fold's, in k-fold mode)."""

    accuracy: float | None                     # None when no image was validated
    per_class_accuracy: dict[str, float | None]
    confusion: list[list[int]]                 # confusion[true][predicted]
    n_val: int
    predictions: list[ValPrediction] = field(default_factory=list)


def evaluate(val_probs: torch.Tensor, labels: torch.Tensor, evaluated: Sequence[int],
             class_names: Sequence[str], paths: Sequence[Path]) -> Evaluation:
    """Accuracy, per-class accuracy, confusion and per-image top predictions of the evaluated images.

    ``val_probs`` has a row per image of the run; only the rows in ``evaluated`` are read.
    """
    evaluated = list(evaluated)
    report = classification_report(val_probs[evaluated], labels[evaluated], class_names)
    preds = []
    for i in evaluated:
        p = val_probs[i]
        top = torch.topk(p, min(TOP_K, len(class_names)))
        preds.append(ValPrediction(str(paths[i]), int(labels[i]), int(p.argmax()),
                                   [(int(c), float(v)) for v, c in zip(top.values, top.indices)]))
    return Evaluation(report["accuracy"] if evaluated else None, report["per_class_accuracy"],
                      report["confusion"], len(evaluated), preds)
