"""The Label page's review side: threshold, histogram, counts per class folder, the results table, write buttons."""
from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rmadapter_app.core.label.plan import UNCERTAIN
from rmadapter_app.gui.label.delegate import LabelDelegate
from rmadapter_app.gui.label.histogram import ConfidenceHistogram
from rmadapter_app.gui.label.results_model import ERRORS, LabelResultsModel
from rmadapter_app.gui.widgets.message_label import breakable, fit_label, folder_link, open_folder

THUMB = 48


class ReviewPanel(QWidget):
    """Review before writing: the threshold (slider and the histogram's line move together) re-buckets the
    results live; counts per class folder (click one to filter the table); the table sorts, filters and
    corrects labels. The Write and Undo buttons are connected by the page.
    """

    def __init__(self, model: LabelResultsModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        tr = self.tr
        self.threshold_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.threshold_slider.setRange(0, 100)
        self.threshold_slider.setPageStep(5)
        self.threshold_slider.setMinimumWidth(70)
        self.threshold_slider.setToolTip(tr("Images whose top confidence is below this go to the Uncertain "
                                            "folder. The counts update as you move it; nothing is written yet."))
        self.threshold_label = QLabel(self)
        self.histogram = ConfidenceHistogram(self)
        self.histogram.setMinimumHeight(150)
        self.counts_table = QTableWidget(0, 2, self)
        self.counts_table.setHorizontalHeaderLabels([tr("Goes to"), tr("Images")])
        self.counts_table.verticalHeader().setVisible(False)
        self.counts_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.counts_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.counts_table.setMinimumWidth(150)
        self.counts_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.counts_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.counts_table.setToolTip(tr("Images per class folder at this threshold. Click a row to show "
                                        "only those images."))
        self.counts_table.setMaximumWidth(280)
        top = QWidget(self)
        tl = QHBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        hist_col = QVBoxLayout()
        trow = QHBoxLayout()
        trow.addWidget(QLabel(tr("&Threshold:"), self))
        trow.itemAt(0).widget().setBuddy(self.threshold_slider)
        trow.addWidget(self.threshold_slider, 1)
        trow.addWidget(self.threshold_label)
        hist_col.addLayout(trow)
        hist_col.addWidget(self.histogram, 1)
        tl.addLayout(hist_col, 3)
        tl.addWidget(self.counts_table, 2)

        # results table
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.setItemDelegateForColumn(1, LabelDelegate(self.table))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.SelectedClicked)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setIconSize(QSize(THUMB, THUMB))
        self.table.verticalHeader().setDefaultSectionSize(THUMB + 6)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 220)
        self.table.setColumnWidth(1, 130)
        self.table.setToolTip(tr("Every image with its label. Click a header to sort (e.g. by confidence); "
                                 "double-click a label (or press F2) to correct it before writing files."))
        self.filter_combo = QComboBox(self)
        self.filter_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.filter_combo.setMinimumContentsLength(10)          # a long class name never widens the page
        self.filter_combo.setToolTip(tr("Show all images, one class, the uncertain ones, or unreadable files"))
        self.write_button = QPushButton(tr("&Write files"), self)
        self.write_button.setToolTip(tr("Copy or move the images into class folders and write the reports "
                                        "(Ctrl+Shift+W)"))
        self.undo_button = QPushButton(tr("&Undo last write"), self)
        self.undo_button.setToolTip(tr("Put moved images back and remove the copies the last write made "
                                       "(Ctrl+Shift+Z)"))
        self.clear_corrections_button = QPushButton(tr("Clear corrections"), self)
        self.clear_corrections_button.setToolTip(tr("Forget the labels you corrected"))
        # what the last write or undo did, with a link that opens the output folder
        self.write_result = QLabel(self)
        self.write_result.setTextFormat(Qt.TextFormat.RichText)
        self.write_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.write_result.setOpenExternalLinks(False)
        self.write_result.linkActivated.connect(open_folder)
        fit_label(self.write_result, max_lines=3)
        self.write_result.setVisible(False)
        frow = QHBoxLayout()
        frow.addWidget(QLabel(tr("Show:"), self))
        frow.addWidget(self.filter_combo, 1)
        frow.addWidget(self.clear_corrections_button)
        for b in (self.write_button, self.undo_button):
            b.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        brow = QHBoxLayout()
        brow.addWidget(self.write_result, 1)
        brow.addWidget(self.write_button)
        brow.addWidget(self.undo_button)

        rl = QVBoxLayout(self)
        rl.addWidget(top, 2)
        rl.addLayout(frow)
        rl.addWidget(self.table, 5)
        rl.addLayout(brow)
        self._set_threshold_label(0.0)
        self._refresh_filter_combo()

        self.threshold_slider.valueChanged.connect(self._on_slider_changed)
        self.histogram.thresholdDragged.connect(self._on_histogram_dragged)
        self.model.correctionsChanged.connect(self._on_corrections_changed)
        self.filter_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.counts_table.cellClicked.connect(self._on_counts_clicked)
        self.clear_corrections_button.clicked.connect(self.model.clear_corrections)

    def show_written(self, text: str, folder: Path | None) -> None:
        """Say what a write or undo did beside the buttons, with an "Open folder" link to ``folder``."""
        if not text:
            self.write_result.clear()
            self.write_result.setVisible(False)
            return
        link = f" {folder_link(folder)}" if folder is not None else ""
        self.write_result.setText(html.escape(breakable(text)) + link)
        self.write_result.setToolTip(text)
        self.write_result.setVisible(True)

    def show_results(self, results: list, class_names: list[str]) -> None:
        """Show new results: table, histogram, counts (corrections are kept by path); sorted by confidence."""
        self.model.set_results(results, class_names)
        self.histogram.set_confidences(self.model.confidences())
        self._refresh_filter_combo()
        self._refresh_counts()
        self.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)

    def threshold(self) -> float:
        return self.threshold_slider.value() / 100.0

    def set_threshold(self, value: float) -> None:
        self.threshold_slider.setValue(int(round(float(value) * 100)))

    def _set_threshold_label(self, t: float) -> None:
        self.threshold_label.setText(self.tr("{0:.0%} confidence").format(t))

    @Slot(int)
    def _on_slider_changed(self, value: int) -> None:
        t = value / 100.0
        self._set_threshold_label(t)
        self.histogram.set_threshold(t)
        self.model.set_threshold(t)
        self._refresh_counts()

    @Slot(float)
    def _on_histogram_dragged(self, value: float) -> None:
        self.threshold_slider.setValue(int(round(value * 100)))

    @Slot()
    def _refresh_counts(self) -> None:
        counts = self.model.counts()
        self.counts_table.setRowCount(len(counts))
        for row, (bucket, n) in enumerate(counts.items()):
            if bucket == UNCERTAIN:
                text = self.tr("Uncertain (below threshold)")
            elif bucket == ERRORS:
                text = self.tr("Unreadable (skipped)")
            else:
                text = bucket
            item = QTableWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, bucket)
            self.counts_table.setItem(row, 0, item)
            num = QTableWidgetItem(str(n))
            num.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.counts_table.setItem(row, 1, num)

    @Slot()
    def _on_corrections_changed(self) -> None:
        if self.model.bucket_filter() is not None:
            self.model.refresh_order()
        self._refresh_counts()

    def _refresh_filter_combo(self) -> None:
        current = self.filter_combo.currentData()
        self.filter_combo.blockSignals(True)
        self.filter_combo.clear()
        self.filter_combo.addItem(self.tr("All images"), None)
        for name in self.model.class_names():
            self.filter_combo.addItem(name, name)
        self.filter_combo.addItem(self.tr("Uncertain"), UNCERTAIN)
        self.filter_combo.addItem(self.tr("Unreadable"), ERRORS)
        i = self.filter_combo.findData(current)
        self.filter_combo.setCurrentIndex(max(0, i))
        self.filter_combo.blockSignals(False)
        self.model.set_bucket_filter(self.filter_combo.currentData())

    @Slot(int)
    def _on_filter_changed(self, _index: int) -> None:
        self.model.set_bucket_filter(self.filter_combo.currentData())

    @Slot(int, int)
    def _on_counts_clicked(self, row: int, _col: int) -> None:
        item = self.counts_table.item(row, 0)
        if item is not None:
            i = self.filter_combo.findData(item.data(Qt.ItemDataRole.UserRole))
            if i >= 0:
                self.filter_combo.setCurrentIndex(i)
