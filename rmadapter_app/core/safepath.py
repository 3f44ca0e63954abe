"""Path confinement: every path the app writes, moves or deletes is checked to stay inside a folder it owns.

The app writes only in folders it owns or the user named (a project folder, its own data and cache
folders, a labeling output folder). A path built from a file's contents (a project.json entry, a
journal entry) or found on disk (a symlink unpacked from a zip) must never lead outside them:

* :func:`confined` joins a *relative* path from a file onto a root, refusing absolute paths,
  drive letters, ``..`` and any symlink along the way, and returns the joined path;
* :func:`check_inside` does the same for a path that is already absolute (a journal's
  destination, say): it must lie below ``root`` with no symlink between them;
* :func:`is_link_free_below` is the boolean form, for filtering.

The root itself may be (or sit below) a symlink: the user chose it. Only what lies *below* the
root is walked, one component at a time with ``lstat``, so nothing is ever resolved through a link.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

from rmadapter_app.core.errors import RMAdapterError


class UnsafePathError(RMAdapterError, ValueError):
    """A path leads outside the folder it must stay in (absolute, ``..``, or through a symlink)."""


def _parts(rel: str | PurePath) -> tuple[str, ...]:
    """The components of a relative path written with / or \\, refusing anything that could escape."""
    text = str(rel)
    if not text or "\x00" in text:
        raise UnsafePathError(f"{text!r} is not a valid relative path")
    win, posix = PureWindowsPath(text), PurePosixPath(text.replace("\\", "/"))
    if posix.is_absolute() or win.is_absolute() or win.drive or win.root or text.startswith(("/", "\\")):
        raise UnsafePathError(f"{text!r} is an absolute path; only paths inside the folder are allowed")
    parts = tuple(p for p in posix.parts if p not in ("", "."))
    if not parts:
        raise UnsafePathError(f"{text!r} names no file")
    if any(p == ".." for p in parts):
        raise UnsafePathError(f"{text!r} climbs out of its folder ('..')")
    if any(":" in p for p in parts):
        raise UnsafePathError(f"{text!r} has a drive or stream name (':')")
    return parts


def _walk_no_links(root: Path, parts: tuple[str, ...]) -> None:
    """Raise when any existing component of ``root/parts`` below ``root`` is a symlink (or junction)."""
    current = root
    for part in parts:
        current = current / part
        try:
            st = os.lstat(current)
        except FileNotFoundError:
            return                       # nothing below a missing component can be a link yet
        except OSError as exc:           # permission denied, name too long, ...: not provably safe
            raise UnsafePathError(f"{current} cannot be checked ({exc.strerror or exc})") from exc
        if stat.S_ISLNK(st.st_mode) or _is_junction(current):
            raise UnsafePathError(f"{current} is a symbolic link; the app does not follow links out of "
                                  f"{root}")


def _is_junction(path: Path) -> bool:
    is_junction = getattr(os.path, "isjunction", None)   # Python 3.12+; Windows only in practice
    return bool(is_junction and is_junction(path))


def confined(root: Path, rel: str | PurePath) -> Path:
    """``root / rel`` when ``rel`` is relative, has no ``..`` and passes through no symlink below ``root``.

    Raises:
        UnsafePathError: otherwise (the message names the path and why).
    """
    root = Path(root)
    parts = _parts(rel)
    _walk_no_links(root, parts)
    return root.joinpath(*parts)


def relative_below(root: Path, path: Path) -> tuple[str, ...]:
    """The components of absolute ``path`` below absolute ``root`` (lexically; no link is resolved).

    Raises:
        UnsafePathError: ``path`` is not below ``root``, or contains ``..``.
    """
    root, path = Path(os.path.abspath(root)), Path(path)
    if not path.is_absolute():
        raise UnsafePathError(f"{path} is not an absolute path")
    if ".." in path.parts:
        raise UnsafePathError(f"{path} climbs out of its folder ('..')")
    try:
        rel = path.relative_to(root)
    except ValueError:
        raise UnsafePathError(f"{path} is outside {root}") from None
    if not rel.parts:
        raise UnsafePathError(f"{path} is the folder {root} itself, not a file inside it")
    return rel.parts


def check_inside(root: Path, path: Path) -> Path:
    """``path`` itself, after checking it lies below ``root`` with no symlink between them.

    Raises:
        UnsafePathError: outside ``root``, ``..`` in it, or a symlink below ``root`` on the way.
    """
    parts = relative_below(root, path)
    _walk_no_links(Path(os.path.abspath(root)), parts)
    return Path(path)


def is_link_free_below(root: Path, path: Path) -> bool:
    """True when ``path`` lies below ``root`` and no component between them is a symlink."""
    try:
        check_inside(root, path)
    except UnsafePathError:
        return False
    return True


def real_folder(path: Path) -> bool:
    """True for an existing folder that is not itself a symlink."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode) and not _is_junction(Path(path))
    except OSError:
        return False
