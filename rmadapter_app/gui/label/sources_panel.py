"""The "Images" box of the Label page: the folders and files to label."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class SourcesPanel(QGroupBox):
    """The list of folders and images to label, its buttons, and "Include subfolders".

    The Add buttons are connected by the page (it owns the patchable file dialogs).
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        tr = self.tr
        self.sources = QListWidget(self)
        self.sources.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.sources.setToolTip(tr("Folders and images to label. Drop them here, paste them (Ctrl+V), "
                                   "or use the buttons."))
        self.add_folder_button = QPushButton(tr("Add &folder…"), self)
        self.add_folder_button.setToolTip(tr("Add a folder of images (Ctrl+Shift+F)"))
        self.add_files_button = QPushButton(tr("Add &images…"), self)
        self.add_files_button.setToolTip(tr("Add image files"))
        self.remove_source_button = QPushButton(tr("Re&move"), self)
        self.remove_source_button.setToolTip(tr("Remove the selected folders or files from the list (Delete)"))
        self.recursive = QCheckBox(tr("Include subfolders"), self)
        self.recursive.setChecked(True)
        self.recursive.setToolTip(tr("Also label images in folders inside the chosen folders"))
        self.setTitle(tr("Images"))
        sl = QVBoxLayout(self)
        sl.addWidget(self.sources)
        row = QHBoxLayout()
        for w in (self.add_folder_button, self.add_files_button, self.remove_source_button):
            row.addWidget(w)
        sl.addLayout(row)
        sl.addWidget(self.recursive)

        self.remove_source_button.clicked.connect(self.remove_selected)
        sc = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.sources)
        sc.setContext(Qt.ShortcutContext.WidgetShortcut)
        sc.activated.connect(self.remove_selected)

    def add(self, paths) -> int:
        """Add existing folders/files (duplicates ignored); returns how many were new."""
        have = {self.sources.item(i).text() for i in range(self.sources.count())}
        added = 0
        for p in paths:
            text = str(Path(p))
            if text and text not in have and Path(p).exists():
                self.sources.addItem(text)
                have.add(text)
                added += 1
        return added

    def paths(self) -> list[Path]:
        return [Path(self.sources.item(i).text()) for i in range(self.sources.count())]

    @Slot()
    def remove_selected(self) -> None:
        for item in self.sources.selectedItems():
            self.sources.takeItem(self.sources.row(item))
