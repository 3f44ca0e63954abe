"""Undo for a project: the history of undo steps, and the take-out record that lets image edits be reversed.

Kept apart from :mod:`project`; nothing here saves the manifest or records changes (the project does).
"""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from rmadapter_app.core.project.files import ClassEntry, ImageEntry, trash

MAX_UNDO = 200


@dataclass
class UndoStep:
    description: str
    undo: Callable[[], None]


class UndoHistory:
    """The newest-last list of undo steps (at most ``MAX_UNDO``), with grouping of steps into one."""

    def __init__(self) -> None:
        self._steps: list[UndoStep] = []
        self._group: list[UndoStep] | None = None

    def can_undo(self) -> bool:
        return bool(self._steps)

    def last_description(self) -> str | None:
        return self._steps[-1].description if self._steps else None

    def pop(self) -> UndoStep | None:
        """Take the newest step off the history (None when it is empty); the caller runs it."""
        return self._steps.pop() if self._steps else None

    def push(self, description: str, undo: Callable[[], None]) -> None:
        step = UndoStep(description, undo)
        if self._group is not None:
            self._group.append(step)
            return
        self._steps.append(step)
        del self._steps[:-MAX_UNDO]

    @contextlib.contextmanager
    def grouped(self, description: Callable[[], str]) -> Iterator[None]:
        """Collect the steps pushed inside into one undo step."""
        outer, self._group = self._group, []
        try:
            yield
        finally:
            steps, self._group = self._group, outer
            if steps:
                def undo_all() -> None:
                    for s in reversed(steps):
                        s.undo()
                self.push(description(), undo_all)


@dataclass
class Taken:
    """Images taken out of a class: their old positions, and where their files went in the trash."""

    positions: list[tuple[int, ImageEntry]]
    trashed: list[tuple[str, Path]]

    def __bool__(self) -> bool:
        return bool(self.positions)


def take_out(folder: Path, entry: ClassEntry, image_ids: Sequence[str], to_trash: bool) -> Taken:
    """Choose the images ``image_ids`` of ``entry`` and, when ``to_trash``, move their files to the trash.

    ``entry.images`` is not changed here: the caller removes them with :func:`remove_taken` (with the
    project's change lock held, together with recording the change).

    Raises:
        ProjectError: a file could not go to the trash (a symlink on its path, say); nothing changed.
    """
    wanted = set(image_ids)
    positions = [(i, e) for i, e in enumerate(entry.images) if e.id in wanted]
    # files first: a refused or failed trash (ProjectError) leaves the class as it was
    trashed = trash(folder, [e.file for _, e in positions]) if to_trash else []
    return Taken(positions, trashed)


def remove_taken(entry: ClassEntry, taken: Taken) -> None:
    """Remove taken-out images from ``entry``."""
    ids = {e.id for _, e in taken.positions}
    entry.images[:] = [e for e in entry.images if e.id not in ids]


def put_back(entry: ClassEntry, positions: list[tuple[int, ImageEntry]]) -> tuple[int, ...]:
    """Insert taken-out images back at their old positions; returns the rows they landed on (ascending)."""
    rows = []
    for i, e in sorted(positions, key=lambda p: p[0]):
        row = min(i, len(entry.images))
        entry.images.insert(row, e)
        rows.append(row)
    return tuple(rows)
