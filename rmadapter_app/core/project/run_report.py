"""A run's numbers, read from the plain dict an adapter file or an evaluation file records.

:class:`RunReport` has the fields of ``core.train.result.TrainMetrics`` (without importing torch) and
tolerates what a file from an older or newer version, or a damaged one, may hold: a missing or
mistyped value gets a neutral default, and keys this version does not know are kept in ``extra``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any


def number(value: Any, lo: float = -math.inf, hi: float = math.inf) -> float | None:
    """``value`` when it is a finite number in [lo, hi], else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value) if lo <= value <= hi else None


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def text(value: Any, limit: int = 2000) -> str:
    """``value`` cut to ``limit`` characters when it is text, else ""."""
    return value[:limit] if isinstance(value, str) else ""


@dataclass(frozen=True)
class RunReport:
    """A run's numbers (the fields of ``core.train.result.TrainMetrics``), read from a plain dict.

    Missing or mistyped values get neutral defaults, so a report from an older or newer version, or
    from a damaged file, still shows what it has. Keys this version does not know (a verdict, the
    learning rate chosen...) are kept in ``extra``.
    """

    validation: str = "none"
    validation_reason: str = ""
    zero_shot_accuracy: float | None = None
    val_accuracy: float | None = None
    fold_accuracies: list[float] = field(default_factory=list)
    per_class_accuracy: dict[str, float | None] = field(default_factory=dict)
    confusion: list[list[int]] = field(default_factory=list)
    n_images: int = 0
    n_val: int = 0
    n_classes: int = 0
    steps: int = 0
    planned_steps: int = 0
    train_seconds: float = 0.0
    device: str = ""
    skipped: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_metrics(cls, metrics: Any) -> RunReport:
        m = metrics if isinstance(metrics, dict) else {}
        folds = m.get("fold_accuracies")
        per_class = m.get("per_class_accuracy")
        confusion = m.get("confusion")
        rows = confusion if isinstance(confusion, list) and all(isinstance(r, list) for r in confusion) else []
        known = set(cls.__dataclass_fields__) - {"extra"}
        return cls(
            validation=text(m.get("validation"), 40) or "none",
            validation_reason=text(m.get("validation_reason")),
            zero_shot_accuracy=number(m.get("zero_shot_accuracy"), 0, 1),
            val_accuracy=number(m.get("val_accuracy"), 0, 1),
            fold_accuracies=[v for v in (number(f, 0, 1) for f in folds) if v is not None]
            if isinstance(folds, list) else [],
            per_class_accuracy={str(k): number(v, 0, 1) for k, v in per_class.items()}
            if isinstance(per_class, dict) else {},
            confusion=[[_int(c) for c in r] for r in rows],
            n_images=_int(m.get("n_images")), n_val=_int(m.get("n_val")), n_classes=_int(m.get("n_classes")),
            steps=_int(m.get("steps")), planned_steps=_int(m.get("planned_steps")),
            train_seconds=number(m.get("train_seconds"), 0) or 0.0, device=text(m.get("device"), 300),
            skipped=_int(m.get("skipped")),
            extra={k: v for k, v in m.items() if k not in known},
        )

    @property
    def gain(self) -> float | None:
        """Accuracy points gained over frozen CLIP on the same images (None when either is unknown)."""
        if self.val_accuracy is None or self.zero_shot_accuracy is None:
            return None
        return 100 * (self.val_accuracy - self.zero_shot_accuracy)


def is_complete(stopped_early: bool, report: RunReport) -> bool:
    """True when the adapter itself finished training: a run not stopped, or one stopped only while
    cross-validation was still measuring an adapter whose own steps had all run."""
    return not stopped_early or 0 < report.planned_steps <= report.steps
