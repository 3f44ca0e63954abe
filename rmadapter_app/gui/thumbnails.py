"""Thumbnails made off the GUI thread, kept in a small in-memory LRU.

A :class:`QRunnable` per image decodes and shrinks it with Pillow into a ``QImage`` (safe off
the GUI thread) and emits it through a signal object; :class:`ThumbnailCache` (a GUI-thread
QObject) receives it in a bound slot, turns it into a ``QPixmap`` and announces ``ready(path)``.
Only images a view actually asks for are decoded, so a class of thousands costs nothing until
scrolled to.
"""
from __future__ import annotations

import logging
from collections import OrderedDict
from pathlib import Path

from PIL import Image, ImageOps
from PySide6.QtCore import QObject, QRunnable, QSize, Qt, QThreadPool, Signal, Slot
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QStyle

logger = logging.getLogger(__name__)

THUMB_SIZE = 96                  # the Project page's default; its slider goes from THUMB_MIN to THUMB_MAX
THUMB_MIN, THUMB_MAX = 48, 256
_FAST_MODES = {"RGB", "RGBA", "L", "LA", "P", "PA", "CMYK", "1", "YCbCr"}


def make_thumbnail(path: Path, size: int = THUMB_SIZE) -> QImage:
    """An upright RGBA thumbnail whose longer side is ``size``: large images shrink, small ones are
    enlarged (smoothly; pixel by pixel below a quarter of ``size``, so a tiny image shows as what it
    is). A null QImage when the file is unreadable."""
    try:
        with Image.open(path) as im:
            im.draft("RGB", (size * 2, size * 2))       # JPEG: decode at a reduced scale
            if im.mode in _FAST_MODES:
                im = ImageOps.exif_transpose(im) or im
                im.thumbnail((size, size))
                im = im.convert("RGBA")
            else:                                        # 16-bit, float ...: the careful path
                from rmadapter_app.core.images import load_rgb
                im = load_rgb(path)
                im.thumbnail((size, size))
                im = im.convert("RGBA")
            im = _enlarge(im, size)
            data = im.tobytes("raw", "RGBA")
            qimg = QImage(data, im.width, im.height, im.width * 4, QImage.Format.Format_RGBA8888)
            return qimg.copy()                           # own the pixels before `data` goes away
    except Exception as exc:  # any decoder error means "no thumbnail", never a crash
        logger.info("no thumbnail for %s: %s", path, exc)
        return QImage()


def _enlarge(im: Image.Image, size: int) -> Image.Image:
    """Scale a small image up until its longer side is ``size`` (aspect kept)."""
    longest = max(im.size)
    if longest >= size or longest == 0:
        return im
    scale = size / longest
    new = (max(1, round(im.width * scale)), max(1, round(im.height * scale)))
    resample = Image.Resampling.NEAREST if longest * 4 <= size else Image.Resampling.BICUBIC
    return im.resize(new, resample)


class _Signals(QObject):
    done = Signal(str, int, QImage)           # path, the size it was made at, the thumbnail


class _ThumbTask(QRunnable):
    def __init__(self, path: str, size: int, signals: _Signals):
        super().__init__()
        self._path, self._size, self._signals = path, size, signals
        self.setAutoDelete(True)

    def run(self) -> None:
        image = make_thumbnail(Path(self._path), self._size)
        try:
            self._signals.done.emit(self._path, self._size, image)
        except RuntimeError:      # the cache was destroyed meanwhile
            pass


class ThumbnailCache(QObject):
    """Pixmaps by file path; missing ones are requested from a thread pool and announced by ``ready``.

    Signals:
        ready(str): the thumbnail of this path is now available (or known to be unreadable).
    """

    ready = Signal(str)

    def __init__(self, size: int = THUMB_SIZE, capacity: int = 800, parent: QObject | None = None):
        super().__init__(parent)
        self._pool = QThreadPool(self)       # created first: destroyed (waiting for tasks) before _signals
        self._pool.setMaxThreadCount(2)
        self._signals = _Signals(self)
        self._signals.done.connect(self._on_done)
        self.size = size
        self.capacity = capacity
        self._cache: OrderedDict[str, QPixmap] = OrderedDict()
        self._failed: set[str] = set()
        self._pending: set[str] = set()
        self._placeholder: QIcon | None = None
        self._broken: QIcon | None = None

    def icon(self, path: Path | str) -> QIcon:
        """The thumbnail if loaded; else a placeholder (and the load is queued)."""
        key = str(path)
        pix = self._cache.get(key)
        if pix is not None:
            self._cache.move_to_end(key)
            return QIcon(pix)
        if key in self._failed:
            return self._broken_icon()
        self.request(key)
        return self._placeholder_icon()

    def has(self, path: Path | str) -> bool:
        """True when the thumbnail is loaded (or the file is known to be unreadable)."""
        return str(path) in self._cache or str(path) in self._failed

    def request(self, path: Path | str) -> None:
        key = str(path)
        if key in self._pending or key in self._cache or key in self._failed:
            return
        self._pending.add(key)
        self._pool.start(_ThumbTask(key, self.size, self._signals))

    def set_size(self, size: int) -> bool:
        """Make thumbnails ``size`` pixels from now on (those made at the old size are dropped and made
        again when asked for). True when the size changed."""
        size = int(size)
        if size == self.size:
            return False
        self.clear()
        self.size = size
        self._placeholder = None
        return True

    def clear(self) -> None:
        self._pool.clear()
        self._cache.clear()
        self._failed.clear()
        self._pending.clear()

    def wait(self, msecs: int = 30000) -> bool:
        """Block until queued thumbnails are made (shutdown and tests)."""
        return self._pool.waitForDone(msecs)

    @Slot(str, int, QImage)
    def _on_done(self, path: str, size: int, image: QImage) -> None:
        if path not in self._pending or size != self.size:
            return                           # cleared meanwhile, or made at a size no longer wanted
        self._pending.discard(path)
        if image.isNull():
            self._failed.add(path)
        else:
            self._cache[path] = QPixmap.fromImage(image)
            while len(self._cache) > self.capacity:
                self._cache.popitem(last=False)
        self.ready.emit(path)

    def _placeholder_icon(self) -> QIcon:
        if self._placeholder is None:
            pix = QPixmap(QSize(self.size, self.size))
            pix.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pix)
            colour = QColor(QApplication.palette().color(QPalette.ColorRole.Mid))
            colour.setAlpha(90)
            painter.fillRect(pix.rect().adjusted(4, 4, -4, -4), colour)
            painter.end()
            self._placeholder = QIcon(pix)
        return self._placeholder

    def _broken_icon(self) -> QIcon:
        if self._broken is None:
            self._broken = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        return self._broken
