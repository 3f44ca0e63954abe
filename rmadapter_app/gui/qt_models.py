"""Qt item models over :class:`rmadapter_app.core.project.project.Project` (classes, and one class's images).

The models only read the project; edits go through the page, which calls the project and then
``refresh()``. Renaming in place (F2 / double-click) is the one edit a model starts: it calls
``rename`` through the callback it was given, so errors are shown by the page.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (QAbstractListModel, QCoreApplication, QMimeData, QModelIndex, QPersistentModelIndex,
                            QRect, QSize, Qt)
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from .thumbnails import ThumbnailCache
from .widgets.drop_area import image_ids_mime

NameRole = Qt.ItemDataRole.UserRole + 1
CountRole = Qt.ItemDataRole.UserRole + 2
IdRole = Qt.ItemDataRole.UserRole + 3
PathRole = Qt.ItemDataRole.UserRole + 4

_Index = QModelIndex | QPersistentModelIndex


def _tr(text: str) -> str:
    return QCoreApplication.translate("ProjectPage", text)


class ClassListModel(QAbstractListModel):
    """One row per class of ``project_getter()``: name, image count, zero-shot when empty."""

    def __init__(self, project_getter: Callable, rename: Callable[[str, str], bool] | None = None, parent=None):
        super().__init__(parent)
        self._project = project_getter
        self._rename = rename
        self._names: list[str] = []
        self.refresh()

    def _classes(self) -> list:
        project = self._project()
        return list(project.classes) if project is not None else []

    def refresh(self) -> None:
        """Sync with the project: a reset when the class list changed, else a repaint of every row."""
        names = [c.name for c in self._classes()]
        if len(names) != len(self._names):
            self.beginResetModel()
            self._names = names
            self.endResetModel()
        else:
            self._names = names
            if names:
                self.dataChanged.emit(self.index(0), self.index(len(names) - 1))

    def reset(self) -> None:
        """Rebuild from scratch (another project was opened)."""
        self.beginResetModel()
        self._names = [c.name for c in self._classes()]
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._names)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        classes = self._classes()
        if not index.isValid() or index.row() >= len(classes):
            return None
        c = classes[index.row()]
        n = len(c.images)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, NameRole):
            return c.name
        if role == CountRole:
            return n
        if role == Qt.ItemDataRole.ToolTipRole:
            project = self._project()
            prompt = project.prompt_for(c.name) if project is not None else c.name
            if n == 0:
                return _tr("No images yet: recognised zero-shot from its name.\nPrompt: {0}").format(prompt)
            return _tr("{0} images\nPrompt: {1}").format(n, prompt)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return _tr("{0}, zero-shot").format(c.name) if n == 0 else _tr("{0}, {1} images").format(c.name, n)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid():
            return base | Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsDropEnabled
        return base | Qt.ItemFlag.ItemIsDropEnabled

    def setData(self, index: _Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self._rename is None:
            return False
        old = self.data(index, NameRole)
        new = str(value).strip()
        if not new or new == old:
            return False
        return bool(self._rename(old, new))

    def row_of(self, name: str) -> int:
        key = name.casefold()
        for i, n in enumerate(self._names):
            if n.casefold() == key:
                return i
        return -1


class ImageListModel(QAbstractListModel):
    """The images of one class, with thumbnails from a :class:`ThumbnailCache`."""

    def __init__(self, project_getter: Callable, thumbs: ThumbnailCache, parent=None):
        super().__init__(parent)
        self._project = project_getter
        self._thumbs = thumbs
        self.class_name: str | None = None
        self._entries: list = []
        self._row_of_path: dict[str, int] = {}
        thumbs.ready.connect(self._on_thumbs_ready)

    def set_class(self, name: str | None) -> None:
        self.class_name = name
        self.refresh()

    def refresh(self) -> None:
        project = self._project()
        entries = []
        if project is not None and self.class_name and project.has_class(self.class_name):
            entries = list(project.get_class(self.class_name).images)
        self.beginResetModel()
        self._entries = entries
        self._row_of_path = {str(project.image_path(e)): i for i, e in enumerate(entries)} if project else {}
        self.endResetModel()

    def entries(self) -> list:
        return list(self._entries)

    def path(self, row: int) -> str:
        project = self._project()
        return str(project.image_path(self._entries[row])) if project is not None else ""

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._entries)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._entries):
            return None
        e = self._entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return e.original_name
        if role == Qt.ItemDataRole.DecorationRole:
            return self._thumbs.icon(self.path(index.row()))
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tr("{0}\nstored as {1}").format(e.original_name, e.file)
        if role == IdRole:
            return e.id
        if role == PathRole:
            return self.path(index.row())
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() else base

    def mimeTypes(self) -> list[str]:
        from .widgets.drop_area import IMAGE_IDS_MIME
        return [IMAGE_IDS_MIME]

    def mimeData(self, indexes) -> QMimeData:
        return image_ids_mime([self._entries[i.row()].id for i in indexes if i.isValid()])

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def _on_thumbs_ready(self, path: str) -> None:
        row = self._row_of_path.get(path)
        if row is not None and row < len(self._entries):
            idx = self.index(row)
            self.dataChanged.emit(idx, idx, [Qt.ItemDataRole.DecorationRole])


class ClassItemDelegate(QStyledItemDelegate):
    """Draws a class row as its name plus a right-aligned count, or an italic "zero-shot" badge."""

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        count = index.data(CountRole) or 0
        badge = _tr("zero-shot") if count == 0 else str(count)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        rect: QRect = opt.rect.adjusted(8, 0, -8, 0)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.save()
        badge_font = QFont(opt.font)
        badge_font.setItalic(count == 0)
        badge_font.setPointSizeF(max(6.0, opt.font.pointSizeF() * 0.9))
        painter.setFont(badge_font)
        painter.setPen(opt.palette.color(text_role if selected else QPalette.ColorRole.PlaceholderText))
        badge_w = painter.fontMetrics().horizontalAdvance(badge) + 4
        painter.drawText(rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, badge)
        painter.setFont(opt.font)
        painter.setPen(opt.palette.color(text_role))
        name_rect = rect.adjusted(0, 0, -badge_w - 8, 0)
        name = painter.fontMetrics().elidedText(str(index.data(NameRole) or ""), Qt.TextElideMode.ElideRight,
                                                name_rect.width())
        painter.drawText(name_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, name)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width() + 60, max(size.height(), option.fontMetrics.height() + 12))
