"""What changed in a project: small frozen change events, and the hub that hands them to subscribers.

Every edit of a :class:`rmadapter_app.core.project.project.Project` (and every undo) records one
event per change it made, in order; when the outermost edit ends, the events go to each subscriber
as one batch (a tuple), on the thread that made the edit. A batch is never empty.

Each event carries ``seq``, the project's change counter just after that change. A view that copies
part of the project (with the project's ``snapshot_*`` methods, which return the counter with the
copy) skips the events whose ``seq`` is not above its copy's: those changes are already in it. This
matters when events arrive late (from a worker thread, through a queue).

Rows are positions in a class's ``images`` list. For added images they are the final positions,
ascending (insert them one by one in that order); for removed images the positions before removal,
ascending (remove them from the last to the first).
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from rmadapter_app.core.project.files import ImageEntry

logger = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class ProjectChange:
    """Base of the change events; ``seq`` is set by the project when the change is recorded."""

    seq: int = 0


@dataclass(frozen=True)
class ClassAdded(ProjectChange):
    """A class appeared at ``index`` of ``project.classes`` (new, or brought back by undo)."""

    name: str
    index: int


@dataclass(frozen=True)
class ClassRemoved(ProjectChange):
    """The class at ``index`` went away, with its images."""

    name: str
    index: int


@dataclass(frozen=True)
class ClassRenamed(ProjectChange):
    """The class at ``index`` is now called ``new`` (its image files may have moved with it)."""

    old: str
    new: str
    index: int


@dataclass(frozen=True)
class DescriptionChanged(ProjectChange):
    """The description (part of the prompt) of the class at ``index`` changed."""

    name: str
    index: int
    description: str


@dataclass(frozen=True)
class ImagesAdded(ProjectChange):
    """``entries`` were inserted into ``class_name`` at ``rows`` (final positions, ascending)."""

    class_name: str
    rows: tuple[int, ...]
    entries: tuple[ImageEntry, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(e.id for e in self.entries)


@dataclass(frozen=True)
class ImagesRemoved(ProjectChange):
    """The images ``ids`` left ``class_name`` from ``rows`` (positions before removal, ascending)."""

    class_name: str
    rows: tuple[int, ...]
    ids: tuple[str, ...]


@dataclass(frozen=True)
class ImagesMoved(ProjectChange):
    """``entries`` left ``src`` from ``src_rows`` and were inserted into ``dst`` at ``dst_rows``.

    ``entries`` are in the order of ``dst_rows``; both row tuples are ascending.
    """

    src: str
    dst: str
    src_rows: tuple[int, ...]
    dst_rows: tuple[int, ...]
    entries: tuple[ImageEntry, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(e.id for e in self.entries)


@dataclass(frozen=True)
class ProjectReset(ProjectChange):
    """Anything may have changed (an undo that failed part-way): copies of the project are rebuilt."""


ChangeCallback = Callable[[tuple[ProjectChange, ...]], None]


def runs(rows: Sequence[int]) -> list[tuple[int, int]]:
    """Ascending rows as (first, last) runs of consecutive rows: (0, 1, 2, 5) -> [(0, 2), (5, 5)]."""
    out: list[tuple[int, int]] = []
    for r in rows:
        if out and r == out[-1][1] + 1:
            out[-1] = (out[-1][0], r)
        else:
            out.append((r, r))
    return out


class ChangeHub:
    """The subscribers of one project, its change counter, and the batch being collected.

    ``lock`` is held while the project changes its lists together with :meth:`record`, so a snapshot
    taken under it matches ``seq`` exactly. It is short-lived (never held while files are copied),
    unlike the project's edit lock, so a view can take a snapshot while a long add runs elsewhere.
    """

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.seq = 0
        self._depth = 0                                  # nesting of edits (only the editing thread)
        self._pending: list[ProjectChange] = []
        self._subscribers: list[ChangeCallback] = []
        self._subscribers_lock = threading.Lock()

    def subscribe(self, callback: ChangeCallback) -> Callable[[], None]:
        """Call ``callback(batch)`` after every edit; returns a function that unsubscribes it."""
        with self._subscribers_lock:
            self._subscribers.append(callback)

        def unsubscribe() -> None:
            with self._subscribers_lock:
                if callback in self._subscribers:
                    self._subscribers.remove(callback)
        return unsubscribe

    # ---------------------------------------------------------------- used by the project, inside its edit lock
    def begin(self) -> None:
        self._depth += 1

    def end(self) -> tuple[ProjectChange, ...]:
        """Leave an edit; returns the batch to deliver when it was the outermost one, else ()."""
        self._depth -= 1
        if self._depth > 0 or not self._pending:
            return ()
        batch, self._pending = tuple(self._pending), []
        return batch

    def record(self, change: ProjectChange) -> None:
        """Number ``change`` and add it to the batch (call with ``lock`` held, right after the change)."""
        with self.lock:
            self.seq += 1
            self._pending.append(replace(change, seq=self.seq))

    def mark(self) -> int:
        """How many changes the current batch holds (see :meth:`reset_since`)."""
        return len(self._pending)

    def reset_since(self, mark: int) -> None:
        """Replace the changes recorded after ``mark`` by one :class:`ProjectReset`."""
        del self._pending[mark:]
        self.record(ProjectReset())

    def deliver(self, batch: tuple[ProjectChange, ...]) -> None:
        """Hand ``batch`` to every subscriber; one that raises is logged and the others still run."""
        with self._subscribers_lock:
            subscribers = list(self._subscribers)
        for callback in subscribers:
            try:
                callback(batch)
            except Exception:                           # noqa: BLE001 - the edit itself has succeeded
                logger.exception("a project change subscriber failed")
