"""Small frozen event objects that long jobs hand to their ``on_event`` hook.

Jobs never print; the CLI writes these to stderr and the GUI turns them into signals.

Events a job may send many times a second (steps, progress, download bytes) say so with the class
attribute ``throttle = True``: a front end may skip all but the latest of a burst, as the GUI's job
runner does. Every other event is delivered as it comes.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar


@dataclass(frozen=True)
class StatusEvent:
    """A phase change or a notice worth showing ("Caching features", a skipped file)."""

    text: str
    level: str = "info"  # "info" | "warning"


@dataclass(frozen=True)
class ProgressEvent:
    """Progress of a phase that is not a training step (feature caching, labeling, ...)."""

    throttle: ClassVar[bool] = True     # high rate: the latest of a burst is enough
    phase: str
    done: int
    total: int


@dataclass(frozen=True)
class LabelProgressEvent(ProgressEvent):
    """Labeling progress with speed: images per second (recent), seconds left, errors, cache hits."""

    images_per_s: float = 0.0
    eta_s: float | None = None
    errors: int = 0
    cached: int = 0


@dataclass(frozen=True)
class DownloadEvent:
    """Bytes received of a backbone download (total 0 when the server does not say)."""

    throttle: ClassVar[bool] = True     # one per chunk
    filename: str
    done_bytes: int
    total_bytes: int


@dataclass(frozen=True)
class DeviceEvent:
    """Which device a job runs on, in words, plus a warning when a GPU is left unused."""

    description: str
    kind: str
    warning: str = ""


@dataclass(frozen=True)
class StepEvent:
    """One optimisation step: every loss term (keys ce, consistency, recon_v, recon_t, total) and the LR."""

    throttle: ClassVar[bool] = True     # one per step; the GUI keeps every step for the plot elsewhere
    step: int
    total_steps: int
    epoch: int
    losses: dict[str, float]
    lr: float
    fold: int | None = None
    seconds: float = 0.0   # wall time since training started
    fit: int = 0           # which training of this run (k-fold: the final adapter, then one per fold)
    fits: int = 1          # how many trainings the run makes in all (for a whole-run ETA)


@dataclass(frozen=True)
class ZeroShotEvent:
    """Frozen CLIP's accuracy on the validation images before training (the baseline)."""

    accuracy: float
    n_images: int
    scheme: str


@dataclass(frozen=True)
class EpochEvent:
    """End of an epoch: train accuracy and, where there is a validation split, validation accuracy."""

    epoch: int
    epochs: int
    train_accuracy: float
    val_accuracy: float | None
    fold: int | None = None


@dataclass(frozen=True)
class FoldEvent:
    """One cross-validation fold finished (few-shot data without a holdout split)."""

    fold: int
    folds: int
    accuracy: float
    n_images: int


@dataclass(frozen=True)
class AdapterReadyEvent:
    """The adapter a run keeps is trained: ``result`` (a ``core.train.result.TrainResult``) can be saved
    and used now.

    In k-fold mode this comes before cross-validation starts (``result.report.evaluation`` is
    "pending" and the accuracy fields are empty); ``train()`` later returns the same adapter with
    the finished estimate. With a holdout split or no validation it comes just before ``train()``
    returns.
    """

    result: Any


@dataclass(frozen=True)
class DoneEvent:
    """A job finished (or stopped early) with a short summary."""

    summary: dict[str, Any] = field(default_factory=dict)


def is_throttled(event: Any) -> bool:
    """True for a high-rate event (its class says ``throttle = True``)."""
    return getattr(type(event), "throttle", False) is True


EventHook = Callable[[Any], None]
StopHook = Callable[[], bool]


def no_event(_event: Any) -> None:
    """Default ``on_event``: ignore."""


def never_stop() -> bool:
    """Default ``should_stop``: never."""
    return False
