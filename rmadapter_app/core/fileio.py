"""Atomic writes: a temp file in the same folder, fsync, then os.replace.

A crash or a full disk leaves the old file intact and no half-written one behind.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rmadapter_app.core.errors import RMAdapterError


def atomic_write(path: Path, writer: Callable[[Path], None]) -> None:
    """Call ``writer(tmp_path)`` and move the result over ``path`` atomically.

    Raises:
        RMAdapterError: when the folder is not writable or the disk is full; ``path`` is untouched.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise RMAdapterError(f"Could not write {path}: {exc.strerror or exc}. "
                             "Check that the folder is writable and the disk has free space.") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        writer(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise RMAdapterError(f"Could not write {path}: {exc.strerror or exc}. "
                             "Check that the folder is writable and the disk has free space.") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    atomic_write(Path(path), lambda tmp: tmp.write_bytes(data))


def atomic_write_json(path: Path, obj: Any) -> None:
    """Write ``obj`` as UTF-8 JSON (indent 2, sorted keys) atomically.

    A file name that is not valid UTF-8 (Python holds its bytes as lone surrogates) is written as
    the JSON escape ``\\udcXX``, which reads back to the same name: lone surrogates only occur
    inside JSON strings, and json.dumps has already escaped every backslash there.
    """
    text = json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    atomic_write_bytes(Path(path), text.encode("utf-8", "backslashreplace"))


# Cells a spreadsheet would run as a formula (OWASP "CSV Injection"), and their full-width forms.
_FORMULA_START = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")


def printable(text: str) -> str:
    """``text`` with the bytes of a file name that is not valid UTF-8 shown as ``\\xNN`` (printable anywhere)."""
    return str(text).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def csv_cell(value: Any) -> str:
    """A value made safe for a CSV cell: formulas defused, undecodable file-name bytes shown as ``\\xNN``.

    A cell starting with ``= + - @``, tab or carriage return gets a leading ``'`` (OWASP), and so
    does one that starts with ``'`` before such a character, so :func:`csv_cell_value` can undo it.
    """
    text = printable(value)
    body = text.lstrip("'")
    if body[:1] in _FORMULA_START and body[:1] != "":
        return "'" + text
    return text


def csv_cell_value(cell: str) -> str:
    """The value :func:`csv_cell` wrote (its ``'`` prefix removed)."""
    if cell.startswith("'") and cell[1:].lstrip("'")[:1] in _FORMULA_START and len(cell) > 1:
        return cell[1:]
    return cell


def write_csv(path: Path, fieldnames: list[str], rows: list[dict[str, Any]]) -> None:
    """Write rows as a UTF-8 CSV atomically, every cell through :func:`csv_cell`."""
    import csv

    def write(tmp: Path) -> None:
        with open(tmp, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow([csv_cell(f) for f in fieldnames])
            for row in rows:
                w.writerow([csv_cell(row.get(f, "")) for f in fieldnames])
    atomic_write(Path(path), write)


def sha256_of_file(path: Path) -> str:
    """SHA-256 (hex) of a file's bytes, streamed in 1 MiB blocks (a huge file never sits in memory)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# How free_name numbers a taken name: "photo (1).jpg", "photo (2).jpg"... (labeling outputs and their
# reports, as file managers do), or "adapter-2.x", "adapter-3.x"... (unique_path: adapters, backups).
PARENS, DASH = "parens", "dash"


def free_name(name: str, is_taken: Callable[[str], bool], *, style: str = PARENS,
              suffix: str | None = None) -> str:
    """``name`` when ``is_taken(name)`` is False, else the first free numbered variant of it.

    ``style``: PARENS gives ``stem (1).ext``, ``stem (2).ext``...; DASH gives ``stem-2.ext``,
    ``stem-3.ext``.... ``suffix``: the ending to keep after the number (default: the last one,
    so ``.jpg``; give ``.rmadapter.safetensors`` to keep a double ending).
    """
    if style not in (PARENS, DASH):
        raise ValueError(f"style must be {PARENS!r} or {DASH!r}, got {style!r}")
    if not is_taken(name):
        return name
    if suffix is None or not name.endswith(suffix):
        suffix = os.path.splitext(name)[1]
    stem = name[:len(name) - len(suffix)] if suffix else name
    n = 1 if style == PARENS else 2
    while True:
        candidate = f"{stem} ({n}){suffix}" if style == PARENS else f"{stem}-{n}{suffix}"
        if not is_taken(candidate):
            return candidate
        n += 1


def free_path(path: Path, *, style: str = PARENS, suffix: str | None = None) -> Path:
    """``path``, or a numbered variant in the same folder (:func:`free_name`) when something is there.

    Anything at the name counts as taken, a dangling symbolic link too: the result never replaces a file.
    """
    path = Path(path)
    return path.with_name(free_name(path.name, lambda n: os.path.lexists(path.parent / n), style=style,
                                    suffix=suffix))


def unique_path(folder: Path, stem: str, suffix: str) -> Path:
    """``folder/stem+suffix``, or ``stem-2``, ``stem-3``... when taken: never overwrites."""
    return free_path(Path(folder) / f"{stem}{suffix}", style=DASH, suffix=suffix)


def keep_previous(path: Path, suffix: str | None = None) -> Path | None:
    """Copy a file about to be replaced to ``<stem>-previous<suffix>`` (never overwriting a backup).

    The undo path for commands that write to a name the user chose. ``suffix`` is the full
    ending to keep (e.g. ``.rmadapter.safetensors``); default: the last one. None if nothing was there.
    """
    import shutil

    path = Path(path)
    if not path.is_file():
        return None
    suffix = suffix if suffix and path.name.endswith(suffix) else path.suffix
    stem = path.name[:len(path.name) - len(suffix)] if suffix else path.name
    backup = unique_path(path.parent, f"{stem}-previous", suffix)
    shutil.copy2(path, backup)
    return backup
