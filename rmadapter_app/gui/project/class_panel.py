"""The left side of the Project page: the class list, the new-class field and the class buttons."""
from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal, Slot
from PySide6.QtGui import QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from rmadapter_app.gui.qt_models import ClassItemDelegate, ClassListModel, NameRole
from rmadapter_app.gui.widgets.drop_area import DropListView


class ClassListPanel(QWidget):
    """The classes, over ``model``. It owns its widgets and says what the user asked for; the page acts.

    Signals:
        addRequested(str): a class name was typed and confirmed (Enter or "Add class").
        removeRequested(): remove the selected class (button, Delete key, menu).
        addImagesRequested(): the class menu's "Add images…".
        pathsDropped(list, str): files dropped on the list (paths as str, the class under them or "").
        imagesDropped(list, str): project images dragged onto a class (ids, the class).
    """

    addRequested = Signal(str)
    removeRequested = Signal()
    addImagesRequested = Signal()
    pathsDropped = Signal(list, str)
    imagesDropped = Signal(list, str)

    def __init__(self, model: ClassListModel, parent: QWidget | None = None):
        super().__init__(parent)
        tr = self.tr
        title = QLabel(tr("Classes"), self)
        font = QFont(title.font())
        font.setBold(True)
        title.setFont(font)
        self.new_class_edit = QLineEdit(self)
        self.new_class_edit.setPlaceholderText(tr("New class name…"))
        self.new_class_edit.setToolTip(tr("Type a class name and press Enter. A class without images is "
                                          "recognised zero-shot from its name."))
        self.new_class_edit.setClearButtonEnabled(True)
        self.add_class_btn = self._button(tr("Add class"), tr("Add the typed class (Enter)"))
        self.view = DropListView(self, target_role=NameRole, empty_text=tr(
            "Type a class name above and press Enter, or drop a folder with one subfolder per class here."))
        self.view.setModel(model)
        self.view.setItemDelegate(ClassItemDelegate(self.view))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.DoubleClicked)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.setToolTip(tr("Drop images or folders onto a class to add them. "
                                "F2 or double-click renames, Delete removes."))
        self.rename_btn = self._button(tr("Rename"), tr("Rename the selected class (F2)"))
        self.remove_class_btn = self._button(tr("Remove"), tr("Remove the selected class and its images "
                                                              "(Delete; Ctrl+Z brings it back)"))
        row = QHBoxLayout()
        row.addWidget(self.new_class_edit, 1)
        row.addWidget(self.add_class_btn)
        buttons = QHBoxLayout()
        buttons.addWidget(self.rename_btn)
        buttons.addWidget(self.remove_class_btn)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addLayout(row)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

        self.new_class_edit.returnPressed.connect(self._on_add)
        self.add_class_btn.clicked.connect(self._on_add)
        self.rename_btn.clicked.connect(self.start_rename)
        self.remove_class_btn.clicked.connect(self.removeRequested)
        self.view.deletePressed.connect(self.removeRequested)
        self.view.pathsDropped.connect(self.pathsDropped)
        self.view.imagesDropped.connect(self.imagesDropped)
        self.view.customContextMenuRequested.connect(self._show_menu)

    def _button(self, text: str, tip: str) -> QPushButton:
        b = QPushButton(text, self)
        b.setToolTip(tip)
        return b

    def set_class_actions_enabled(self, enabled: bool) -> None:
        """Rename and Remove (buttons and menu) act on the selected class; off when none or busy."""
        self.rename_btn.setEnabled(enabled)
        self.remove_class_btn.setEnabled(enabled)

    def focus_new_class(self) -> None:
        self.new_class_edit.setFocus()
        self.new_class_edit.selectAll()

    @Slot()
    def start_rename(self) -> None:
        """Open the in-place editor on the selected class (the model commits the new name)."""
        if self.view.currentIndex().isValid():
            self.view.edit(self.view.currentIndex())

    @Slot()
    def _on_add(self) -> None:
        self.addRequested.emit(self.new_class_edit.text())

    @Slot(QPoint)
    def _show_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        enabled = self.rename_btn.isEnabled()
        menu.addAction(self.tr("Rename"), QKeySequence(Qt.Key.Key_F2), self.start_rename).setEnabled(enabled)
        menu.addAction(self.tr("Remove class"), QKeySequence(QKeySequence.StandardKey.Delete),
                       self.removeRequested.emit).setEnabled(enabled)
        menu.addAction(self.tr("Add images…"), self.addImagesRequested.emit).setEnabled(enabled)
        menu.exec(self.view.viewport().mapToGlobal(pos))
