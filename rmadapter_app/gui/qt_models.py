"""Qt item models over :class:`rmadapter_app.core.project.project.Project` (classes, and one class's images).

The models only read the project. Edits go through the page, which calls the project; the project
tells what changed (core change events, handed to :meth:`apply` on the GUI thread), and the models
turn each change into row inserts, row removals or ``dataChanged``: no reset for an ordinary edit.
A model resets only when it is pointed at other data (another project, another class) or on a
:class:`ProjectReset`.

Each model keeps its own list of rows (class names; image entries) with the project's change
counter (``seq``) at which that list was copied, and skips changes it already holds: events from a
worker thread arrive later than the change itself. Renaming in place (F2 / double-click) is the one
edit a model starts: it calls ``rename`` through the callback it was given, so errors are shown by
the page.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from rmadapter_app.core.project.changes import (
    ClassAdded,
    ClassRemoved,
    ClassRenamed,
    DescriptionChanged,
    ImagesAdded,
    ImagesMoved,
    ImagesRemoved,
    ProjectChange,
    ProjectReset,
    runs,
)
from rmadapter_app.gui.thumbnails import ThumbnailCache
from rmadapter_app.gui.widgets.drop_area import IMAGE_IDS_MIME, image_ids_mime

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
        self._seq = 0                      # the project's change counter when _names was last in step
        self.reset()

    def reset(self) -> None:
        """Rebuild from scratch (another project was opened, or a ProjectReset)."""
        project = self._project()
        self.beginResetModel()
        self._seq, self._names = project.snapshot_class_names() if project is not None else (0, [])
        self.endResetModel()

    def apply(self, changes: Sequence[ProjectChange]) -> None:
        """Follow the project's changes (GUI thread): rows inserted, removed or repainted."""
        for change in changes:
            if change.seq <= self._seq:
                continue                   # already in the names copied at the last reset
            self._seq = change.seq
            if isinstance(change, ProjectReset) or not self._follow(change):
                self.reset()               # a change that does not fit the rows we have: start afresh

    def _follow(self, change: ProjectChange) -> bool:
        """Apply one change; False when it does not match the rows (then the caller resets)."""
        if isinstance(change, ClassAdded):
            if not 0 <= change.index <= len(self._names):
                return False
            self.beginInsertRows(QModelIndex(), change.index, change.index)
            self._names.insert(change.index, change.name)
            self.endInsertRows()
        elif isinstance(change, ClassRemoved):
            if not (0 <= change.index < len(self._names) and self._names[change.index] == change.name):
                return False
            self.beginRemoveRows(QModelIndex(), change.index, change.index)
            del self._names[change.index]
            self.endRemoveRows()
        elif isinstance(change, ClassRenamed):
            if not (0 <= change.index < len(self._names) and self._names[change.index] == change.old):
                return False
            self._names[change.index] = change.new
            self._changed(change.index)
        elif isinstance(change, DescriptionChanged):
            self._changed(self.row_of(change.name))              # the prompt in the tooltip
        elif isinstance(change, (ImagesAdded, ImagesRemoved)):
            self._changed(self.row_of(change.class_name))        # the count
        elif isinstance(change, ImagesMoved):
            self._changed(self.row_of(change.src))
            self._changed(self.row_of(change.dst))
        return True

    def _changed(self, row: int) -> None:
        if 0 <= row < len(self._names):
            self.dataChanged.emit(self.index(row), self.index(row))

    def _class(self, row: int):
        """The project's class shown on ``row``, or None (gone meanwhile, or no project)."""
        project = self._project()
        if project is None or not 0 <= row < len(self._names) or not project.has_class(self._names[row]):
            return None
        return project.get_class(self._names[row])

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._names)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._names):
            return None
        name = self._names[index.row()]
        c = self._class(index.row())
        n = len(c.images) if c is not None else 0
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, NameRole):
            return name
        if role == CountRole:
            return n
        if role == Qt.ItemDataRole.ToolTipRole:
            project = self._project()
            prompt = project.prompt_for(name) if c is not None else name
            if n == 0:
                return _tr("No images yet: recognised from its name alone (CLIP's “zero-shot”).\n"
                           "Prompt: {0}").format(prompt)
            return _tr("{0} images\nPrompt: {1}").format(n, prompt)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return _tr("{0}, by name only, no images").format(name) if n == 0 else _tr("{0}, {1} images").format(name, n)
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
        self._seq = 0
        self._row_of_path: dict[str, int] = {}
        thumbs.ready.connect(self._on_thumbs_ready)

    def set_class(self, name: str | None) -> None:
        """Show the images of another class (a reset: the rows are other images)."""
        self.class_name = name
        self.reload()

    def reload(self) -> None:
        """Copy the shown class's images from the project again (a reset)."""
        project = self._project()
        seq, entries = (0, [])
        if project is not None:
            seq, entries = project.snapshot_images(self.class_name) if self.class_name else (project.change_seq, [])
        self.beginResetModel()
        self._seq, self._entries = seq, entries
        self._index_paths()
        self.endResetModel()

    def apply(self, changes: Sequence[ProjectChange]) -> None:
        """Follow the project's changes to the shown class (GUI thread): rows inserted or removed."""
        for change in changes:
            if change.seq <= self._seq:
                continue                   # already in the images copied at the last reload
            self._seq = change.seq
            if isinstance(change, ProjectReset) or not self._follow(change):
                self.reload()

    def _follow(self, change: ProjectChange) -> bool:
        """Apply one change; False when it does not match the rows (then the caller reloads)."""
        name = self.class_name
        if name is None:
            return True
        if isinstance(change, ImagesAdded) and change.class_name == name:
            return self._insert(change.rows, change.entries)
        if isinstance(change, ImagesRemoved) and change.class_name == name:
            return self._remove(change.rows, change.ids)
        if isinstance(change, ImagesMoved) and change.src == name:
            return self._remove(change.src_rows, change.ids)
        if isinstance(change, ImagesMoved) and change.dst == name:
            return self._insert(change.dst_rows, change.entries)
        if isinstance(change, ClassRenamed) and change.old == name:
            self.class_name = change.new   # same images; their files may have moved with the folder
            self._index_paths()
            if self._entries:
                self.dataChanged.emit(self.index(0), self.index(len(self._entries) - 1))
        elif isinstance(change, ClassRemoved) and change.name == name:
            self.class_name = None         # the page shows another class next
            self._remove(tuple(range(len(self._entries))), tuple(e.id for e in self._entries))
        return True

    def _insert(self, rows: Sequence[int], entries: Sequence) -> bool:
        pending = list(entries)
        for first, last in runs(rows):
            if first > len(self._entries):
                return False
            self.beginInsertRows(QModelIndex(), first, last)
            self._entries[first:first] = pending[:last - first + 1]
            del pending[:last - first + 1]
            self.endInsertRows()
        self._index_paths()
        return True

    def _remove(self, rows: Sequence[int], ids: Sequence[str]) -> bool:
        if any(r >= len(self._entries) or self._entries[r].id != i for r, i in zip(rows, ids)):
            return False
        for first, last in reversed(runs(rows)):
            self.beginRemoveRows(QModelIndex(), first, last)
            del self._entries[first:last + 1]
            self.endRemoveRows()
        self._index_paths()
        return True

    def _index_paths(self) -> None:
        project = self._project()
        self._row_of_path = ({str(project.image_path(e)): i for i, e in enumerate(self._entries)}
                             if project is not None else {})

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
        return [IMAGE_IDS_MIME]

    def mimeData(self, indexes) -> QMimeData:
        return image_ids_mime([self._entries[i.row()].id for i in indexes if i.isValid()])

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def refresh_icons(self) -> None:
        """Every row's thumbnail changed (another size): the views ask for them again."""
        if self._entries:
            self.dataChanged.emit(self.index(0), self.index(len(self._entries) - 1),
                                  [Qt.ItemDataRole.DecorationRole])

    def _on_thumbs_ready(self, path: str) -> None:
        row = self._row_of_path.get(path)
        if row is not None and row < len(self._entries):
            idx = self.index(row)
            self.dataChanged.emit(idx, idx, [Qt.ItemDataRole.DecorationRole])


class ClassItemDelegate(QStyledItemDelegate):
    """Draws a class row as its name plus a right-aligned count, or an italic "by name" badge (a
    class without images, recognised zero-shot)."""

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        count = index.data(CountRole) or 0
        badge = _tr("by name") if count == 0 else str(count)
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
