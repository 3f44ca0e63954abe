"""A run's outcome in plain words, for the Train and Results pages (no Qt widgets, only translation).

:func:`headline` is the one sentence a non-expert reads first: "85% correct on 12 images it did not
train on (frozen CLIP: 60%)". :func:`verdict_lines` say whether training helped and what
would help, from the run's own verdict when it carries one (``metrics["verdict"]``), else from the
numbers. :func:`few_images_warning` is said before training, when a class has too few images.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from rmadapter_app.core.project.models import RunReport

FEW_IMAGES = 5                  # below this many images in a class, the figures are rough
NO_GAIN_POINTS = 0.5            # a gain smaller than this is "no better than CLIP"


def _tr(text: str, n: int = -1) -> str:
    return QCoreApplication.translate("RunText", text, "", n)


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def headline(report: RunReport) -> str:
    """"X% correct on N images it did not train on (frozen CLIP: Y%)", or why there is none."""
    evaluation = report.extra.get("evaluation")
    if report.val_accuracy is None:
        if evaluation == "pending":
            return _tr("The model is trained; its accuracy is still being measured.")
        if report.validation == "none":
            return _tr("Accuracy was not measured: there were too few images to hold some back.")
        return _tr("Accuracy was not measured.")
    images = _tr("1 image") if report.n_val == 1 else _tr("{0} images").format(report.n_val)
    if report.validation == "kfold":
        text = _tr("{0} correct on {1} it did not train on, by cross-validation").format(
            pct(report.val_accuracy), images)
    else:
        text = _tr("{0} correct on {1} it did not train on").format(pct(report.val_accuracy), images)
    if report.zero_shot_accuracy is not None:
        text += " " + _tr("(frozen CLIP: {0})").format(pct(report.zero_shot_accuracy))
    return text


def _verdict(report: RunReport) -> dict[str, Any] | None:
    v = report.extra.get("verdict")
    return v if isinstance(v, dict) and isinstance(v.get("summary"), str) else None


def helped(report: RunReport) -> bool | None:
    """Whether training helped, from the run's verdict, else from its gain (None: not known)."""
    v = _verdict(report)
    if v is not None:
        return v.get("helped") if isinstance(v.get("helped"), bool) else None
    gain = report.gain
    return None if gain is None else gain >= NO_GAIN_POINTS


def verdict_lines(report: RunReport, backbone: str = "") -> list[str]:
    """Whether training helped, and (when it did not clearly help) what would: one line each."""
    v = _verdict(report)
    if v is not None:
        advice = [a for a in v.get("advice") or [] if isinstance(a, str)]
        return [v["summary"]] + [_tr("• {0}").format(a) for a in advice]
    gain = report.gain
    if gain is None:
        return []
    points = _tr("{0:+.1f} points").format(gain)
    if gain >= NO_GAIN_POINTS:
        return [_tr("Training helped: {0} against frozen CLIP.").format(points)]
    small = min((n for n in _class_sizes(report) if n), default=0)
    tips = []
    if small and small < 16:
        tips.append(_tr("Add more images: the smallest class has %n; 16 or more per class usually help.", small))
    tips.append(_tr("Add more varied images of each class (other backgrounds, angles, light), like the ones "
                    "you will classify."))
    if "B-32" in backbone or "B/32" in backbone:
        tips.append(_tr("Try a larger model (ViT-B/16): slower, but it knows more."))
    return [_tr("Training did not beat frozen CLIP ({0}): the adapted model is no better on these images.").format(points)] + \
        [_tr("• {0}").format(t) for t in tips]


def _class_sizes(report: RunReport) -> list[int]:
    """Validation images per class, from the confusion matrix (training images are not recorded)."""
    return [sum(row) for row in report.confusion]


def few_images_warning(counts: dict[str, int]) -> str:
    """A warning for the classes with images but fewer than FEW_IMAGES of them ("" when none)."""
    few = [f"{name} ({n})" for name, n in counts.items() if 0 < n < FEW_IMAGES]
    if not few:
        return ""
    return _tr("Few images: {0}. With fewer than {1} images in a class, training helps little and the accuracy "
               "figure is rough. Add more: 10 or more per class is better.").format(", ".join(few), FEW_IMAGES)
