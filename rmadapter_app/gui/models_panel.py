"""The Models list: every run kept in the project (date, model, accuracy against frozen CLIP, images,
complete or stopped), the one in use marked, and "Use this model" for another.

Rows come from ``AppState.models()`` (``core.project.models.list_models``); choosing one calls
``AppState.set_adapter_path``, which remembers the choice in the project. A damaged adapter is
listed with its reason and cannot be chosen.
"""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rmadapter_app.core.project.models import ModelEntry
from rmadapter_app.gui.run_text import pct

COLUMNS = ("", "Date", "Model", "Accuracy", "Images", "Run")


def _date(created: str) -> str:
    """"2026-11-24T14:03:07+0100" -> "2026-11-24 14:03"."""
    return created[:16].replace("T", " ") if len(created) >= 16 else created


class ModelsPanel(QWidget):
    """The project's models; ``useRequested(Path)`` when the user picks another one."""

    useRequested = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._entries: list[ModelEntry] = []
        self._in_use: Path | None = None
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels([self.tr(c) if c else "" for c in COLUMNS])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setToolTip(self.tr("Every training run of this project, newest first. Accuracy: on images "
                                      "the model did not train on, with frozen CLIP's on the same images. "
                                      "Double-click a run to use it."))
        self.table.setMinimumHeight(90)
        self.table.setWordWrap(False)
        self.table.itemSelectionChanged.connect(self._update_button)
        self.table.cellDoubleClicked.connect(lambda row, _col: self.use_selected())
        self.use_button = QPushButton(self.tr("&Use this model"), self)
        self.use_button.setToolTip(self.tr("Use the selected run's model on the Results, Try it and Label pages."))
        self.use_button.clicked.connect(self.use_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.use_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._update_button()

    def set_models(self, entries: list[ModelEntry], in_use: Path | None) -> None:
        """Show ``entries`` (newest first), marking the one at ``in_use``."""
        selected = self.selected()
        self._entries = list(entries)
        self._in_use = Path(os.path.abspath(in_use)) if in_use is not None else None
        self.table.setRowCount(len(self._entries))
        for row, e in enumerate(self._entries):
            using = self._in_use is not None and Path(os.path.abspath(e.path)) == self._in_use
            r = e.report
            if e.problem:
                accuracy = self.tr("cannot be read")
            elif r.val_accuracy is not None:
                accuracy = self.tr("{0} (frozen CLIP {1})").format(pct(r.val_accuracy), pct(r.zero_shot_accuracy))
            else:
                accuracy = self.tr("not measured")
            run = self.tr("damaged") if e.problem else self.tr("complete") if not e.stopped_early else \
                self.tr("complete, check stopped") if e.complete else self.tr("stopped")
            cells = ("✓" if using else "", _date(e.created), e.backbone or "?", accuracy,
                     str(r.n_images) if r.n_images else "—", run)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(e.problem or f"{e.name}\n{self.tr('Classes')}: {', '.join(e.class_names)}")
                if using:
                    font = QFont(item.font())
                    font.setBold(True)
                    item.setFont(font)
                if col in (0, 4):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, col, item)
        if selected is not None:
            self.select(selected)
        self._update_button()

    def entries(self) -> list[ModelEntry]:
        return list(self._entries)

    def selected(self) -> Path | None:
        rows = self.table.selectionModel().selectedRows()
        return self._entries[rows[0].row()].path if rows and rows[0].row() < len(self._entries) else None

    def select(self, path: Path) -> bool:
        for row, e in enumerate(self._entries):
            if Path(e.path) == Path(path):
                self.table.selectRow(row)
                return True
        return False

    @Slot()
    def _update_button(self) -> None:
        path = self.selected()
        entry = next((e for e in self._entries if e.path == path), None)
        self.use_button.setEnabled(entry is not None and entry.usable
                                   and (self._in_use is None or Path(os.path.abspath(path)) != self._in_use))

    @Slot()
    def use_selected(self) -> None:
        path = self.selected()
        entry = next((e for e in self._entries if e.path == path), None)
        if entry is not None and entry.usable:
            self.useRequested.emit(entry.path)
