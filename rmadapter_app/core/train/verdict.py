"""Did training help? A plain-words verdict with advice, from the run's own numbers.

Training "did not help" when the adapter changed no prediction of frozen CLIP on the user's
images, or when its accuracy estimate (holdout, or the mean over cross-validation folds) is not
above frozen CLIP's on the same images. The advice names what usually helps: more images, more
varied images, a larger backbone.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass, field

ENOUGH_PER_CLASS = 16        # the paper's shots; below this, more images is the first advice
HIGH_ZERO_SHOT = 0.95        # frozen CLIP already this good: little is left to gain


@dataclass(frozen=True)
class Verdict:
    """Whether training helped, in one sentence, and what would help (empty when it clearly did).

    ``helped`` is True or False when the run could judge it, None when it could not (validation
    switched off, or the estimate is still running or was stopped).
    """

    helped: bool | None
    summary: str
    advice: list[str] = field(default_factory=list)


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def spread(values: list[float]) -> float | None:
    """Standard deviation over folds (None for fewer than two)."""
    return statistics.pstdev(values) if len(values) > 1 else None


def advice_for(*, min_per_class: int, zero_shot: float | None, backbone: str | None) -> list[str]:
    """What would most likely help, most useful first."""
    tips = []
    if zero_shot is not None and zero_shot >= HIGH_ZERO_SHOT:
        tips.append(f"Frozen CLIP already gets {_pct(zero_shot)} of these images right, so there is little "
                    "left to gain; adapting helps most where it struggles.")
    if min_per_class < ENOUGH_PER_CLASS:
        tips.append(f"Add more images: the smallest class has {min_per_class}; "
                    f"{ENOUGH_PER_CLASS} or more per class usually help.")
    tips.append("Add more varied images of each class (other backgrounds, angles, lighting, distances), "
                "like the pictures you will label.")
    larger = "ViT-B-16 or ViT-L-14" if backbone and "B-32" in backbone else "a larger one (e.g. ViT-L-14)"
    tips.append(f"Try a larger backbone: {larger} (slower, but it knows more).")
    return tips


def judge(*, scheme: str, zero_shot: float | None, adapted: float | None, fold_accuracies: list[float],
          zero_shot_folds: list[float], changed: int | None, n_images: int, min_per_class: int,
          complete: bool, backbone: str | None = None) -> Verdict:
    """The verdict for a finished (or stopped) run; see the module docstring."""
    tips = advice_for(min_per_class=min_per_class, zero_shot=zero_shot, backbone=backbone)
    if changed == 0:
        return Verdict(False, f"Training did not change anything: the adapted model gives the same answer as "
                              f"frozen CLIP on all {n_images} of your images.", tips)
    if adapted is None or zero_shot is None:
        what = f"It changed {changed} of {n_images} predictions, but " if changed else ""
        why = "validation is switched off" if scheme == "none" else "the estimate did not finish"
        return Verdict(None, f"{what}there is no accuracy estimate because {why}, so it is not known "
                             "whether training helped.", tips if scheme == "none" else [])
    if scheme == "kfold" and fold_accuracies:
        measured = (f"{_pct(adapted)} of held-out images right (mean of {len(fold_accuracies)} "
                    f"cross-validation folds) against {_pct(zero_shot)} for frozen CLIP on the same folds")
    else:
        measured = f"{_pct(adapted)} of held-out images right against {_pct(zero_shot)} for frozen CLIP"
    partial = "" if complete else " (from the folds that finished)"
    if adapted <= zero_shot:
        return Verdict(False, f"Training did not help: the adapted model got {measured}{partial}.", tips)
    fold_sd = spread([a - z for a, z in zip(fold_accuracies, zero_shot_folds)])
    if fold_sd is not None and adapted - zero_shot < fold_sd:
        return Verdict(True, f"Training helped a little: the adapted model got {measured}{partial}; the gain "
                             "is smaller than its spread between folds, so it may be partly chance.", tips)
    return Verdict(True, f"Training helped: the adapted model got {measured}{partial}.", [])


def judge_run(*, scheme: str, fits, evaluation, frozen_probs, labels, changed: int | None, n_classes: int,
              backbone: str | None = None) -> Verdict:
    """:func:`judge` from a run's stage results: frozen CLIP judged on exactly the images the adapter was."""
    import torch

    evaluated = list(fits.evaluated)
    zero = float((frozen_probs[evaluated].argmax(-1) == labels[evaluated]).float().mean()) if evaluated else None
    counts = torch.bincount(labels, minlength=n_classes)
    return judge(scheme=scheme, zero_shot=zero, adapted=evaluation.accuracy, fold_accuracies=fits.fold_accuracies,
                 zero_shot_folds=fits.zero_shot_fold_accuracies, changed=changed, n_images=len(labels),
                 min_per_class=int(counts[counts > 0].min()), complete=not fits.stopped, backbone=backbone)
