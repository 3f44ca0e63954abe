"""The pieces of a project on disk: entry dataclasses, names for folders, the trash.

Kept apart from :mod:`project` so that module stays about editing; nothing here knows about undo.
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ProjectError
from .images import Problem

MANIFEST = "project.json"
IMAGES = "images"
TRASH = ".trash"
TRASH_KEEP_DAYS = 30
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
    """What an add did: copies made, files already in the project, files refused (with reasons)."""

    added: list[ImageEntry] = field(default_factory=list)
    duplicates: list[tuple[Path, str]] = field(default_factory=list)   # (file, class that holds it)
    rejected: list[Problem] = field(default_factory=list)
    stopped: bool = False
    classes_created: list[str] = field(default_factory=list)

    def merge(self, other: AddResult) -> None:
        self.added += other.added
        self.duplicates += other.duplicates
        self.rejected += other.rejected
        self.stopped = self.stopped or other.stopped
        self.classes_created += other.classes_created


def folder_name(name: str, fallback: str = "Untitled") -> str:
    """A file-system-safe folder name that keeps the text readable."""
    clean = _BAD_CHARS.sub("_", name).strip().strip(".").strip()
    return clean[:80] or fallback


def slugify(name: str) -> str:
    """Class name to a folder slug: lowercase letters/digits joined by '-'."""
    slug = "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split())
    return slug[:60] or "class"


def trash(folder: Path, rels: Sequence[str]) -> list[tuple[str, Path]]:
    """Move files into a fresh .trash/<stamp>/ folder; returns (original rel, trash path)."""
    if not rels:
        return []
    bin_dir = folder / TRASH / f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}"
    moved = []
    for rel in rels:
        src = folder / rel
        if not src.exists():
            continue
        dst = bin_dir / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(src, dst)
        except OSError as exc:
            raise ProjectError(f"Could not move {src} to the project's trash: {exc.strerror or exc}") from exc
        moved.append((rel, dst))
    return moved

def untrash(folder: Path, moved: Sequence[tuple[str, Path]]) -> None:
    lost = []
    for rel, trashed in moved:
        dst = folder / rel
        try:
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.replace(trashed, dst)
        except OSError:
            lost.append(rel)
    if lost:
        raise ProjectError(f"{len(lost)} file(s) could not be restored from {folder / TRASH} "
                           f"(first: {lost[0]}).")

def empty_old_trash(folder: Path, keep_days: int = TRASH_KEEP_DAYS) -> None:
    """Delete trash folders older than ``keep_days`` (undo history ends with the session)."""
    trash = folder / TRASH
    if not trash.is_dir():
        return
    limit = time.time() - keep_days * 86400
    for sub in trash.iterdir():
        with contextlib.suppress(OSError):
            if sub.stat().st_mtime < limit:
                shutil.rmtree(sub)


def non_empty_dir(path: Path) -> bool:
    try:
        return path.is_dir() and any(path.iterdir())
    except OSError:
        return True
