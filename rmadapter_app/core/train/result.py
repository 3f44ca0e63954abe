"""Training stage 6, the report: :class:`TrainResult`, what a run hands back to the CLI and the GUI.

The numbers are typed (:class:`TrainMetrics`); ``TrainResult.metrics`` gives them as the plain dict
an adapter file records (``train.metrics`` in its header, read back by ``rmadapter info`` and the
Results page), with the same keys in the same order as ever.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import torch

from rmadapter_app.core.config import AdapterConfig, TrainConfig
from rmadapter_app.core.images import Problem
from rmadapter_app.core.train.data import Split
from rmadapter_app.core.train.evaluate import Evaluation, ValPrediction, ZeroShot
from rmadapter_app.core.train.fit import SplitFits


@dataclass(frozen=True)
class TrainMetrics:
    """A run's numbers; the field order is the key order of the dict adapter files record."""

    validation: str                              # "holdout" | "kfold" | "none"
    validation_reason: str                       # why that scheme, in words
    zero_shot_accuracy: float | None             # frozen CLIP on the validation images
    val_accuracy: float | None                   # the adapter on the same images (None: none validated)
    fold_accuracies: list[float]                 # k-fold: one per finished fold
    per_class_accuracy: dict[str, float | None]
    confusion: list[list[int]]                   # confusion[true][predicted]
    n_images: int                                # readable images trained on
    n_val: int                                   # images validated
    n_classes: int
    steps: int                                   # steps the final adapter ran
    planned_steps: int
    train_seconds: float
    device: str
    skipped: int                                 # unreadable images left out

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class TrainResult:
    """What a training run produced; ``stopped_early`` runs still carry their partial adapter."""

    adapter_state: dict[str, torch.Tensor]   # inference tensors (CPU), keys as in AdapterSet
    adapter_config: AdapterConfig            # resolved layers
    train_config: TrainConfig
    class_names: list[str]
    prompts: list[str]
    report: TrainMetrics
    history: list[dict[str, Any]] = field(default_factory=list)      # the final adapter's steps (StepEvent values)
    epochs: list[dict[str, Any]] = field(default_factory=list)       # the final adapter's epochs
    val_predictions: list[ValPrediction] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    stopped_early: bool = False

    @property
    def metrics(self) -> dict[str, Any]:
        """``report`` as the plain dict adapter files record (a fresh copy on each call)."""
        return self.report.to_dict()


def build_metrics(*, split: Split, zero_shot: ZeroShot, fits: SplitFits, evaluation: Evaluation,
                  n_images: int, n_classes: int, seconds: float, device: str, n_skipped: int) -> TrainMetrics:
    """The run's numbers, from the results of the stages before."""
    return TrainMetrics(
        validation=split.scheme, validation_reason=split.reason,
        zero_shot_accuracy=zero_shot.accuracy, val_accuracy=evaluation.accuracy,
        fold_accuracies=fits.fold_accuracies, per_class_accuracy=evaluation.per_class_accuracy,
        confusion=evaluation.confusion, n_images=n_images, n_val=evaluation.n_val,
        n_classes=n_classes, steps=fits.final.steps, planned_steps=fits.final.planned_steps,
        train_seconds=round(seconds, 2), device=device, skipped=n_skipped,
    )
