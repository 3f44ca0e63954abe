"""Planning where labeled images go (pure: no file is touched here).

:func:`plan_labeling` decides where each image goes: its class folder, or the ``_uncertain``
bucket when its top confidence is below the threshold (a label corrected by the user wins).
Name clashes never overwrite: the plan renames (``name (1).jpg``) or skips, and says which.
A move never takes a file reached through a symbolic link (it lives outside the chosen folders).
Carrying the plan out, crash-safe and undoable, is :mod:`write`; reports are :mod:`reports`.

The record of one image (:class:`~rmadapter_app.core.prediction.Prediction`) is kept whole in its
:class:`PlanEntry`, which adds only where the image goes; the reports are written from the entries.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from rmadapter_app.core.fileio import PARENS, free_name
from rmadapter_app.core.prediction import Prediction
from rmadapter_app.core.safepath import is_link_free_below

UNCERTAIN = "_uncertain"          # bucket (and folder) of images below the threshold
MODES = ("copy", "move", "none")
_BAD_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


@dataclass(frozen=True)
class PlanEntry:
    """What happens to one image: its record plus where it goes.

    ``action``: copy | move | none | skip | error, or "" for a record that was not planned (a
    report written without a plan).
    """

    record: Prediction                # the labeling result, unchanged
    bucket: str | None                # class name, UNCERTAIN, or None for unreadable files
    dest: Path | None
    action: str
    corrected: bool = False           # the bucket comes from a user correction
    clash: str = ""                   # "" | "renamed" | "skipped" | "link" (a move through a link)
    note: str = ""
    size: int | None = None

    @classmethod
    def unplanned(cls, record: Prediction) -> PlanEntry:
        """An entry that only carries its record (no bucket, destination or action)."""
        return cls(record, None, None, "")

    @property
    def source(self) -> Path:
        return Path(self.record.path)

    @property
    def predicted(self) -> str | None:
        """The model's top label (None for unreadable files)."""
        return None if self.record.error else self.record.label

    @property
    def confidence(self) -> float:
        return 0.0 if self.record.error or self.record.label is None else float(self.record.confidence)

    @property
    def sha256(self) -> str | None:
        return self.record.sha256


@dataclass
class Plan:
    """Every image's destination plus the settings that produced them."""

    entries: list[PlanEntry]
    threshold: float
    out_dir: Path | None
    mode: str
    keep_structure: bool
    class_names: list[str]
    on_clash: str = "rename"
    source_roots: list[Path] = field(default_factory=list)   # absolute, links not resolved

    @property
    def counts(self) -> dict[str, int]:
        """Images per bucket: each class (in class order), then UNCERTAIN."""
        return bucket_counts([e.bucket for e in self.entries], self.class_names)

    @property
    def n_errors(self) -> int:
        return sum(e.action == "error" for e in self.entries)

    @property
    def n_renamed(self) -> int:
        return sum(e.clash == "renamed" for e in self.entries)

    @property
    def n_skipped(self) -> int:
        return sum(e.clash == "skipped" for e in self.entries)

    @property
    def n_links(self) -> int:
        """Files a move leaves alone because they are, or were reached through, a symbolic link."""
        return sum(e.clash == "link" for e in self.entries)

    def by_source(self) -> dict[Path, PlanEntry]:
        return {e.source: e for e in self.entries}


# ---------------------------------------------------------------------- small pure helpers
def portable_folder_name(label: str) -> str:
    """A class (or source subfolder) name made safe as a folder name on every platform.

    Characters Windows forbids become ``_``, trailing dots go, and reserved device names (CON,
    NUL, COM1...) get a trailing ``_``. (A project's class folders use ``project.files.slugify``,
    which makes a slug instead.)
    """
    name = _BAD_CHARS.sub("_", label).strip().rstrip(".")
    if name in ("", ".", ".."):
        name = "_"
    if name.upper() in {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                        *(f"LPT{i}" for i in range(1, 10))}:
        name = f"{name}_"
    return name


def bucket_of(confidence: float, label: str | None, threshold: float) -> str | None:
    """The bucket of one prediction: its label, UNCERTAIN below the threshold, None for errors."""
    if label is None:
        return None
    return label if confidence >= threshold else UNCERTAIN


def bucket_counts(buckets: Iterable[str | None], class_names: Sequence[str] = ()) -> dict[str, int]:
    """Counts per bucket with every class present (zero when empty), UNCERTAIN last."""
    counts = {name: 0 for name in class_names}
    uncertain = 0
    for b in buckets:
        if b is None:
            continue
        if b == UNCERTAIN:
            uncertain += 1
        else:
            counts[b] = counts.get(b, 0) + 1
    counts[UNCERTAIN] = uncertain
    return counts


def confidence_histogram(confidences: Iterable[float], bins: int = 20) -> tuple[np.ndarray, np.ndarray]:
    """(edges [bins+1], counts [bins]) of top confidences over [0, 1]."""
    values = np.asarray([c for c in confidences if c is not None and np.isfinite(c)], dtype=np.float64)
    counts, edges = np.histogram(values, bins=bins, range=(0.0, 1.0))
    return edges, counts


def _source_root(path: Path, roots: Sequence[Path]) -> Path | None:
    """The deepest folder among ``roots`` that contains ``path``."""
    best = None
    for root in roots:
        try:
            path.relative_to(root)
        except ValueError:
            continue
        if root != path and (best is None or len(root.parts) > len(best.parts)):
            best = root
    return best


class _Names:
    """Names present in destination folders (on disk + already planned), compared case-insensitively."""

    def __init__(self):
        self._dirs: dict[Path, set[str]] = {}

    def taken(self, folder: Path) -> set[str]:
        names = self._dirs.get(folder)
        if names is None:
            try:
                names = {e.name.lower() for e in os.scandir(folder)}
            except OSError:
                names = set()
            self._dirs[folder] = names
        return names


# ---------------------------------------------------------------------- planning
def plan_labeling(results: Sequence[Prediction], *, threshold: float, out_dir: Path | None, mode: str = "copy",
                  keep_structure: bool = False, source_roots: Sequence[Path] = (),
                  overrides: Mapping[Path, str] | None = None, on_clash: str = "rename",
                  class_names: Sequence[str] | None = None) -> Plan:
    """Decide each image's bucket and destination without touching any file.

    Args:
        results: :class:`~rmadapter_app.core.prediction.Prediction` records (from ``LabelRun.results``).
        threshold: top confidence below this goes to UNCERTAIN (0 keeps every top label).
        out_dir: output folder (classes become subfolders); may be None when ``mode`` is "none".
        mode: "copy", "move", or "none" (report only).
        keep_structure: keep each file's folders below its source root inside the class folder.
        source_roots: the folders the images were listed from (for ``keep_structure``).
        overrides: path -> corrected label (a class name or UNCERTAIN); wins over the threshold.
        on_clash: "rename" (``name (1).jpg``) or "skip" when the destination name is taken.
        class_names: classes to report in ``counts`` even when empty.

    Raises:
        ValueError: bad mode/threshold, or an output folder inside a source folder.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
    if on_clash not in ("rename", "skip"):
        raise ValueError(f"on_clash must be 'rename' or 'skip', got {on_clash!r}")
    if not 0.0 <= float(threshold) <= 1.0:
        raise ValueError(f"threshold must be between 0 and 1, got {threshold}")
    if mode != "none" and out_dir is None:
        raise ValueError("an output folder is needed to copy or move files")
    roots = [Path(r).resolve() for r in source_roots]
    lexical_roots = [Path(os.path.abspath(r)) for r in source_roots]
    # a move takes files from below these folders only, never through a link (a file named on its
    # own counts as its folder)
    move_roots = [r if r.is_dir() else r.parent for r in lexical_roots]
    out = Path(out_dir).resolve() if out_dir is not None else None
    if out is not None and mode != "none":
        for root in roots:
            if Path(root).is_dir() and (out == root or root in out.parents):
                raise ValueError(f"The output folder {out} is inside the source folder {root}; "
                                 "choose an output folder outside the images being labeled.")
    overrides = {Path(k).resolve(): v for k, v in (overrides or {}).items()}
    names_known = list(class_names) if class_names is not None else []
    seen_classes = set(names_known)
    names = _Names()
    entries: list[PlanEntry] = []
    for r in results:
        src = Path(r.path)
        key = src.resolve()
        size = None
        if r.error or r.label is None:
            entries.append(PlanEntry(r, None, None, "error", note=r.error or "not labeled"))
            continue
        if r.label not in seen_classes:
            seen_classes.add(r.label)
            names_known.append(r.label)
        corrected = key in overrides
        bucket = overrides[key] if corrected else bucket_of(float(r.confidence), r.label, threshold)
        if bucket not in seen_classes and bucket != UNCERTAIN:
            seen_classes.add(bucket)
            names_known.append(bucket)
        if mode == "none":
            entries.append(PlanEntry(r, bucket, None, "none", corrected))
            continue
        folder = out / portable_folder_name(bucket)
        lexical = Path(os.path.abspath(src))
        if keep_structure:
            root, where = _source_root(lexical, lexical_roots), lexical
            if root is None:
                root, where = _source_root(key, roots), key
            if root is not None:
                rel_parent = where.parent.relative_to(root)
                folder = folder.joinpath(*[portable_folder_name(p) for p in rel_parent.parts])
        taken = names.taken(folder)
        name, clash, note = src.name, "", ""
        action = mode
        if mode == "move" and (os.path.islink(lexical)
                               or not any(is_link_free_below(r, lexical) for r in move_roots)):
            action, clash = "skip", "link"
            note = ("not moved: it is a symbolic link, or was reached through one (it lives outside "
                    "the folders you chose); copy it instead")
        elif name.lower() in taken:
            if on_clash == "skip":
                clash, action = "skipped", "skip"
                note = f"skipped: {name} already exists in {folder}"
            else:
                name = free_name(name, lambda n: n.lower() in taken, style=PARENS)
                clash, note = "renamed", f"renamed to {name}: {src.name} already exists in {folder}"
        if action != "skip":
            taken.add(name.lower())
        try:
            size = src.stat().st_size
        except OSError:
            size = None
        entries.append(PlanEntry(r, bucket, folder / name, action, corrected, clash, note, size))
    return Plan(entries, float(threshold), out, mode, bool(keep_structure), names_known, on_clash,
                move_roots)


