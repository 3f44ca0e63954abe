"""Training data: folders of class folders, few-shot subsampling and validation splits."""
from __future__ import annotations

import os
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rmadapter_app.core.errors import DatasetError
from rmadapter_app.core.images import Problem, iter_image_files
from rmadapter_app.core.naming import class_name_from_folder

Sample = tuple[Path, int]
HOLDOUT_MIN_PER_CLASS = 15     # "auto" validation: fewer images in a class -> k-fold (issue 9)


@dataclass(frozen=True)
class ClassFolderData:
    """What :func:`scan_class_folders` found."""

    class_names: list[str]
    samples: list[Sample]
    problems: list[Problem]


def scan_class_folders(root: Path, recursive: bool = True) -> ClassFolderData:
    """One subfolder per class; image files inside (recursively) are that class's samples.

    Raises:
        DatasetError: the folder is missing, unreadable or has no class subfolders.
    """
    root = Path(root)
    if not root.is_dir():
        raise DatasetError(f"{root} is not a folder. Give a folder with one subfolder per class.")
    try:
        subdirs = sorted(e.path for e in os.scandir(root) if e.is_dir() and not e.name.startswith("."))
    except OSError as exc:
        raise DatasetError(f"{root} cannot be read: {exc.strerror or exc}") from exc
    if not subdirs:
        raise DatasetError(f"{root} has no class subfolders. Put each class's images in its own subfolder.")
    problems: list[Problem] = []
    names: list[str] = []
    samples: list[Sample] = []
    for label, sub in enumerate(subdirs):
        names.append(class_name_from_folder(Path(sub).name))
        samples += [(p, label) for p in iter_image_files([sub], recursive, problems)]
    return ClassFolderData(names, samples, problems)


def take_shots(samples: Sequence[Sample], shots: int | None, seed: int) -> list[Sample]:
    """At most ``shots`` samples per class, chosen with a seeded shuffle."""
    if shots is None:
        return list(samples)
    rng = random.Random(seed)
    by_class: dict[int, list[Sample]] = {}
    for s in samples:
        by_class.setdefault(s[1], []).append(s)
    out: list[Sample] = []
    for label in sorted(by_class):
        items = list(by_class[label])
        rng.shuffle(items)
        out += items[:shots]
    return out


@dataclass(frozen=True)
class Split:
    """Indices into a sample list: one holdout split, k folds, or no validation."""

    scheme: str                                    # "holdout" | "kfold" | "none"
    folds: list[tuple[list[int], list[int]]]       # (train indices, validation indices) per fold
    reason: str = ""                               # why this scheme, in words


def make_split(labels: Sequence[int], scheme: str = "auto", val_fraction: float = 0.2,
               folds: int = 5, seed: int = 1) -> Split:
    """Choose and build a validation scheme for few-shot data.

    ``auto``: a stratified holdout split when every class with images has at least
    :data:`HOLDOUT_MIN_PER_CLASS` (15); below that a holdout would take images the saved adapter
    never sees and measure accuracy in coarse steps, so it is stratified k-fold (leave-one-out
    when there are at most ``folds`` images), the saved adapter being trained on every image;
    "none" only when fewer than 2 images exist.
    """
    n = len(labels)
    rng = random.Random(seed)
    by_class: dict[int, list[int]] = {}
    for i, y in enumerate(labels):
        by_class.setdefault(y, []).append(i)
    for idx in by_class.values():
        rng.shuffle(idx)
    if scheme == "auto":
        if n < 2:
            scheme = "none"
        elif n >= 20 and min(len(v) for v in by_class.values()) >= HOLDOUT_MIN_PER_CLASS:
            scheme = "holdout"
        else:
            scheme = "kfold"
    if scheme == "none" or n < 2:
        return Split("none", [(list(range(n)), [])],
                     "no validation: fewer than 2 images" if n < 2 else "validation switched off")
    if scheme == "holdout":
        val: list[int] = []
        for idx in by_class.values():
            k = max(1, round(len(idx) * val_fraction)) if len(idx) >= 2 else 0
            val += idx[:k]
        val_set = set(val)
        train = [i for i in range(n) if i not in val_set]
        return Split("holdout", [(train, sorted(val))],
                     f"holdout: {len(val)} of {n} images kept for validation")
    k = min(folds, n)
    order: list[int] = []
    for label in sorted(by_class):                 # stratify: deal classes round-robin into folds
        order += by_class[label]
    fold_of = {i: j % k for j, i in enumerate(order)}
    result = []
    for f in range(k):
        val = sorted(i for i in range(n) if fold_of[i] == f)
        train = sorted(i for i in range(n) if fold_of[i] != f)
        result.append((train, val))
    name = "leave-one-out" if k == n else f"{k}-fold cross-validation"
    return Split("kfold", result, f"{name} on {n} images: the adapter trains on all of them, and "
                                  f"{k} fits without one part each estimate its accuracy")
