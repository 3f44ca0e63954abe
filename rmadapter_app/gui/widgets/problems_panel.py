"""A panel listing files that were not added, each with the reason (never a silent drop)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)


class ProblemsPanel(QWidget):
    """Rows of (file, problem); hidden while empty. ``rows()`` gives them back (tests, copy)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._title = QLabel(self)
        self._clear = QPushButton(self.tr("Clear"), self)
        self._clear.setToolTip(self.tr("Empty this list (the files themselves are not touched)"))
        self._clear.clicked.connect(self.clear)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels([self.tr("File"), self.tr("Problem")])
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.tree.header().setStretchLastSection(True)
        self.tree.setColumnWidth(0, 260)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self._title, 1)
        top.addWidget(self._clear)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.tree)
        self._update()

    def add(self, path: Path | str, reason: str) -> None:
        item = QTreeWidgetItem([Path(path).name, reason])
        item.setToolTip(0, str(path))
        item.setToolTip(1, reason)
        item.setData(0, Qt.ItemDataRole.UserRole, str(path))
        self.tree.addTopLevelItem(item)
        self._update()

    def add_result(self, result) -> None:
        """Add the rejected files and duplicates of a core ``AddResult``."""
        for problem in result.rejected:
            self.add(problem.path, problem.reason)
        for path, where in result.duplicates:
            self.add(path, self.tr("already in the project, in class “{0}”").format(where))

    def rows(self) -> list[tuple[str, str]]:
        """(full path, reason) per row."""
        return [(self.tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole), self.tree.topLevelItem(i).text(1))
                for i in range(self.tree.topLevelItemCount())]

    def clear(self) -> None:
        self.tree.clear()
        self._update()

    def _update(self) -> None:
        n = self.tree.topLevelItemCount()
        self._title.setText(self.tr("Problems: %n file(s) not added or missing", "", n))
        self.setVisible(n > 0)
