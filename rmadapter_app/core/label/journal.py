"""The labeling journal on disk: an append-only, authenticated log of what a copy/move run did.

One JSON object per line, each followed by a tab and an HMAC-SHA256 chained over every line
before it, keyed by a secret kept in the app's settings folder (``journal.key``). A journal that
was edited, truncated in the middle or written on another computer fails verification, and undo
then refuses to touch anything. A torn *last* line (a crash mid-write) is ignored.

Records (key ``t``):

* ``run``: the header: run id, mode, output folder, source folders, pid, creation time;
* ``mkdir``: a folder the run created (undo removes it again only when it is empty);
* ``start``: an operation is about to happen (source, destination, what is known of the source);
* ``copied``: a copy's bytes are complete in its temporary file, with that file's identity;
* ``done``: the destination now holds exactly this file (identity and SHA-256);
* ``fail``: the operation did not happen, and why;
* ``end``: the run finished (``complete``), was stopped, or was found crashed and resolved;
* ``undone`` / ``left`` / ``undo-end``: what an undo did with each entry.

Reading never trusts a number in the file for a size: every line is bounded, every field typed.
A writer holds an exclusive lock on the file while its run lives, so a later run can tell a
crashed run (lock free) from one still going.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rmadapter_app.core import paths
from rmadapter_app.core.errors import RMAdapterError

FORMAT_VERSION = 2
SUFFIX = ".jsonl"
PREFIX = "rmadapter-journal-"
MAX_LINE_BYTES = 64 * 1024          # a path is at most a few KB; anything longer is not ours
MAX_ENTRIES = 50_000_000            # entry numbers above this are refused, not allocated
FSYNC_INTERVAL_S = 1.0
_KEY_FILE = "journal.key"
_MODES = ("copy", "move")


class JournalError(RMAdapterError):
    """A journal that cannot be read or verified; the message says why in plain words."""


class JournalInUse(JournalError):
    """Another living process is writing this journal."""


# ---------------------------------------------------------------------- the secret key
def _key() -> bytes:
    """This installation's journal key (created on first use, readable by the user alone)."""
    path = paths.config_dir() / _KEY_FILE
    try:
        data = path.read_bytes()
        if len(data) == 64:
            return bytes.fromhex(data.decode("ascii"))
    except (OSError, ValueError, UnicodeDecodeError):
        pass
    key = secrets.token_bytes(32)
    tmp = path.with_name(f".{_KEY_FILE}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key.hex().encode("ascii"))
        fh.flush()
        os.fsync(fh.fileno())
    try:
        os.link(tmp, path)          # first writer wins; a concurrent one reads the winner's key
    except FileExistsError:
        tmp.unlink(missing_ok=True)
        return _key()
    except OSError:
        os.replace(tmp, path)
    tmp.unlink(missing_ok=True)
    return key


def _mac(key: bytes, previous: bytes, payload: bytes) -> bytes:
    return hmac.new(key, previous + payload, hashlib.sha256).hexdigest().encode("ascii")


# ---------------------------------------------------------------------- file identity
def identity(st: os.stat_result) -> list[int]:
    """What tells one file from another with the same bytes: inode, size, modification time (ns)."""
    return [int(st.st_ino), int(st.st_size), int(st.st_mtime_ns)]


def same_file(st: os.stat_result, ident: list[int] | None) -> bool:
    return ident is not None and identity(st) == list(ident)


# ---------------------------------------------------------------------- locking
def _lock(fd: int) -> bool:
    """Take an exclusive, non-blocking lock on an open file; False when another process holds it."""
    try:
        if os.name == "nt":
            import msvcrt
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


# ---------------------------------------------------------------------- writing
class JournalWriter:
    """Appends authenticated records to a journal, one ``write()`` per line.

    A process killed at any point leaves whole lines behind (the kernel keeps what ``write``
    returned); ``fsync`` runs at most every ``FSYNC_INTERVAL_S`` and on close, so a power cut can
    lose the last second of records, which the resolution of a crashed run handles (see
    :mod:`label_write`).
    """

    def __init__(self, path: Path, *, create: bool):
        self.path = Path(path)
        flags = os.O_WRONLY | os.O_APPEND | (os.O_CREAT | os.O_EXCL if create else 0)
        try:
            self._fd = os.open(self.path, flags | getattr(os, "O_BINARY", 0), 0o644)
        except OSError as exc:
            raise JournalError(f"Could not write the journal {self.path}: {exc.strerror or exc}. "
                               "Check that the output folder is writable and the disk has free space.") from exc
        if not _lock(self._fd):
            os.close(self._fd)
            raise JournalInUse(f"{self.path.name} is in use by another run of RMAdapter Studio; "
                               "wait for it to finish.")
        self._key = _key()
        self._prev = b""
        self._last_sync = time.monotonic()

    def resume_after(self, log: RunLog) -> None:
        """Continue the chain of a journal read (under this writer's lock); a torn last line is cut off."""
        os.ftruncate(self._fd, log.good_size)
        self._prev = log.last_mac

    def append(self, record: dict[str, Any]) -> None:
        payload = json.dumps(record, ensure_ascii=True, sort_keys=True, separators=(",", ":")).encode("ascii")
        mac = _mac(self._key, self._prev, payload)
        line = payload + b"\t" + mac + b"\n"
        written = 0
        while written < len(line):      # O_APPEND: a short write is resumed where it stopped
            written += os.write(self._fd, line[written:])
        self._prev = mac
        if time.monotonic() - self._last_sync >= FSYNC_INTERVAL_S:
            self.sync()

    def sync(self) -> None:
        os.fsync(self._fd)
        self._last_sync = time.monotonic()

    def close(self) -> None:
        if self._fd is not None:
            try:
                self.sync()
            finally:
                os.close(self._fd)
                self._fd = None

    def __enter__(self) -> JournalWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def new_journal_path(out_dir: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    candidate = Path(out_dir) / f"{PREFIX}{stamp}{SUFFIX}"
    n = 2
    while os.path.lexists(candidate):
        candidate = Path(out_dir) / f"{PREFIX}{stamp}-{n}{SUFFIX}"
        n += 1
    return candidate


def new_run_id() -> str:
    return uuid.uuid4().hex


# ---------------------------------------------------------------------- reading
@dataclass
class Entry:
    """One file operation as the journal tells it (later records override earlier ones)."""

    index: int
    op: str
    src: Path
    dest: Path
    tmp: Path | None = None
    src_ident: list[int] | None = None
    sha256: str | None = None
    copied_ident: list[int] | None = None
    dest_ident: list[int] | None = None
    state: str = "started"               # started | copied | done | failed | undone | left
    note: str = ""


@dataclass
class RunLog:
    """A whole journal, verified: the header, its entries, and how it ended."""

    path: Path
    run: str
    mode: str
    out_dir: Path
    sources: list[Path]
    created: str
    entries: dict[int, Entry] = field(default_factory=dict)
    dirs_created: list[Path] = field(default_factory=list)
    ended: bool = False
    complete: bool = False
    undone: bool = False
    last_mac: bytes = b""
    good_size: int = 0              # bytes up to the end of the last whole, verified line


def _str(rec: dict, key: str, *, optional: bool = False) -> str | None:
    value = rec.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value or len(value) > 16_384:
        raise ValueError(f"field {key!r} is not a usable string")
    return value


def _ident(rec: dict, key: str) -> list[int] | None:
    value = rec.get(key)
    if value is None:
        return None
    if (not isinstance(value, list) or len(value) != 3
            or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value)):
        raise ValueError(f"field {key!r} is not a file identity")
    return list(value)


def _abs_path(rec: dict, key: str, *, optional: bool = False) -> Path | None:
    text = _str(rec, key, optional=optional)
    if text is None:
        return None
    if "\x00" in text or not os.path.isabs(text):
        raise ValueError(f"field {key!r} is not an absolute path")
    return Path(text)


def _apply(log: RunLog, rec: dict) -> None:
    """Fold one verified record into ``log``."""
    kind = rec.get("t")
    if kind == "mkdir":
        log.dirs_created.append(_abs_path(rec, "path"))
        return
    if kind == "end":
        log.ended, log.complete = True, bool(rec.get("complete"))
        return
    if kind == "undo-end":
        log.undone = bool(rec.get("all"))
        return
    i = rec.get("i")
    if not isinstance(i, int) or isinstance(i, bool) or not 0 <= i < MAX_ENTRIES:
        raise ValueError("an entry number is missing or out of range")
    if kind == "start":
        op = rec.get("op")
        if op not in _MODES:
            raise ValueError(f"unknown operation {op!r}")
        log.entries[i] = Entry(i, op, _abs_path(rec, "src"), _abs_path(rec, "dest"),
                               tmp=_abs_path(rec, "tmp", optional=True), src_ident=_ident(rec, "src_id"),
                               sha256=_str(rec, "sha256", optional=True))
        return
    entry = log.entries.get(i)
    if entry is None:
        if kind == "fail":
            return                      # refused before it started (a missing file, a link, ...)
        raise ValueError(f"record for entry {i} before its start")
    if kind == "copied":
        entry.copied_ident, entry.sha256, entry.state = _ident(rec, "id"), _str(rec, "sha256"), "copied"
    elif kind == "done":
        entry.dest = _abs_path(rec, "dest")
        entry.dest_ident, entry.sha256, entry.state = _ident(rec, "id"), _str(rec, "sha256"), "done"
    elif kind in ("fail", "undone", "left"):
        entry.state = {"fail": "failed"}.get(kind, kind)
        entry.note = str(rec.get("why", ""))[:2000]
    else:
        raise ValueError(f"unknown record type {kind!r}")


def read_journal(path: Path) -> RunLog:
    """Read and verify a journal line by line.

    Raises:
        JournalError: not a journal, damaged, edited, written on another computer, or too new.
    """
    path = Path(path)
    key = _key()
    name = path.name
    try:
        fh = open(path, "rb")
    except OSError as exc:
        raise JournalError(f"{name} cannot be read ({exc.strerror or exc}).") from exc
    log: RunLog | None = None
    prev = b""
    good_size = 0
    with fh:
        number = 0
        while True:
            line = fh.readline(MAX_LINE_BYTES + 1)
            if not line:
                break
            number += 1
            if not line.endswith(b"\n"):
                if len(line) > MAX_LINE_BYTES:
                    raise JournalError(f"{name} is damaged: line {number} is far too long.")
                if fh.read(1):
                    raise JournalError(f"{name} is damaged at line {number}.")
                break                       # a torn last line: the crash happened while writing it
            payload, sep, mac = line[:-1].rpartition(b"\t")
            if not sep or not hmac.compare_digest(_mac(key, prev, payload), mac):
                raise JournalError(
                    f"{name} does not match what RMAdapter Studio wrote (line {number}): it was changed "
                    "after the run, damaged, or written on another computer. Nothing was undone.")
            prev = mac
            good_size = fh.tell()
            try:
                rec = json.loads(payload.decode("ascii"))
                if not isinstance(rec, dict):
                    raise ValueError("a record is not an object")
                if log is None:
                    log = _header(path, rec)
                else:
                    _apply(log, rec)
            except (ValueError, TypeError, RecursionError, UnicodeDecodeError) as exc:
                raise JournalError(f"{name} is damaged at line {number} ({exc}).") from exc
    if log is None:
        raise JournalError(f"{name} is empty: the run wrote nothing before it ended.")
    log.last_mac, log.good_size = prev, good_size
    return log


def _header(path: Path, rec: dict) -> RunLog:
    if rec.get("t") != "run":
        raise ValueError("the first line is not a run header")
    version = rec.get("v")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise JournalError(f"{path.name} was written by a newer RMAdapter Studio; update the app to undo it.")
    mode = rec.get("mode")
    if mode not in _MODES:
        raise ValueError(f"unknown mode {mode!r}")
    sources = rec.get("sources")
    if not isinstance(sources, list) or len(sources) > 10_000:
        raise ValueError("the source folders are missing")
    roots = [_abs_path({"p": s}, "p") for s in sources]
    return RunLog(path, _str(rec, "run"), mode, _abs_path(rec, "out"), roots, str(rec.get("created", ""))[:64])


def journals_in(out_dir: Path) -> list[Path]:
    """The journals in an output folder, oldest first (by name: the name carries the time)."""
    try:
        names = [e.name for e in os.scandir(out_dir) if e.is_file(follow_symlinks=False)]
    except OSError:
        return []
    return [Path(out_dir) / n for n in sorted(names)
            if n.startswith(PREFIX) and (n.endswith(SUFFIX) or n.endswith(".json"))]


@dataclass
class UndoResult:
    """How many files :func:`undo` moved back or removed, and what it left alone and why."""

    restored: int = 0
    removed: int = 0
    left: list[tuple[Path, str]] = field(default_factory=list)
