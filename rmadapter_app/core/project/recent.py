"""The recent-projects list: a small JSON file in the settings folder, most recent first."""
from __future__ import annotations

import json
import logging
from pathlib import Path

from rmadapter_app.core import paths
from rmadapter_app.core.errors import RMAdapterError
from rmadapter_app.core.fileio import atomic_write_json
from rmadapter_app.core.project.files import MANIFEST

logger = logging.getLogger(__name__)

MAX_RECENT = 10
FILE_NAME = "recent_projects.json"
MAX_FILE_BYTES = 1024 * 1024        # ten paths need a few kB; anything much bigger is damage


def _file() -> Path:
    return paths.config_dir() / FILE_NAME


def _read() -> list[Path]:
    """The saved list; an unreadable, oversized or damaged file (any shape) counts as empty.

    Only absolute paths are kept: a relative one would be looked up in whatever folder the app
    happens to start in.
    """
    try:
        with open(_file(), "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise ValueError("the file is too large")
        data = json.loads(raw.decode("utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError, RecursionError, MemoryError) as exc:   # UnicodeError is a ValueError
        logger.warning("recent projects list unreadable, starting a new one: %s", str(exc)[:200])
        return []
    items = data.get("projects", []) if isinstance(data, dict) else []
    if not isinstance(items, list):
        return []
    return [Path(p) for p in items[:MAX_RECENT * 10] if _usable(p)]


def _usable(p: object) -> bool:
    if not isinstance(p, str) or not p or "\x00" in p or len(p) > 4096:
        return False
    try:
        p.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return Path(p).is_absolute()


def _has_manifest(folder: Path) -> bool:
    try:
        return (folder / MANIFEST).is_file()
    except (OSError, ValueError):
        return False


def _write(items: list[Path]) -> None:
    try:
        atomic_write_json(_file(), {"version": 1, "projects": [str(p) for p in items[:MAX_RECENT]]})
    except RMAdapterError as exc:       # a read-only settings folder must not break opening a project
        logger.warning("could not save the recent projects list: %s", exc)


def recent_projects() -> list[Path]:
    """Project folders opened lately, most recent first; folders that no longer hold a project are dropped."""
    items = _read()
    alive = [p for p in items if _has_manifest(p)]
    if len(alive) != len(items):
        _write(alive)
    return alive[:MAX_RECENT]


def add_recent(folder: Path) -> list[Path]:
    """Put ``folder`` first in the list (at most MAX_RECENT kept) and return the new list."""
    folder = Path(folder).resolve()
    items = [folder] + [p for p in _read() if _norm(p) != _norm(folder)]
    items = items[:MAX_RECENT]
    _write(items)
    return items


def remove_recent(folder: Path) -> None:
    """Forget ``folder`` (for example after it failed to open)."""
    folder = Path(folder).resolve()
    _write([p for p in _read() if _norm(p) != _norm(folder)])


def clear_recent() -> None:
    _write([])


def _norm(p: Path) -> str:
    try:
        return str(Path(p).resolve())
    except OSError:
        return str(p)
