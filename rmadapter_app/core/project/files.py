"""The pieces of a project on disk: entry dataclasses, names for folders, the trash.

Kept apart from :mod:`project` so that module stays about editing; nothing here knows about undo
or change events.
"""
from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rmadapter_app.core.errors import ProjectError
from rmadapter_app.core.images import Problem
from rmadapter_app.core.safepath import UnsafePathError, check_inside, confined, real_folder, relative_below

MANIFEST = "project.json"
IMAGES = "images"
TRASH = ".trash"
TRASH_KEEP_DAYS = 30
logger = logging.getLogger(__name__)
_BAD_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


@dataclass
class ImageEntry:
    """One image copied into the project."""

    id: str                # sha256[:16], unique in the project
    file: str              # path relative to the project folder, "/" separated
    sha256: str
    original_name: str


@dataclass
class ClassEntry:
    """A class: its name (the prompt), an optional description and its images (may be none)."""

    name: str
    description: str = ""
    images: list[ImageEntry] = field(default_factory=list)
    folder: str = ""       # folder name under images/


@dataclass
class AddResult:
    """What an add did: copies made, files already in the project, files refused (with reasons), and
    notes on files added that may not help (``warnings``)."""

    added: list[ImageEntry] = field(default_factory=list)
    duplicates: list[tuple[Path, str]] = field(default_factory=list)   # (file, class that holds it)
    rejected: list[Problem] = field(default_factory=list)
    stopped: bool = False
    classes_created: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)      # added, with a note (e.g. a very small image)

    def merge(self, other: AddResult) -> None:
        self.added += other.added
        self.duplicates += other.duplicates
        self.rejected += other.rejected
        self.warnings += other.warnings
        self.stopped = self.stopped or other.stopped
        self.classes_created += other.classes_created


def project_folder_name(name: str, fallback: str = "Untitled") -> str:
    """A file-system-safe folder name that keeps the text readable."""
    clean = _BAD_CHARS.sub("_", name).strip().strip(".").strip()
    return clean[:80] or fallback


def slugify(name: str) -> str:
    """Class name to a folder slug: lowercase letters/digits joined by '-'."""
    slug = "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split())
    return slug[:60] or "class"


def is_safe_folder_name(name: object) -> bool:
    """True for one plain folder or file name: no separators, ``..``, drive or control characters,
    not padded with spaces or dots, and short enough for every file system (255 bytes)."""
    if not isinstance(name, str) or not name or name in (".", "..") or _BAD_CHARS.search(name):
        return False
    if name != name.strip() or name.endswith("."):
        return False
    try:
        return len(name.encode("utf-8")) <= 255
    except UnicodeEncodeError:                   # a lone surrogate: not a name any disk can hold
        return False


def inside(folder: Path, rel: str) -> Path:
    """``folder/rel`` for a relative path with no ``..`` and no symlink below ``folder``.

    Raises:
        ProjectError: the path would leave the project (absolute, ``..``, or through a link).
    """
    try:
        return confined(folder, rel)
    except UnsafePathError as exc:
        raise ProjectError(f"{exc}. RMAdapter Studio only changes files inside the project folder; "
                           "replace the link by a real folder (or fix project.json) and try again.") from exc


def class_dir(folder: Path, class_folder: str) -> Path:
    """The images folder of a class, checked: a safe name, and a real folder (or not there yet).

    Raises:
        ProjectError: the name is unsafe, or images/<name> is a symlink or a file.
    """
    if not is_safe_folder_name(class_folder):
        raise ProjectError(f"The class folder name {class_folder!r} is not a plain folder name.")
    path = inside(folder, f"{IMAGES}/{class_folder}")
    if os.path.lexists(path) and not real_folder(path):
        raise ProjectError(f"{path} is not a folder. Move it away and try again.")
    return path


def make_dirs(folder: Path, path: Path) -> None:
    """Create ``path`` (below ``folder``) level by level; every existing level must be a real folder.

    Unlike ``Path.mkdir(parents=True)`` this never creates anything through a symlink.
    """
    current = Path(folder)
    try:
        parts = relative_below(folder, path)
    except UnsafePathError as exc:
        raise ProjectError(str(exc)) from exc
    for part in parts:
        current = current / part
        if not os.path.lexists(current):
            current.mkdir()
        elif not real_folder(current):
            raise ProjectError(f"{current} is a symbolic link or a file, not a folder; "
                               "RMAdapter Studio does not write through it.")


def folder_is_free(images_dir: Path, name: str) -> bool:
    """True when images/<name> does not exist or is a real, empty folder (never a link or a file)."""
    path = images_dir / name
    if not os.path.lexists(path):
        return True
    if not real_folder(path):
        return False
    try:
        with os.scandir(path) as it:
            return not any(it)
    except OSError:
        return False


def check_class_name(classes: Sequence[ClassEntry], name: str, ignore: ClassEntry | None = None) -> str:
    """``name`` with its spaces tidied, checked: not empty, at most 200 characters, not taken (any case).

    Raises:
        ProjectError: the name is empty, too long, or another class (not ``ignore``) has it.
    """
    clean = " ".join(str(name).split())
    if not clean:
        raise ProjectError("A class needs a name.")
    if len(clean) > 200:
        raise ProjectError("A class name can be at most 200 characters long.")
    for c in classes:
        if c is not ignore and c.name.casefold() == clean.casefold():
            raise ProjectError(f"There is already a class called {c.name!r}.")
    return clean


def free_class_folder(folder: Path, classes: Sequence[ClassEntry], name: str,
                      ignore: ClassEntry | None = None) -> str:
    """A folder name for a class called ``name``: its slug, numbered when another class has it or
    images/<slug> is not free (a non-empty folder, a file or a symlink). ``ignore`` keeps its own."""
    if ignore is not None and ignore.folder.casefold() == slugify(name).casefold():
        return ignore.folder
    used = {c.folder.casefold() for c in classes if c is not ignore}
    base = slugify(name)
    slug, i = base, 2
    while slug.casefold() in used or not folder_is_free(folder / IMAGES, slug):
        slug, i = f"{base}-{i}", i + 1
    return slug


def move_class_folder(folder: Path, old: str, new: str) -> bool:
    """Rename images/<old> to images/<new> (a free folder); True when done or when there is nothing
    to move, False (logged) when the file system refused.

    Raises:
        ProjectError: either folder is a symlink or not a folder; nothing changed.
    """
    src, dst = class_dir(folder, old), class_dir(folder, new)
    if not os.path.lexists(src):
        return True
    try:
        if os.path.lexists(dst):
            dst.rmdir()            # a real, empty folder (a non-empty one or a link is never chosen)
        os.replace(src, dst)
    except OSError as exc:
        logger.warning("could not rename %s: %s", src, exc)
        return False
    return True


def relocate(folder: Path, rel: str, class_folder: str, name: str | None = None) -> str:
    """Move a project file into images/<class_folder>/ and return its new relative path.

    The file stays where it is (and its old path is returned) when it cannot move: a path through
    a symlink, a name already taken in the target folder, or a file-system error.
    """
    dst_rel = f"{IMAGES}/{class_folder}/{name or Path(rel).name}"
    try:
        src, dst = inside(folder, rel), inside(folder, dst_rel)
        class_dir(folder, class_folder)
        if not os.path.lexists(src):
            return dst_rel
        if os.path.lexists(dst):
            raise ProjectError(f"{dst} already exists")
        make_dirs(folder, dst.parent)
        os.replace(src, dst)
    except OSError as exc:                  # ProjectError is an OSError too
        logger.warning("could not move %s: %s", rel, exc)
        return rel
    return dst_rel


def is_file(path: Path) -> bool:
    """True for an existing regular file (an unreadable or over-long path counts as missing)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def trash(folder: Path, rels: Sequence[str]) -> list[tuple[str, Path]]:
    """Move files into a fresh .trash/<stamp>/ folder; returns (original rel, trash path).

    Every path is checked before anything moves (no ``..``, no symlink on the way, including
    ``.trash`` itself), so a refused path leaves all files where they were. A failure while moving
    puts back what had moved.

    Raises:
        ProjectError: a path is unsafe, or a file could not be moved.
    """
    if not rels:
        return []
    stamp = f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}"
    plan = []
    for rel in rels:
        src = inside(folder, rel)
        if not os.path.lexists(src):
            continue
        plan.append((rel, src, inside(folder, f"{TRASH}/{stamp}/{rel}")))
    moved: list[tuple[str, Path]] = []
    for rel, src, dst in plan:
        try:
            make_dirs(folder, dst.parent)
            os.replace(src, dst)
        except OSError as exc:                         # ProjectError is an OSError too
            with contextlib.suppress(ProjectError):
                untrash(folder, moved)
            raise ProjectError(f"Could not move {src} to the project's trash: {exc.strerror or exc}") from exc
        moved.append((rel, dst))
    return moved


def untrash(folder: Path, moved: Sequence[tuple[str, Path]]) -> None:
    """Put files back from the trash; neither side may pass through a symlink below ``folder``."""
    lost = []
    for rel, trashed in moved:
        try:
            check_inside(folder, trashed)
            dst = inside(folder, rel)
            make_dirs(folder, dst.parent)
            os.replace(trashed, dst)
        except (OSError, UnsafePathError) as exc:      # ProjectError is an OSError
            lost.append((rel, exc))
    if lost:
        raise ProjectError(f"{len(lost)} file(s) could not be restored from {folder / TRASH} "
                           f"(first: {lost[0][0]}: {lost[0][1]}).")


def empty_old_trash(folder: Path, keep_days: int = TRASH_KEEP_DAYS) -> None:
    """Delete trash folders older than ``keep_days`` (undo history ends with the session).

    Only real folders inside the project's real ``.trash`` folder are deleted: a ``.trash`` that is
    a link (or junction) is left alone, and so is every entry that is a link or a file. ``rmtree``
    itself removes links found inside a folder without following them.
    """
    trash_dir = Path(folder) / TRASH
    if not real_folder(trash_dir):
        return
    limit = time.time() - keep_days * 86400
    try:
        with os.scandir(trash_dir) as it:
            entries = list(it)
    except OSError:
        return
    for entry in entries:
        sub = Path(entry.path)
        with contextlib.suppress(OSError):
            if real_folder(sub) and os.lstat(sub).st_mtime < limit:
                shutil.rmtree(sub)
