"""Turning labeling results into files: plan (pure), apply (copy/move with a journal), undo, reports.

:func:`plan_labeling` decides, without touching any file, where each image goes: its class
folder, or the ``_uncertain`` bucket when its top confidence is below the threshold (a label
corrected by the user wins). Name clashes never overwrite: the plan renames (``name (1).jpg``)
or skips, and says which. :func:`apply_plan` copies (temp name + rename) or moves, and keeps a
JSON journal in the output folder, rewritten atomically as it goes, so :func:`undo` can put
every moved file back and remove exactly the copies it made (checked by size and SHA-256).
"""
from __future__ import annotations

import csv
import errno
import hashlib
import json
import logging
import os
import re
import shutil
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .errors import RMAdapterError
from .events import EventHook, ProgressEvent, StopHook, never_stop, no_event
from .fileio import atomic_write, atomic_write_json, sha256_of_file, unique_path
from .prediction import Prediction

logger = logging.getLogger(__name__)

UNCERTAIN = "_uncertain"          # bucket (and folder) of images below the threshold
JOURNAL_VERSION = 1
JOURNAL_PREFIX = "rmadapter-journal-"
MODES = ("copy", "move", "none")
_BAD_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


@dataclass(frozen=True)
class LabelResult(Prediction):
    """One image's labeling outcome (``label`` None and ``error`` set when it could not be read),
    plus the content hash of the file that was labeled."""

    sha256: str | None = None


@dataclass(frozen=True)
class PlanEntry:
    """What happens to one image. ``action``: copy | move | none | skip | error."""

    source: Path
    predicted: str | None             # the model's top label
    confidence: float
    bucket: str | None                # class name, UNCERTAIN, or None for unreadable files
    dest: Path | None
    action: str
    corrected: bool = False           # the bucket comes from a user correction
    clash: str = ""                   # "" | "renamed" | "skipped"
    note: str = ""
    size: int | None = None
    sha256: str | None = None


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

    def by_source(self) -> dict[Path, PlanEntry]:
        return {e.source: e for e in self.entries}


# ---------------------------------------------------------------------- small pure helpers
def folder_name(label: str) -> str:
    """A class name made safe as a folder name on every platform."""
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


def _free_name(folder: Path, name: str, taken: set[str]) -> str:
    stem, suffix = os.path.splitext(name)
    i = 1
    while True:
        candidate = f"{stem} ({i}){suffix}"
        if candidate.lower() not in taken:
            return candidate
        i += 1


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
def plan_labeling(results: Sequence[Any], *, threshold: float, out_dir: Path | None, mode: str = "copy",
                  keep_structure: bool = False, source_roots: Sequence[Path] = (),
                  overrides: Mapping[Path, str] | None = None, on_clash: str = "rename",
                  class_names: Sequence[str] | None = None) -> Plan:
    """Decide each image's bucket and destination without touching any file.

    Args:
        results: :class:`LabelResult` or :class:`~.inference.Prediction` objects.
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
        sha = getattr(r, "sha256", None)
        if r.error or r.label is None:
            entries.append(PlanEntry(src, None, 0.0, None, None, "error", note=r.error or "not labeled",
                                     sha256=sha))
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
            entries.append(PlanEntry(src, r.label, float(r.confidence), bucket, None, "none", corrected,
                                     sha256=sha))
            continue
        folder = out / folder_name(bucket)
        if keep_structure:
            root = _source_root(key, roots)
            if root is not None:
                rel_parent = key.parent.relative_to(root)
                folder = folder.joinpath(*[folder_name(p) for p in rel_parent.parts])
        taken = names.taken(folder)
        name, clash, note = src.name, "", ""
        action = mode
        if name.lower() in taken:
            if on_clash == "skip":
                clash, action = "skipped", "skip"
                note = f"skipped: {name} already exists in {folder}"
            else:
                name = _free_name(folder, name, taken)
                clash, note = "renamed", f"renamed to {name}: {src.name} already exists in {folder}"
        if action != "skip":
            taken.add(name.lower())
        try:
            size = src.stat().st_size
        except OSError:
            size = None
        entries.append(PlanEntry(src, r.label, float(r.confidence), bucket, folder / name, action, corrected,
                                 clash, note, size, sha))
    return Plan(entries, float(threshold), out, mode, bool(keep_structure), names_known, on_clash)


# ---------------------------------------------------------------------- journal + apply
@dataclass
class Journal:
    """What :func:`apply_plan` did; ``path`` is the JSON file :func:`undo` reads."""

    path: Path | None
    mode: str
    done: int = 0
    failed: list[tuple[Path, str]] = field(default_factory=list)
    stopped: bool = False
    entries: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class UndoResult:
    """How many files :func:`undo` moved back or removed, and what it left alone and why."""

    restored: int = 0
    removed: int = 0
    left: list[tuple[Path, str]] = field(default_factory=list)


def _copy_hashing(src: Path, dst: Path) -> tuple[int, str]:
    """Copy bytes and metadata, hashing on the way; returns (size, sha256)."""
    h = hashlib.sha256()
    size = 0
    with open(src, "rb") as fi, open(dst, "xb") as fo:
        for block in iter(lambda: fi.read(1 << 20), b""):
            h.update(block)
            fo.write(block)
            size += len(block)
    try:
        shutil.copystat(src, dst)
    except OSError:
        pass
    return size, h.hexdigest()


def _temp_name(dest: Path) -> Path:
    return dest.with_name(f".{dest.name}.{os.getpid()}.rmadapter-tmp")


def _next_free(dest: Path) -> Path:
    taken = {p.name.lower() for p in dest.parent.iterdir()} if dest.parent.is_dir() else set()
    return dest.with_name(_free_name(dest.parent, dest.name, taken))


class _JournalWriter:
    """The journal file, rewritten atomically at most every ``interval`` seconds and at the end."""

    def __init__(self, path: Path, payload: dict[str, Any], interval: float = 0.5):
        self.path, self.payload, self.interval = path, payload, interval
        self.last = 0.0
        self.write(force=True)

    def write(self, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self.last >= self.interval:
            self.last = now
            atomic_write_json(self.path, self.payload)


def _journal_path(out_dir: Path) -> Path:
    return unique_path(out_dir, JOURNAL_PREFIX + time.strftime("%Y%m%d-%H%M%S"), ".json")


def _makedirs(folder: Path, created: list[str]) -> None:
    missing = []
    p = folder
    while not p.exists():
        missing.append(p)
        p = p.parent
    folder.mkdir(parents=True, exist_ok=True)
    created.extend(str(m) for m in reversed(missing))


def _do_one(entry: dict[str, Any], mode: str) -> None:
    """Copy or move one file; fills ``dest`` (possibly renamed), ``size`` and ``sha256``."""
    src, dest = Path(entry["src"]), Path(entry["dest"])
    if dest.exists():  # a file appeared after planning: never overwrite it
        if entry.get("on_clash") == "skip":
            raise FileExistsError(f"{dest.name} appeared in {dest.parent} after planning; skipped")
        dest = _next_free(dest)
        entry["dest"] = str(dest)
        entry["note"] = (entry.get("note", "") + f" renamed to {dest.name} (name clash)").strip()
    if mode == "copy":
        tmp = _temp_name(dest)
        tmp.unlink(missing_ok=True)
        try:
            size, sha = _copy_hashing(src, tmp)
            if dest.exists():
                raise FileExistsError(f"{dest} appeared while copying; not overwritten")
            os.replace(tmp, dest)
        finally:
            tmp.unlink(missing_ok=True)
        entry["size"], entry["sha256"] = size, sha
        return
    # move: keep what undo needs to verify the file it moves back
    if entry.get("sha256") is None:
        entry["sha256"] = sha256_of_file(src)
    entry["size"] = src.stat().st_size
    try:
        if dest.exists():
            raise FileExistsError(f"{dest} appeared; not overwritten")
        os.rename(src, dest)
    except OSError as exc:
        if getattr(exc, "errno", None) != errno.EXDEV:  # another disk: copy, verify, then delete
            raise
        tmp = _temp_name(dest)
        tmp.unlink(missing_ok=True)
        try:
            size, sha = _copy_hashing(src, tmp)
            if sha != entry["sha256"]:
                raise OSError(f"{src.name} changed while moving it; left in place") from exc
            os.replace(tmp, dest)
        finally:
            tmp.unlink(missing_ok=True)
        src.unlink()


def apply_plan(plan: Plan, on_event: EventHook | None = None, should_stop: StopHook | None = None) -> Journal:
    """Copy or move the planned files, keeping a journal in the output folder for :func:`undo`.

    Stops between files when ``should_stop()``; files not reached stay where they are.
    Per-file failures are recorded (in the journal and ``Journal.failed``) and do not stop the rest.
    """
    on_event = on_event or no_event
    should_stop = should_stop or never_stop
    todo = [e for e in plan.entries if e.action in ("copy", "move")]
    if plan.mode == "none" or plan.out_dir is None:
        return Journal(None, plan.mode)
    out_dir = Path(plan.out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RMAdapterError(f"The output folder {out_dir} cannot be created ({exc.strerror or exc}). "
                             "Choose another output folder; no file was copied or moved.") from exc
    jpath = _journal_path(out_dir)
    dirs_created: list[str] = []
    records = [{"src": str(e.source), "dest": str(e.dest), "op": e.action, "state": "pending",
                "size": e.size, "sha256": e.sha256, "bucket": e.bucket, "note": e.note,
                "on_clash": plan.on_clash} for e in todo]
    payload = {"format_version": JOURNAL_VERSION, "app": "RMAdapter Studio", "mode": plan.mode,
               "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "out_dir": str(out_dir),
               "threshold": plan.threshold, "complete": False, "undone": False,
               "dirs_created": dirs_created, "entries": records}
    writer = _JournalWriter(jpath, payload)
    journal = Journal(jpath, plan.mode, entries=records)
    phase = "Moving files" if plan.mode == "move" else "Copying files"
    total = len(records)
    for i, rec in enumerate(records):
        if should_stop():
            journal.stopped = True
            break
        try:
            _makedirs(Path(rec["dest"]).parent, dirs_created)
            _do_one(rec, rec["op"])
            rec["state"] = "done"
            journal.done += 1
        except OSError as exc:
            rec["state"] = "failed"
            reason = exc.strerror or str(exc)
            rec["note"] = (rec.get("note", "") + f" failed: {reason}").strip()
            journal.failed.append((Path(rec["src"]), reason))
            logger.warning("could not %s %s: %s", rec["op"], rec["src"], reason)
        writer.write()
        on_event(ProgressEvent(phase, i + 1, total))
    for rec in records:
        if rec["state"] == "pending":
            rec["state"] = "not done"
    payload["complete"] = not journal.stopped
    writer.write(force=True)
    return journal


def _matches(path: Path, rec: dict[str, Any]) -> bool:
    try:
        if rec.get("size") is not None and path.stat().st_size != rec["size"]:
            return False
        return rec.get("sha256") is None or sha256_of_file(path) == rec["sha256"]
    except OSError:
        return False


def undo(journal_path: Path, on_event: EventHook | None = None) -> UndoResult:
    """Put moved files back and delete the copies the journal's run made (verified by size and hash).

    Files changed since, or whose original place is taken again, are left alone and listed.

    Raises:
        RMAdapterError: the journal cannot be read, or was already undone.
    """
    on_event = on_event or no_event
    journal_path = Path(journal_path)
    try:
        payload = json.loads(journal_path.read_text(encoding="utf-8"))
        records = payload["entries"]
        if payload["mode"] not in MODES:
            raise ValueError(f"unknown mode {payload['mode']!r}")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise RMAdapterError(f"{journal_path.name} is not a readable labeling journal ({exc}).") from exc
    if int(payload.get("format_version", 0)) > JOURNAL_VERSION:
        raise RMAdapterError(f"{journal_path.name} was written by a newer RMAdapter Studio; update the app to undo it.")
    if payload.get("undone"):
        raise RMAdapterError(f"{journal_path.name} was already undone.")
    result = UndoResult()
    writer = _JournalWriter(journal_path, payload)
    total = len(records)
    for i, rec in enumerate(reversed(records)):
        state = rec.get("state")
        src, dest = Path(rec["src"]), Path(rec["dest"])
        if state in ("done", "pending") and dest.exists():
            if not _matches(dest, rec):
                result.left.append((dest, "changed since it was written; left in place"))
            elif rec["op"] == "move":
                if src.exists():
                    result.left.append((dest, f"{src} exists again; not overwritten"))
                else:
                    try:
                        src.parent.mkdir(parents=True, exist_ok=True)
                        shutil.move(str(dest), str(src))
                        rec["state"] = "undone"
                        result.restored += 1
                    except OSError as exc:
                        result.left.append((dest, f"could not move back: {exc.strerror or exc}"))
            else:
                try:
                    dest.unlink()
                    rec["state"] = "undone"
                    result.removed += 1
                except OSError as exc:
                    result.left.append((dest, f"could not remove: {exc.strerror or exc}"))
        elif state == "done":
            result.left.append((dest, "no longer there"))
        writer.write()
        on_event(ProgressEvent("Undoing", i + 1, total))
    for folder in sorted(payload.get("dirs_created", []), key=lambda p: -len(Path(p).parts)):
        try:
            Path(folder).rmdir()           # only if empty: never removes other files
        except OSError:
            pass
    payload["undone"] = not result.left
    payload["undo_left"] = [[str(p), why] for p, why in result.left]
    writer.write(force=True)
    return result


def last_journal(out_dir: Path) -> Path | None:
    """The newest journal in an output folder that has not been undone."""
    try:
        candidates = sorted(Path(out_dir).glob(f"{JOURNAL_PREFIX}*.json"), key=lambda p: p.stat().st_mtime)
    except OSError:
        return None
    for path in reversed(candidates):
        try:
            if not json.loads(path.read_text(encoding="utf-8")).get("undone"):
                return path
        except (OSError, ValueError):
            continue
    return None


# ---------------------------------------------------------------------- reports
def _rows(results: Sequence[Any], plan: Plan | None) -> list[dict[str, Any]]:
    by_src = plan.by_source() if plan is not None else {}
    rows = []
    for r in results:
        e = by_src.get(Path(r.path))
        rows.append({
            "path": str(r.path),
            "label": r.label or "",
            "confidence": float(r.confidence) if not r.error else None,
            "top_k": [(n, float(p)) for n, p in r.top],
            "bucket": (e.bucket or "") if e else "",
            "corrected": bool(e.corrected) if e else False,
            "destination": str(e.dest) if e and e.dest and e.action not in ("skip", "error") else "",
            "action": e.action if e else "",
            "note": e.note if e and e.action != "error" else "",
            "error": r.error or "",
        })
    return rows


def write_csv(path: Path, results: Sequence[Any], plan: Plan | None = None) -> Path:
    """One row per image: path, label, confidence, top-k, bucket, destination, action, note, error."""
    rows = _rows(results, plan)
    fields = ["path", "label", "confidence", "top_k", "bucket", "corrected", "destination", "action", "note", "error"]

    def write(tmp: Path) -> None:
        with open(tmp, "w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=fields)
            w.writeheader()
            for row in rows:
                row = dict(row)
                row["confidence"] = "" if row["confidence"] is None else f"{row['confidence']:.4f}"
                row["top_k"] = "; ".join(f"{n}:{p:.4f}" for n, p in row["top_k"])
                w.writerow(row)
    atomic_write(Path(path), write)
    return Path(path)


def write_json(path: Path, results: Sequence[Any], plan: Plan | None = None,
               meta: Mapping[str, Any] | None = None) -> Path:
    """``{"summary": ..., "images": [...]}`` with the same fields as the CSV (top-k as objects)."""
    rows = _rows(results, plan)
    for row in rows:
        row["top_k"] = [{"label": n, "probability": round(p, 6)} for n, p in row["top_k"]]
        if row["confidence"] is not None:
            row["confidence"] = round(row["confidence"], 6)
    summary: dict[str, Any] = {"images": len(rows), "errors": sum(bool(r["error"]) for r in rows)}
    if plan is not None:
        summary.update({"threshold": plan.threshold, "mode": plan.mode, "counts": plan.counts,
                        "renamed": plan.n_renamed, "skipped": plan.n_skipped,
                        "out_dir": str(plan.out_dir) if plan.out_dir else None})
    summary.update(dict(meta or {}))
    atomic_write_json(Path(path), {"summary": summary, "images": rows})
    return Path(path)
