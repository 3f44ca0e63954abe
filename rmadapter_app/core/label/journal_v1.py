"""Undo of journals written by RMAdapter Studio 0.1 (``rmadapter-journal-*.json``, format 1).

Those journals carry no authentication and no file identities, and a killed run left its entries
"pending". So undo here is deliberately narrower than for today's journals:

* only entries recorded as ``done`` are considered (a pending one may never have happened);
* a destination is touched only inside the journal's own folder, through no link, and only
  when its size and SHA-256 are the recorded ones;
* a copy is deleted only while its original exists, is another file, and has the same bytes;
* a moved file goes back only to an empty place in a folder that still exists (no folder is
  created outside the output folder on the word of an unauthenticated file);
* temporary files a killed copy left (``.<name>.<pid>.rmadapter-tmp``) are removed.
"""
from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any

from rmadapter_app.core.events import EventHook, ProgressEvent
from rmadapter_app.core.fileio import atomic_write_bytes
from rmadapter_app.core.label.file_ops import put_back, sha256
from rmadapter_app.core.label.journal import JournalError, UndoResult
from rmadapter_app.core.safepath import is_link_free_below

MAX_V1_BYTES = 512 * 2**20


def is_v1(path: Path) -> bool:
    return Path(path).suffix == ".json"


def _read(path: Path) -> dict[str, Any]:
    name = path.name
    try:
        if os.path.getsize(path) > MAX_V1_BYTES:
            raise JournalError(f"{name} is far larger than a labeling journal; not read.")
        payload = json.loads(path.read_bytes().decode("utf-8", "surrogateescape"))
    except JournalError:
        raise
    except (OSError, ValueError, RecursionError) as exc:
        raise JournalError(f"{name} is not a readable labeling journal ({type(exc).__name__}).") from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("entries"), list):
        raise JournalError(f"{name} is not a labeling journal (no list of entries).")
    version = payload.get("format_version")
    if not isinstance(version, int) or version != 1 or payload.get("mode") not in ("copy", "move"):
        raise JournalError(f"{name} is not a labeling journal this version can undo.")
    if payload.get("undone") is True:
        raise JournalError(f"{name} was already undone.")
    return payload


def _entry(rec: Any) -> tuple[str, Path, Path, int, str] | None:
    """(op, src, dest, size, sha256) of a done entry with every field well-formed, else None."""
    if not isinstance(rec, dict) or rec.get("state") != "done" or rec.get("op") not in ("copy", "move"):
        return None
    src, dest, size, sha = rec.get("src"), rec.get("dest"), rec.get("size"), rec.get("sha256")
    if not (isinstance(src, str) and isinstance(dest, str) and os.path.isabs(src) and os.path.isabs(dest)
            and "\x00" not in src + dest and isinstance(size, int) and not isinstance(size, bool)
            and isinstance(sha, str) and re.fullmatch(r"[0-9a-f]{64}", sha)):
        return None
    return rec["op"], Path(src), Path(dest), size, sha


def _remove_v1_tmps(out_dir: Path, rec: Any) -> None:
    dest = rec.get("dest") if isinstance(rec, dict) else None
    if not isinstance(dest, str) or not os.path.isabs(dest) or "\x00" in dest:
        return
    dest = Path(dest)
    if not is_link_free_below(out_dir, dest.parent / "x"):
        return
    pattern = re.compile(re.escape(f".{dest.name}.") + r"\d+\.rmadapter-tmp")
    try:
        names = [e.name for e in os.scandir(dest.parent) if pattern.fullmatch(e.name)]
    except OSError:
        return
    for name in names:
        p = dest.parent / name
        try:
            if stat.S_ISREG(os.lstat(p).st_mode):
                os.unlink(p)
        except OSError:
            pass


def _undo_one(out_dir: Path, op: str, src: Path, dest: Path, size: int, sha: str) -> tuple[str, str]:
    """(outcome, why) for one done entry: outcome "removed", "restored" or "left"."""
    if not is_link_free_below(out_dir, dest):
        return "left", "outside the output folder (or behind a link); not touched"
    try:
        d = os.lstat(dest)
    except OSError:
        return "left", "no longer there"
    if not stat.S_ISREG(d.st_mode) or d.st_size != size or sha256(dest) != sha:
        return "left", "changed or replaced since the run; left in place"
    if op == "copy":
        try:
            s = os.stat(src)
        except OSError:
            return "left", f"its original {src} is gone, so this copy is kept (it may be the only one)"
        if (s.st_ino, s.st_dev) == (d.st_ino, d.st_dev) or not stat.S_ISREG(s.st_mode) or sha256(src) != sha:
            return "left", f"its original {src} is not the same image any more, so this copy is kept"
        os.unlink(dest)
        return "removed", ""
    if os.path.lexists(src):
        return "left", f"{src} exists again; not overwritten"
    if not os.path.isdir(src.parent):
        return "left", f"the folder {src.parent} is gone; the file stays here"
    put_back(dest, src)
    return "restored", ""


def undo_v1(path: Path, on_event: EventHook):
    payload = _read(path)
    out_dir = path.parent
    result = UndoResult()
    records = payload["entries"]
    for n, rec in enumerate(reversed(records)):
        _remove_v1_tmps(out_dir, rec)
        parsed = _entry(rec)
        if parsed is not None:
            try:
                outcome, why = _undo_one(out_dir, *parsed)
            except OSError as exc:
                outcome, why = "left", f"could not undo: {exc.strerror or exc}"
            if outcome == "left":
                result.left.append((parsed[2], why))
            else:
                rec["state"] = "undone"
                setattr(result, outcome, getattr(result, outcome) + 1)
        on_event(ProgressEvent("Undoing", n + 1, len(records)))
    for folder in sorted((f for f in payload.get("dirs_created") or [] if isinstance(f, str) and os.path.isabs(f)),
                         key=lambda f: -len(Path(f).parts)):
        if "\x00" not in folder and is_link_free_below(out_dir, Path(folder)):
            try:
                os.rmdir(folder)
            except OSError:
                pass
    payload["undone"] = not result.left
    payload["undo_left"] = [[str(p), w] for p, w in result.left]
    atomic_write_bytes(path, (json.dumps(payload, indent=2, ensure_ascii=True) + "\n").encode("ascii"))
    return result
