"""Copying or moving labeled images into class folders, crash-safe, and undoing it without losing a file.

The rules (docs/DESIGN.md, "Your files are safe"):

* Every destination lies inside the output folder, with no symbolic link between them; only
  folders below the output folder are created. A move takes a file only from inside a source
  folder the user chose, never through a link, and never moves a link.
* Nothing is overwritten: a copy is written to a temporary name and *hard-linked* into place
  (which fails when the name is taken), a move is a link plus an unlink (or a rename after a
  check where the file system has no hard links).
* Write-ahead: the journal (:mod:`journal`) records each operation before it starts, when a
  copy's bytes are complete (with the temporary file's identity), and when it is done. A run
  killed at any point is resolved by the next run or undo into the same folder: finished
  operations are recorded as done, half-done ones are rolled back, temporary files removed.
* Undo touches a destination only when it is exactly the file the run wrote (inode, size,
  modification time and SHA-256 as recorded). It deletes a copy only while its original is still
  there with the same bytes, so it never deletes the last copy of an image; a move goes back only
  to an empty place inside a recorded source folder.
"""
from __future__ import annotations

import errno
import logging
import os
import stat
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rmadapter_app.core.errors import RMAdapterError
from rmadapter_app.core.events import EventHook, ProgressEvent, StopHook, never_stop, no_event
from rmadapter_app.core.fileio import PARENS, free_path
from rmadapter_app.core.label.file_ops import Skip, copy_to_new, place, put_back, regular, remove_own_tmp, sha256
from rmadapter_app.core.label.journal import (
    FORMAT_VERSION,
    Entry,
    JournalError,
    JournalInUse,
    JournalWriter,
    RunLog,
    UndoResult,
    identity,
    journals_in,
    new_journal_path,
    new_run_id,
    read_journal,
    same_file,
)
from rmadapter_app.core.label.journal_v1 import is_v1, undo_v1
from rmadapter_app.core.safepath import UnsafePathError, check_inside, is_link_free_below

logger = logging.getLogger(__name__)


@dataclass
class Journal:
    """What :func:`apply_plan` did; ``path`` is the journal :func:`undo` reads."""

    path: Path | None
    mode: str
    done: int = 0
    failed: list[tuple[Path, str]] = field(default_factory=list)
    stopped: bool = False
    recovered: list[str] = field(default_factory=list)   # what resolving an earlier crashed run did


def _tmp_for(dest: Path, run: str) -> Path:
    return dest.with_name(f".{dest.name}.{run[:12]}.rmadapter-tmp")


def _makedirs(out_dir: Path, folder: Path, writer: JournalWriter) -> None:
    """Create ``folder`` and its missing parents, all inside ``out_dir``; each is journaled first."""
    check_inside(out_dir, folder) if folder != out_dir else None
    missing = []
    p = folder
    while p != out_dir and not os.path.lexists(p):
        missing.append(p)
        p = p.parent
    for m in reversed(missing):
        writer.append({"t": "mkdir", "path": str(m)})
        os.mkdir(m)
    check_inside(out_dir, folder / "x") if folder != out_dir else None   # no link on the way, now it exists


# ---------------------------------------------------------------------- copy and move
class _Runner:
    """Carries out one run's operations and journals each step."""

    def __init__(self, writer: JournalWriter, run: str, out_dir: Path, roots: Sequence[Path], on_clash: str):
        self.w, self.run, self.out, self.roots, self.on_clash = writer, run, out_dir, list(roots), on_clash

    def destination(self, dest: Path) -> Path:
        check_inside(self.out, dest)
        _makedirs(self.out, dest.parent, self.w)
        if os.path.lexists(dest):       # a file appeared after planning: never overwrite it
            if self.on_clash == "skip":
                raise Skip(f"{dest.name} already exists in {dest.parent}; skipped")
            dest = free_path(dest, style=PARENS)     # "name (1).jpg", as planned
        return dest

    def copy(self, i: int, src: Path, dest: Path) -> Path:
        regular(src, follow=True)
        dest = self.destination(dest)
        tmp = _tmp_for(dest, self.run)
        self.w.append({"t": "start", "i": i, "op": "copy", "src": str(src), "dest": str(dest), "tmp": str(tmp)})
        try:
            sha = copy_to_new(src, tmp)
            ident = identity(os.stat(tmp))
            self.w.append({"t": "copied", "i": i, "id": ident, "sha256": sha})
            linked = place(tmp, dest)
        except BaseException:
            remove_own_tmp(tmp)
            raise
        self.w.append({"t": "done", "i": i, "dest": str(dest), "id": ident, "sha256": sha})
        if linked:
            os.unlink(tmp)
        return dest

    def move(self, i: int, src: Path, dest: Path) -> Path:
        if not any(is_link_free_below(root, src) for root in self.roots):
            raise Skip(f"{src.name} was reached through a symbolic link (it lives outside the folders "
                        "you chose); not moved")
        st = regular(src, follow=False)
        dest = self.destination(dest)
        sha = sha256(src)                 # what is moved now, not what was labeled earlier
        if not same_file(os.lstat(src), identity(st)):
            raise Skip(f"{src.name} changed while it was being moved; left in place")
        self.w.append({"t": "start", "i": i, "op": "move", "src": str(src), "dest": str(dest),
                       "src_id": identity(st), "sha256": sha, "tmp": str(_tmp_for(dest, self.run))})
        try:
            linked = place(src, dest)
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
            return self._move_across_disks(i, src, dest, sha)
        self.w.append({"t": "done", "i": i, "dest": str(dest), "id": identity(os.stat(dest)), "sha256": sha})
        if linked:
            os.unlink(src)
        return dest

    def _move_across_disks(self, i: int, src: Path, dest: Path, sha: str) -> Path:
        tmp = _tmp_for(dest, self.run)
        try:
            if copy_to_new(src, tmp, durable=True) != sha:
                raise Skip(f"{src.name} changed while it was being moved; left in place")
            ident = identity(os.stat(tmp))
            self.w.append({"t": "copied", "i": i, "id": ident, "sha256": sha})
            linked = place(tmp, dest)
        except BaseException:
            remove_own_tmp(tmp)
            raise
        if linked:
            os.unlink(tmp)
        os.unlink(src)
        self.w.append({"t": "done", "i": i, "dest": str(dest), "id": ident, "sha256": sha})
        return dest


def apply_plan(plan, on_event: EventHook | None = None, should_stop: StopHook | None = None) -> Journal:
    """Copy or move the planned files into ``plan.out_dir``, journaled for :func:`undo`.

    Stops between files when ``should_stop()``; files not reached stay where they are. A file that
    cannot be copied or moved is recorded with the reason (``Journal.failed``); the rest go on.
    Earlier runs into the same folder that were killed are resolved first (``Journal.recovered``).

    Raises:
        RMAdapterError: the output folder cannot be created or the journal cannot be written
            (nothing was copied or moved then).
    """
    on_event = on_event or no_event
    should_stop = should_stop or never_stop
    if plan.mode == "none" or plan.out_dir is None:
        return Journal(None, plan.mode)
    out_dir = Path(os.path.abspath(plan.out_dir))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RMAdapterError(f"The output folder {out_dir} cannot be created ({exc.strerror or exc}). "
                             "Choose another output folder; no file was copied or moved.") from exc
    recovered = resolve_interrupted(out_dir)
    todo = [e for e in plan.entries if e.action in ("copy", "move")]
    run = new_run_id()
    roots = [Path(os.path.abspath(r)) for r in getattr(plan, "source_roots", ())]
    jpath = new_journal_path(out_dir)
    journal = Journal(jpath, plan.mode, recovered=recovered)
    with JournalWriter(jpath, create=True) as writer:
        writer.append({"t": "run", "v": FORMAT_VERSION, "run": run, "mode": plan.mode, "out": str(out_dir),
                       "sources": [str(r) for r in roots], "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                       "pid": os.getpid(), "threshold": float(plan.threshold)})
        runner = _Runner(writer, run, out_dir, roots, plan.on_clash)
        phase = "Moving files" if plan.mode == "move" else "Copying files"
        for i, e in enumerate(todo):
            if should_stop():
                journal.stopped = True
                break
            src = Path(os.path.abspath(e.source))
            try:
                (runner.move if e.action == "move" else runner.copy)(i, src, Path(os.path.abspath(e.dest)))
                journal.done += 1
            except (OSError, Skip, UnsafePathError) as exc:
                reason = (exc.strerror or str(exc)) if isinstance(exc, OSError) else str(exc)
                if isinstance(exc, FileExistsError):
                    reason = "a file with that name appeared in the output folder; not overwritten"
                writer.append({"t": "fail", "i": i, "op": e.action, "src": str(src), "why": reason})
                journal.failed.append((src, reason))
                logger.warning("could not %s %s: %s", e.action, src, reason)
            on_event(ProgressEvent(phase, i + 1, len(todo)))
        writer.append({"t": "end", "complete": not journal.stopped, "stopped": journal.stopped})
    return journal


# ---------------------------------------------------------------------- crashed runs
def _resolve_entry(out_dir: Path, e: Entry) -> str:
    """Settle an operation a killed run started but did not record as done. Returns "done" or "failed"."""
    if e.tmp is not None and is_link_free_below(out_dir, e.tmp):
        remove_own_tmp(e.tmp)            # the run's own temporary name: never a user's file
    try:
        d = os.lstat(e.dest) if is_link_free_below(out_dir, e.dest) else None
    except OSError:
        d = None
    if e.op == "copy":
        if d is not None and same_file(d, e.copied_ident):
            e.dest_ident = e.copied_ident
            return "done"
        return "failed"
    ours = d is not None and (same_file(d, e.copied_ident) or same_file(d, e.src_ident))
    if not ours:
        return "failed"                    # the file never left its source
    e.dest_ident = identity(d)
    try:
        s = os.lstat(e.src)
        if same_file(s, e.src_ident) and (s.st_ino == d.st_ino or e.copied_ident is not None):
            os.unlink(e.src)               # finish the move: the destination is complete and ours
    except OSError:
        pass
    return "done"


def _resolve(log: RunLog, writer: JournalWriter) -> list[str]:
    out_dir = log.path.parent
    said = []
    for e in log.entries.values():
        if e.state not in ("started", "copied"):
            continue
        outcome = _resolve_entry(out_dir, e)
        if outcome == "done":
            writer.append({"t": "done", "i": e.index, "dest": str(e.dest), "id": e.dest_ident,
                           "sha256": e.sha256, "resolved": True})
            e.state = "done"
        else:
            writer.append({"t": "fail", "i": e.index, "why": "interrupted before it finished; nothing changed",
                           "resolved": True})
            e.state = "failed"
        said.append(f"{e.src.name}: {'finished' if outcome == 'done' else 'left in its place'}")
    writer.append({"t": "end", "complete": False, "crashed": True})
    log.ended = True
    return said


def resolve_interrupted(out_dir: Path) -> list[str]:
    """Resolve every journal in ``out_dir`` whose run was killed; returns one line per journal resolved."""
    messages = []
    for path in journals_in(out_dir):
        if path.suffix != ".jsonl":
            continue
        try:
            with JournalWriter(path, create=False) as writer:
                log = read_journal(path)
                if log.ended:
                    continue
                writer.resume_after(log)
                settled = _resolve(log, writer)
        except JournalInUse:
            continue                       # a run still going
        except JournalError as exc:
            logger.warning("%s", exc)
            continue
        messages.append(f"{path.name}: an interrupted run was resolved ({len(settled)} file(s) settled)")
        logger.info("%s", messages[-1])
    return messages


# ---------------------------------------------------------------------- undo
def _undo_entry(log: RunLog, e: Entry) -> tuple[str, str]:
    """(outcome, why): outcome is "restored", "removed" or "left"."""
    out_dir = log.path.parent
    if not is_link_free_below(out_dir, e.dest):
        return "left", "outside the output folder (or behind a link); not touched"
    try:
        d = os.lstat(e.dest)
    except OSError:
        return "left", "no longer there"
    if not stat.S_ISREG(d.st_mode) or not same_file(d, e.dest_ident) or sha256(e.dest) != e.sha256:
        return "left", "changed or replaced since the run; left in place"
    if e.op == "copy":
        try:
            s = os.stat(e.src)
        except OSError:
            return "left", f"its original {e.src} is gone, so this copy is kept (it may be the only one)"
        if s.st_ino == d.st_ino and s.st_dev == d.st_dev:
            return "left", "it is the original itself; kept"
        if not stat.S_ISREG(s.st_mode) or sha256(e.src) != e.sha256:
            return "left", f"its original {e.src} has changed, so this copy is kept"
        os.unlink(e.dest)
        return "removed", ""
    root = next((r for r in log.sources if is_link_free_below(r, e.src)), None)
    if root is None or not os.path.isdir(root):
        return "left", f"{e.src} is not inside a source folder of the run; not moved there"
    try:
        s = os.lstat(e.src)
        if s.st_ino == d.st_ino and s.st_dev == d.st_dev:   # an undo killed between link and unlink
            os.unlink(e.dest)
            return "restored", ""
        return "left", f"{e.src} exists again; not overwritten"
    except FileNotFoundError:
        pass
    missing = []
    p = e.src.parent
    while p != root and not os.path.lexists(p):
        missing.append(p)
        p = p.parent
    for m in reversed(missing):
        os.mkdir(m)
    check_inside(root, e.src)
    put_back(e.dest, e.src)
    return "restored", ""


def undo(journal_path: Path, on_event: EventHook | None = None) -> UndoResult:
    """Put moved files back and delete the copies a run made, as far as that is safe (module docstring).

    Raises:
        RMAdapterError: the journal cannot be read or verified, its output folder moved, or it was
            already undone.
    """
    on_event = on_event or no_event
    journal_path = Path(os.path.abspath(journal_path))
    if not os.path.isfile(journal_path):
        raise JournalError(f"{journal_path.name} is not a readable labeling journal (there is no such file).")
    if is_v1(journal_path):
        return undo_v1(journal_path, on_event)
    with JournalWriter(journal_path, create=False) as writer:
        log = read_journal(journal_path)
        writer.resume_after(log)
        if not os.path.isdir(log.out_dir) or not os.path.samefile(log.out_dir, journal_path.parent):
            raise JournalError(f"{journal_path.name} belongs to the output folder {log.out_dir}, which was "
                               "moved or renamed since; move it back to undo.")
        if not log.ended:
            _resolve(log, writer)
        if log.undone:
            raise JournalError(f"{journal_path.name} was already undone.")
        result = UndoResult()
        done = [e for e in sorted(log.entries.values(), key=lambda e: -e.index) if e.state in ("done", "left")]
        for n, e in enumerate(done):
            try:
                outcome, why = _undo_entry(log, e)
            except (OSError, UnsafePathError) as exc:
                outcome, why = "left", f"could not undo: {exc.strerror if isinstance(exc, OSError) else exc}"
            if outcome == "left":
                result.left.append((e.dest, why))
                writer.append({"t": "left", "i": e.index, "why": why})
            else:
                setattr(result, outcome, getattr(result, outcome) + 1)
                writer.append({"t": "undone", "i": e.index})
            on_event(ProgressEvent("Undoing", n + 1, len(done)))
        for folder in sorted(log.dirs_created, key=lambda p: -len(p.parts)):
            if is_link_free_below(log.path.parent, folder):
                try:
                    os.rmdir(folder)        # only when empty: never removes a file
                except OSError:
                    pass
        writer.append({"t": "undo-end", "all": not result.left})
    return result


def last_journal(out_dir: Path) -> Path | None:
    """The newest journal in an output folder that has not been fully undone."""
    candidates = []
    for path in journals_in(out_dir):
        try:
            candidates.append((os.stat(path).st_mtime, path))
        except OSError:
            continue
    for _, path in sorted(candidates, reverse=True):
        if path.suffix != ".jsonl":
            return path
        try:
            if not read_journal(path).undone:
                return path
        except JournalError:
            continue
    return None
