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
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)


class ProblemsPanel(QWidget):
    """Rows of (file, problem), the newest on top; hidden while empty; Clear empties it.

    A row is a problem (the file was not added, or is missing) or a note (added, but see why).
    ``rows()`` gives them back, top first (tests, copy).
    """

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

    def add(self, path: Path | str, reason: str, *, note: bool = False) -> None:
        """One row at the top (``note``: the file was added; the reason says what to know about it)."""
        self.add_rows([(path, reason, note)])

    def add_rows(self, rows) -> None:
        """Rows of (path, reason, note) in their order, above the ones already listed; scrolls to them."""
        rows = list(rows)
        if not rows:
            return
        style = self.style()
        icons = {False: style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical),
                 True: style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)}
        for i, (path, reason, note) in enumerate(rows):
            item = QTreeWidgetItem([Path(path).name, reason])
            item.setIcon(0, icons[bool(note)])
            item.setToolTip(0, str(path))
            item.setToolTip(1, reason)
            item.setData(0, Qt.ItemDataRole.UserRole, str(path))
            item.setData(1, Qt.ItemDataRole.UserRole, bool(note))
            self.tree.insertTopLevelItem(i, item)
        self.tree.scrollToTop()
        self._update()

    def add_result(self, result) -> None:
        """Add what a core ``AddResult`` refused (rejected files, duplicates) and its notes, on top."""
        rows = [(p.path, p.reason, False) for p in result.rejected]
        rows += [(path, self.tr("already in the project, in class “{0}”").format(where), False)
                 for path, where in result.duplicates]
        rows += [(p.path, p.reason, True) for p in getattr(result, "warnings", [])]
        self.add_rows(rows)

    def rows(self) -> list[tuple[str, str]]:
        """(full path, reason) per row."""
        return [(self.tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole), self.tree.topLevelItem(i).text(1))
                for i in range(self.tree.topLevelItemCount())]

    def clear(self) -> None:
        self.tree.clear()
        self._update()

    def notes(self) -> int:
        """How many rows are notes (files added with something to know)."""
        return sum(1 for i in range(self.tree.topLevelItemCount())
                   if self.tree.topLevelItem(i).data(1, Qt.ItemDataRole.UserRole))

    def _update(self) -> None:
        n = self.tree.topLevelItemCount()
        notes = self.notes()
        problems = n - notes
        if problems and notes:
            title = self.tr("Problems: %n file(s) not added or missing", "", problems) + "; " + \
                self.tr("%n added with a note", "", notes)
        elif notes:
            title = self.tr("Notes: %n file(s) added with a note", "", notes)
        else:
            title = self.tr("Problems: %n file(s) not added or missing", "", problems)
        self._title.setText(title + " " + self.tr("(newest first)"))
        self.setVisible(n > 0)
