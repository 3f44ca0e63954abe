"""Adding images on the Project page: which adds run at once, and the clipboard's image as a file.

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

from PySide6.QtGui import QGuiApplication, QImage

from rmadapter_app.core.project.drops import DropPlan

SYNC_LIMIT = 4      # up to this many single files are added on the GUI thread; more go to a job


def small_add(paths: Sequence[Path]) -> bool:
    """Files (no folders) added to one class: at most SYNC_LIMIT run at once."""
    return len(paths) <= SYNC_LIMIT and all(p.is_file() for p in paths)


def small_drop(plan: DropPlan) -> bool:
    """A drop that makes no classes and holds at most SYNC_LIMIT files runs at once."""
    return not plan.import_roots and not plan.folder_classes and len(plan.files) <= SYNC_LIMIT


def clipboard_has_image() -> bool:
    mime = QGuiApplication.clipboard().mimeData()
    return mime is not None and mime.hasImage()


@contextlib.contextmanager
def clipboard_image_file() -> Iterator[Path | None]:
    """The clipboard's image saved as a PNG in a temporary folder (None when it cannot be read);
    the folder is removed afterwards."""
    image = QImage(QGuiApplication.clipboard().image())
    tmp = Path(tempfile.mkdtemp(prefix="rmadapter-paste-"))
    try:
        path = tmp / f"pasted-{time.strftime('%Y%m%d-%H%M%S')}.png"
        yield path if not image.isNull() and image.save(str(path), "PNG") else None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
