"""Dropping files, folders and project images onto list views.

:class:`DropListView` turns a drop into plain data right away (QUrl -> Path, the napari idiom)
and emits it; the page decides what the drop means. Image ids dragged out of a thumbnail grid
travel as :data:`IMAGE_IDS_MIME`, so dropping them on a class moves them.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeyEvent, QKeySequence, QPainter, QPalette
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

IMAGE_IDS_MIME = "application/x-rmadapter-image-ids"


def paths_from_mime(mime: QMimeData | None) -> list[Path]:
    """Local files and folders named by a drop or the clipboard (remote URLs are ignored)."""
    if mime is None or not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile() and url.toLocalFile()]


def image_ids_from_mime(mime: QMimeData | None) -> list[str]:
    if mime is None or not mime.hasFormat(IMAGE_IDS_MIME):
        return []
    text = bytes(mime.data(IMAGE_IDS_MIME).data()).decode("utf-8", "replace")
    return [s for s in text.split("\n") if s]


def image_ids_mime(ids: list[str]) -> QMimeData:
    mime = QMimeData()
    mime.setData(IMAGE_IDS_MIME, "\n".join(ids).encode("utf-8"))
    return mime


class DropListView(QListView):
    """A list view that accepts dropped files/folders and dragged project images.

    ``target_role`` names the model role whose value at the drop position is the drop target
    (a class name); with None, or over empty space, the target is "".

    Signals:
        pathsDropped(list, str): local paths (as str) and the target.
        imagesDropped(list, str): image ids and the target.
        deletePressed(): Delete (or Backspace) was pressed while the view had focus.
    """

    pathsDropped = Signal(list, str)
    imagesDropped = Signal(list, str)
    deletePressed = Signal()

    def __init__(self, parent: QWidget | None = None, target_role: int | None = None, empty_text: str = ""):
        super().__init__(parent)
        self._target_role = target_role
        self.empty_text = empty_text
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)

    def target_at(self, pos: QPoint) -> str:
        if self._target_role is None:
            return ""
        index: QModelIndex = self.indexAt(pos)
        value = index.data(self._target_role) if index.isValid() else None
        return str(value) if value else ""

    def _accepts(self, mime: QMimeData) -> bool:
        return bool(paths_from_mime(mime)) or mime.hasFormat(IMAGE_IDS_MIME)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._accepts(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        mime = event.mimeData()
        if not self._accepts(mime):
            event.ignore()
            return
        if mime.hasFormat(IMAGE_IDS_MIME) and not self.target_at(event.position().toPoint()):
            event.ignore()                        # images can only be dropped onto a class
            return
        if mime.hasFormat(IMAGE_IDS_MIME):
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
        else:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        target = self.target_at(event.position().toPoint())
        paths = paths_from_mime(mime)
        ids = image_ids_from_mime(mime)
        if paths:
            event.acceptProposedAction()
            self.pathsDropped.emit([str(p) for p in paths], target)
        elif ids and target:
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
            self.imagesDropped.emit(ids, target)
        else:
            event.ignore()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.state() != QAbstractItemView.State.EditingState and (
                event.matches(QKeySequence.StandardKey.Delete) or event.key() == Qt.Key.Key_Backspace):
            event.accept()
            self.deletePressed.emit()
            return
        super().keyPressEvent(event)

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        model = self.model()
        if self.empty_text and (model is None or model.rowCount() == 0):
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(self.viewport().rect().adjusted(12, 12, -12, -12),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.empty_text)
            painter.end()


def set_grid_size(view: DropListView, icon_size: int) -> None:
    """Thumbnails of ``icon_size`` pixels, each in a cell with room for its name below."""
    from PySide6.QtCore import QSize
    view.setIconSize(QSize(icon_size, icon_size))
    view.setGridSize(QSize(icon_size + 28, icon_size + 34))


def make_grid(view: DropListView, icon_size: int) -> None:
    """Configure ``view`` as a thumbnail grid (icon mode, multi-select, drag out to classes)."""
    view.setViewMode(QListView.ViewMode.IconMode)
    view.setResizeMode(QListView.ResizeMode.Adjust)
    view.setMovement(QListView.Movement.Static)
    set_grid_size(view, icon_size)
    view.setUniformItemSizes(True)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)       # the name's start shows; the tooltip has it all
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    view.setDragEnabled(True)
    view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
    view.setDefaultDropAction(Qt.DropAction.MoveAction)
    view.setLayoutMode(QListView.LayoutMode.Batched)
    view.setBatchSize(200)
