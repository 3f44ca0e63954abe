"""Adding images on the Project page: which adds run at once, a picture (clipboard, camera) as a file,
and the status line an add ends with.

Planning a drop (which path becomes which class) is core: :mod:`rmadapter_app.core.project.drops`.
Carrying a plan out is :class:`rmadapter_app.gui.image_adder.ImageAdder`. Small adds run at once
on the GUI thread; larger ones run as a job so the window stays responsive.
"""
from __future__ import annotations

import contextlib
import shutil
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QGuiApplication, QImage

from rmadapter_app.core.project.drops import DropPlan

SYNC_LIMIT = 4      # up to this many single files are added on the GUI thread; more go to a job


def small_add(paths: Sequence[Path]) -> bool:
    """Files (no folders) added to one class: at most SYNC_LIMIT run at once."""
    return len(paths) <= SYNC_LIMIT and all(p.is_file() for p in paths)


def small_drop(plan: DropPlan) -> bool:
    """A drop that makes no classes and holds at most SYNC_LIMIT files runs at once."""
    return not plan.import_roots and not plan.folder_classes and len(plan.files) <= SYNC_LIMIT


def add_summary(result) -> str:
    """The status line after an add (a core ``AddResult``): what was added, made, skipped, noted.
    In the page's context, where the English plural forms are."""
    n_added, n_made, n_dup = len(result.added), len(result.classes_created), len(result.duplicates)
    n_skipped, n_noted = len(result.rejected), len(getattr(result, "warnings", []))
    parts = [QCoreApplication.translate("ProjectPage", "Added %n image(s).", "", n_added)]
    if n_made:
        parts.append(QCoreApplication.translate("ProjectPage", "Created %n class(es).", "", n_made))
    if n_dup:
        parts.append(QCoreApplication.translate("ProjectPage", "%n already in the project.", "", n_dup))
    if n_skipped:
        parts.append(QCoreApplication.translate("ProjectPage", "%n file(s) skipped: see Problems.", "", n_skipped))
    if n_noted:
        parts.append(QCoreApplication.translate("ProjectPage", "%n added with a note: see Problems.", "", n_noted))
    if result.stopped:
        parts.append(QCoreApplication.translate("ProjectPage", "Stopped early; the images added so far are kept."))
    return " ".join(parts)


def clipboard_has_image() -> bool:
    mime = QGuiApplication.clipboard().mimeData()
    return mime is not None and mime.hasImage()


@contextlib.contextmanager
def clipboard_image_file() -> Iterator[Path | None]:
    """The clipboard's image saved as a PNG in a temporary folder (None when it cannot be read);
    the folder is removed afterwards."""
    with image_file(QImage(QGuiApplication.clipboard().image()), "pasted") as path:
        yield path


@contextlib.contextmanager
def image_file(image: QImage, stem: str) -> Iterator[Path | None]:
    """``image`` saved as ``<stem>-<date>-<time>-<ms>.png`` in a temporary folder (None when it is empty or
    cannot be saved); the folder is removed afterwards. A camera picture or a pasted one is added
    to the project from such a file, like any other."""
    tmp = Path(tempfile.mkdtemp(prefix=f"rmadapter-{stem}-"))
    try:
        now = time.time()
        path = tmp / f"{stem}-{time.strftime('%Y%m%d-%H%M%S', time.localtime(now))}-{int(now * 1000) % 1000:03d}.png"
        yield path if not image.isNull() and image.save(str(path), "PNG") else None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
