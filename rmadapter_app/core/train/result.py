"""Training stage 6, the report: :class:`TrainResult`, what a run hands back to the CLI and the GUI.

The numbers are typed (:class:`TrainMetrics`); ``TrainResult.metrics`` gives them as the plain dict
an adapter file records (``train.metrics`` in its header, read back by ``rmadapter info`` and the
Results page). The first fifteen keys are the ones adapter files always had, in the same order;
the keys after them were added with the automatic learning rate, the per-fold baseline and the
verdict.

A run hands out its result twice: first as soon as the adapter it keeps is trained
(:class:`AdapterReadyEvent`, ``report.evaluation == "pending"`` while cross-validation still
runs), then from ``train()`` with the finished estimate and its :class:`Verdict`.
"""
from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field
from typing import Any

import torch

from rmadapter_app.core.config import AdapterConfig, TrainConfig
from rmadapter_app.core.images import Problem
from rmadapter_app.core.train.data import Split
from rmadapter_app.core.train.evaluate import Evaluation, ValPrediction, ZeroShot, evaluate
from rmadapter_app.core.train.fit import FitOutcome, SplitFits
from rmadapter_app.core.train.prepare import ClassList, PreparedData
from rmadapter_app.core.train.verdict import Verdict


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
    # ---- added with issue 9 (one click that adapts): appended, so older keys keep their order
    zero_shot_fold_accuracies: list[float] = field(default_factory=list)   # frozen CLIP on the same folds
    lr: float | None = None                      # the peak learning rate the adapter trained with
    lr_auto: bool = False                        # True: the automatic rule's; False: set by the user
    lr_groups: dict[str, float] = field(default_factory=dict)   # peak step per layer group (learning_rate.py)
    loss_weights: dict[str, float] = field(default_factory=dict)  # the absolute weights used (after balancing)
    epochs: int = 0                              # passes over the images
    views_per_image: int = 1                     # different views of each image trained on (1: no augmentation)
    changed_predictions: int | None = None       # images whose top class the adapter changed vs frozen CLIP
    evaluation: str = "done"                     # "done" | "pending" (folds still running) | "stopped" | "none"
    verdict: Verdict | None = None               # did training help, in words, with advice

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    # ---- derived figures for display
    @property
    def fold_mean(self) -> float | None:
        """Mean accuracy over the finished folds (k-fold), else None."""
        return statistics.mean(self.fold_accuracies) if self.fold_accuracies else None

    @property
    def fold_spread(self) -> float | None:
        """Standard deviation of the fold accuracies (None for fewer than two folds)."""
        return statistics.pstdev(self.fold_accuracies) if len(self.fold_accuracies) > 1 else None

    @property
    def zero_shot_fold_mean(self) -> float | None:
        return statistics.mean(self.zero_shot_fold_accuracies) if self.zero_shot_fold_accuracies else None

    @property
    def zero_shot_fold_spread(self) -> float | None:
        zs = self.zero_shot_fold_accuracies
        return statistics.pstdev(zs) if len(zs) > 1 else None


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


@dataclass(frozen=True)
class RunFacts:
    """What the report needs besides the split and the fits (the run's settings and outcome)."""

    n_images: int
    n_classes: int
    seconds: float
    device: str
    n_skipped: int
    lr: float | None = None
    lr_auto: bool = False
    lr_groups: dict[str, float] = field(default_factory=dict)
    epochs: int = 0
    views_per_image: int = 1
    loss_weights: dict[str, float] = field(default_factory=dict)


def build_metrics(*, split: Split, zero_shot: ZeroShot, fits: SplitFits, evaluation: Evaluation,
                  n_images: int, n_classes: int, seconds: float, device: str, n_skipped: int,
                  facts: RunFacts | None = None, changed: int | None = None, evaluation_state: str = "done",
                  verdict: Verdict | None = None) -> TrainMetrics:
    """The run's numbers, from the results of the stages before."""
    f = facts or RunFacts(n_images, n_classes, seconds, device, n_skipped)
    return TrainMetrics(
        validation=split.scheme, validation_reason=split.reason,
        zero_shot_accuracy=zero_shot.accuracy, val_accuracy=evaluation.accuracy,
        fold_accuracies=fits.fold_accuracies, per_class_accuracy=evaluation.per_class_accuracy,
        confusion=evaluation.confusion, n_images=n_images, n_val=evaluation.n_val,
        n_classes=n_classes, steps=fits.final.steps, planned_steps=fits.final.planned_steps,
        train_seconds=round(seconds, 2), device=device, skipped=n_skipped,
        zero_shot_fold_accuracies=list(fits.zero_shot_fold_accuracies), lr=f.lr, lr_auto=f.lr_auto,
        lr_groups=dict(f.lr_groups), loss_weights=dict(f.loss_weights), epochs=f.epochs,
        views_per_image=f.views_per_image,
        changed_predictions=changed, evaluation=evaluation_state, verdict=verdict,
    )


@dataclass(frozen=True)
class Reporter:
    """Turns the stages' results into the run's :class:`TrainResult` (when the adapter is ready, and at the end)."""

    cfg: TrainConfig
    split: Split
    zero_shot: ZeroShot
    classes: ClassList
    data: PreparedData
    facts: RunFacts                  # ``seconds`` is filled in when a result is made

    def result(self, fits: SplitFits, evaluation: Evaluation, *, seconds: float, state: str = "done",
               changed: int | None = None, verdict: Verdict | None = None) -> TrainResult:
        """The result of the fits so far; ``state`` is the report's ``evaluation``."""
        from dataclasses import replace

        facts = replace(self.facts, seconds=seconds)
        report = build_metrics(split=self.split, zero_shot=self.zero_shot, fits=fits, evaluation=evaluation,
                               n_images=facts.n_images, n_classes=facts.n_classes, seconds=seconds,
                               device=facts.device, n_skipped=facts.n_skipped, facts=facts, changed=changed,
                               evaluation_state=state, verdict=verdict)
        final = fits.final
        return TrainResult(final.adapter_state, final.adapter_config, self.cfg, self.classes.names,
                           self.classes.prompts, report, final.history, final.epochs, evaluation.predictions,
                           self.data.skipped, fits.stopped)

    def pending(self, final: FitOutcome, *, seconds: float) -> TrainResult:
        """The kept adapter before cross-validation has estimated it (``report.evaluation == "pending"``)."""
        n_classes = len(self.classes.names)
        empty = evaluate(torch.zeros(0, n_classes), self.data.labels[:0], [], self.classes.names, [])
        return self.result(SplitFits(final, torch.zeros(0, n_classes), [], [], final.stopped), empty,
                           seconds=seconds, state="pending")
