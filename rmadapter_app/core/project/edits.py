"""The in-memory edits of a project's class and image lists, each recorded as a change event.

These are the only functions that change ``project.classes`` or a class's ``images`` after a project
is opened. Each one holds the hub's lock while it changes the lists and records the event, so a
snapshot taken under that lock always holds exactly the changes up to its ``seq``. Nothing here
touches files, saves or keeps undo steps: :class:`rmadapter_app.core.project.project.Project` does.
"""
from __future__ import annotations

from collections.abc import Sequence

from rmadapter_app.core.project.changes import (
    ChangeHub,
    ClassAdded,
    ClassRemoved,
    ClassRenamed,
    DescriptionChanged,
    ImagesAdded,
    ImagesMoved,
    ImagesRemoved,
)
from rmadapter_app.core.project.files import IMAGES, ClassEntry, ImageEntry
from rmadapter_app.core.project.undo import Taken, put_back, remove_taken


def insert_class(hub: ChangeHub, classes: list[ClassEntry], entry: ClassEntry, index: int) -> None:
    """Put ``entry`` at ``index`` (at the end when the list is shorter)."""
    with hub.lock:
        index = min(index, len(classes))
        classes.insert(index, entry)
        hub.record(ClassAdded(entry.name, index))


def remove_class(hub: ChangeHub, classes: list[ClassEntry], entry: ClassEntry) -> None:
    with hub.lock:
        index = classes.index(entry)
        classes.remove(entry)
        hub.record(ClassRemoved(entry.name, index))


def rename_class(hub: ChangeHub, classes: list[ClassEntry], entry: ClassEntry, name: str,
                 new_folder: str | None) -> None:
    """Call ``entry`` ``name``; with ``new_folder`` (its files already moved there) repoint its images."""
    with hub.lock:
        old = entry.name
        entry.name = name
        if new_folder is not None:
            prefix = f"{IMAGES}/{entry.folder}/"
            for e in entry.images:
                if e.file.startswith(prefix):
                    e.file = f"{IMAGES}/{new_folder}/" + e.file[len(prefix):]
            entry.folder = new_folder
        hub.record(ClassRenamed(old, name, classes.index(entry)))


def set_description(hub: ChangeHub, classes: list[ClassEntry], entry: ClassEntry, text: str) -> None:
    with hub.lock:
        entry.description = text
        hub.record(DescriptionChanged(entry.name, classes.index(entry), text))


def append_images(hub: ChangeHub, entry: ClassEntry, added: Sequence[ImageEntry]) -> None:
    with hub.lock:
        start = len(entry.images)
        entry.images += added
        hub.record(ImagesAdded(entry.name, tuple(range(start, start + len(added))), tuple(added)))


def remove_images(hub: ChangeHub, entry: ClassEntry, taken: Taken) -> None:
    """Remove taken-out images (see :func:`undo.take_out`) from ``entry``; nothing when none were taken."""
    if not taken:
        return
    with hub.lock:
        remove_taken(entry, taken)
        hub.record(ImagesRemoved(entry.name, tuple(i for i, _ in taken.positions),
                                 tuple(e.id for _, e in taken.positions)))


def put_images_back(hub: ChangeHub, entry: ClassEntry, taken: Taken) -> None:
    """Insert taken-out images back where they were (undo of a removal)."""
    with hub.lock:
        rows = put_back(entry, taken.positions)
        hub.record(ImagesAdded(entry.name, rows, _in_row_order(taken)))


def move_images(hub: ChangeHub, src: ClassEntry, dst: ClassEntry, taken: Taken) -> None:
    """Take ``taken``'s images out of ``src`` and append them to ``dst`` (their files already moved)."""
    moved = [e for _, e in taken.positions]
    with hub.lock:
        remove_taken(src, taken)
        start = len(dst.images)
        dst.images += moved
        hub.record(ImagesMoved(src.name, dst.name, tuple(i for i, _ in taken.positions),
                               tuple(range(start, start + len(moved))), tuple(moved)))


def move_images_back(hub: ChangeHub, src: ClassEntry, dst: ClassEntry, taken: Taken) -> None:
    """Undo of :func:`move_images`: take the images out of ``dst``, back to their places in ``src``."""
    ids = {e.id for _, e in taken.positions}
    with hub.lock:
        rows_in_dst = tuple(i for i, e in enumerate(dst.images) if e.id in ids)
        dst.images[:] = [e for e in dst.images if e.id not in ids]
        rows = put_back(src, taken.positions)
        hub.record(ImagesMoved(dst.name, src.name, rows_in_dst, rows, _in_row_order(taken)))


def _in_row_order(taken: Taken) -> tuple[ImageEntry, ...]:
    return tuple(e for _, e in sorted(taken.positions, key=lambda p: p[0]))
