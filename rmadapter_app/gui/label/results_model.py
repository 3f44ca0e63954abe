"""Labeling results as a Qt table model, sorted and filtered with numpy (no proxy model)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication

from rmadapter_app.core.fileio import printable
from rmadapter_app.core.label.plan import UNCERTAIN
from rmadapter_app.gui.thumbnails import ThumbnailCache

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
CHOICES_ROLE = Qt.ItemDataRole.UserRole + 2
PATH_ROLE = Qt.ItemDataRole.UserRole + 3
BUCKET_ROLE = Qt.ItemDataRole.UserRole + 4
ERRORS = "__errors__"      # filter value for unreadable files


class LabelResultsModel(QAbstractTableModel):
    """Labeling results as a table: image (with thumbnail), label (editable), confidence, top classes, note.

    The label shown is the bucket: a user correction, else the top class, else ``_uncertain`` when
    the top confidence is below the threshold. Sorting and the bucket filter are done here with
    numpy over a row order (no proxy), so tens of thousands of rows re-sort and re-filter at once.

    Signals:
        correctionsChanged(): a label was corrected or a correction removed.
    """

    correctionsChanged = Signal()
    COLUMNS = ("Image", "Label", "Confidence", "Top classes", "Note")

    def __init__(self, thumbnails: ThumbnailCache | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._results: list = []
        self._class_names: list[str] = []
        self._conf = np.zeros(0, dtype=np.float64)
        self._top = np.zeros(0, dtype=np.int64)      # class index of the top label, -1 for errors
        self._threshold = 0.0
        self._overrides: dict[int, str] = {}         # result index -> bucket
        self._index: dict[str, int] = {}             # path -> result index
        self._order = np.zeros(0, dtype=np.int64)    # result index shown in each row
        self._rows: dict[int, int] = {}              # result index -> row (lazy)
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._filter: str | None = None
        self._thumbs = thumbnails
        if thumbnails is not None:
            thumbnails.ready.connect(self._on_thumbnail_ready)

    # ------------------------------------------------------------------ content
    def set_results(self, results: list, class_names: list[str], keep_overrides: bool = True) -> None:
        old = {str(self._results[i].path): b for i, b in self._overrides.items()} if keep_overrides else {}
        self.beginResetModel()
        self._results = list(results)
        self._class_names = list(class_names)
        index = {n: i for i, n in enumerate(self._class_names)}
        self._conf = np.array([r.confidence if not r.error else np.nan for r in self._results], dtype=np.float64)
        self._top = np.array([index.get(r.label, -1) if not r.error else -1 for r in self._results], dtype=np.int64)
        self._index = {str(r.path): i for i, r in enumerate(self._results)}
        valid = set(self._class_names) | {UNCERTAIN}
        self._overrides = {self._index[p]: b for p, b in old.items() if p in self._index and b in valid
                           and not self._results[self._index[p]].error}
        self._order = self._make_order()
        self._rows = {}
        self.endResetModel()

    def results(self) -> list:
        return list(self._results)

    def class_names(self) -> list[str]:
        return list(self._class_names)

    def confidences(self) -> np.ndarray:
        return self._conf[~np.isnan(self._conf)]

    def set_threshold(self, threshold: float) -> None:
        if threshold == self._threshold:
            return
        self._threshold = float(threshold)
        if self._filter is not None or (self._sort is not None and self._sort[0] == 1):
            self._reorder()
        elif len(self._order):
            self.dataChanged.emit(self.index(0, 1), self.index(len(self._order) - 1, 1))

    def threshold(self) -> float:
        return self._threshold

    def overrides(self) -> dict[Path, str]:
        """Corrections as path -> bucket, for :func:`~rmadapter_app.core.label.plan.plan_labeling`."""
        return {Path(self._results[i].path): b for i, b in self._overrides.items()}

    def _bucket_of(self, i: int) -> str | None:
        if i in self._overrides:
            return self._overrides[i]
        r = self._results[i]
        if r.error:
            return None
        return r.label if self._conf[i] >= self._threshold else UNCERTAIN

    def bucket(self, row: int) -> str | None:
        """The bucket of the image in ``row`` (None: unreadable)."""
        return self._bucket_of(int(self._order[row]))

    def _codes(self) -> np.ndarray:
        """Bucket per result: class index, len(classes) for uncertain, -1 for unreadable."""
        n_classes = len(self._class_names)
        codes = np.where(self._conf >= self._threshold, self._top, n_classes)
        codes[self._top < 0] = -1
        index = {n: i for i, n in enumerate(self._class_names)}
        for i, b in self._overrides.items():
            codes[i] = n_classes if b == UNCERTAIN else index.get(b, n_classes)
        return codes

    def counts(self) -> dict[str, int]:
        """Images per class, then ``_uncertain``, then unreadable files (key ERRORS); vectorised."""
        codes = self._codes()
        per = np.bincount(codes[codes >= 0], minlength=len(self._class_names) + 1)
        counts = {n: int(c) for n, c in zip(self._class_names, per)}
        counts[UNCERTAIN] = int(per[len(self._class_names)])
        counts[ERRORS] = int((codes < 0).sum())
        return counts

    def row_of(self, path: Path | str) -> int | None:
        """The row showing ``path`` (None when it is filtered out or unknown)."""
        i = self._index.get(str(path))
        if i is None:
            return None
        if not self._rows and len(self._order):
            self._rows = {int(k): r for r, k in enumerate(self._order)}
        return self._rows.get(i)

    # ------------------------------------------------------------------ sorting and filtering
    def set_bucket_filter(self, bucket: str | None) -> None:
        """Show every row (None), one class, UNCERTAIN, or ERRORS (unreadable files)."""
        if bucket != self._filter:
            self._filter = bucket
            self._reorder()

    def bucket_filter(self) -> str | None:
        return self._filter

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (int(column), order)
        self._reorder()

    def _sort_keys(self, column: int) -> np.ndarray:
        if column == 2:
            return np.where(np.isnan(self._conf), -1.0, self._conf)
        if column == 0:
            texts = [Path(r.path).name.casefold() for r in self._results]
        elif column == 1:
            texts = [self._bucket_text(self._bucket_of(i)).casefold() for i in range(len(self._results))]
        elif column == 3:
            texts = [r.top[0][0].casefold() if r.top else "" for r in self._results]
        else:
            texts = [(r.error or "") for r in self._results]
        return np.array(texts, dtype=object)

    def _make_order(self) -> np.ndarray:
        n = len(self._results)
        order = np.arange(n, dtype=np.int64)
        if self._sort is not None and n:
            column, direction = self._sort
            keys = self._sort_keys(column)
            if direction == Qt.SortOrder.DescendingOrder:   # largest first, equal keys kept in file order
                order = (n - 1 - np.argsort(keys[::-1], kind="stable"))[::-1].astype(np.int64)
            else:
                order = np.argsort(keys, kind="stable").astype(np.int64)
        if self._filter is not None and n:
            codes = self._codes()
            if self._filter == ERRORS:
                keep = codes < 0
            elif self._filter == UNCERTAIN:
                keep = codes == len(self._class_names)
            elif self._filter in self._class_names:
                keep = codes == self._class_names.index(self._filter)
            else:
                keep = np.ones(n, dtype=bool)
            order = order[keep[order]]
        return order

    def refresh_order(self) -> None:
        """Re-apply the sort and the bucket filter (after corrections)."""
        self._reorder()

    def _reorder(self) -> None:
        self.layoutAboutToBeChanged.emit()
        self._order = self._make_order()
        self._rows = {}
        self.layoutChanged.emit()

    # ------------------------------------------------------------------ Qt model API
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.COLUMNS[section])
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            tips = (self.tr("The image file (hover for its full path)"),
                    self.tr("Where the image will go; double-click to correct it"),
                    self.tr("The classifier's confidence in its top class"),
                    self.tr("The most likely classes with their probabilities"),
                    self.tr("Why a file could not be read, or that a label was corrected"))
            return tips[section]
        return None

    def flags(self, index):
        base = super().flags(index)
        if index.isValid() and index.column() == 1 and not self._results[int(self._order[index.row()])].error:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def _bucket_text(self, bucket: str | None) -> str:
        if bucket is None:
            return "—"
        return self.tr("Uncertain") if bucket == UNCERTAIN else bucket

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        i, col = int(self._order[index.row()]), index.column()
        r = self._results[i]
        if role == PATH_ROLE:
            return str(r.path)
        if role == BUCKET_ROLE:
            return self._bucket_of(i)
        if col == 0:
            if role == Qt.ItemDataRole.DisplayRole:     # Qt drops undecodable name bytes: show them as \xNN
                return printable(Path(r.path).name)
            if role == Qt.ItemDataRole.ToolTipRole:
                return printable(str(r.path))
            if role == Qt.ItemDataRole.DecorationRole and self._thumbs is not None:
                return self._thumbs.icon(r.path)
        elif col == 1:
            if role == Qt.ItemDataRole.DisplayRole:
                return self._bucket_text(self._bucket_of(i))
            if role == Qt.ItemDataRole.EditRole:
                return self._bucket_of(i)
            if role == CHOICES_ROLE:
                return [(n, n) for n in self._class_names] + [(self.tr("Uncertain"), UNCERTAIN)]
            if role == Qt.ItemDataRole.FontRole and i in self._overrides:
                font = QGuiApplication.font()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.ToolTipRole:
                if i in self._overrides:
                    return self.tr("Corrected by you (the classifier said {0})").format(r.label)
                if self._bucket_of(i) == UNCERTAIN:
                    return self.tr("Below the threshold: the classifier's best guess was {0}").format(r.label)
        elif col == 2:
            if role == Qt.ItemDataRole.DisplayRole:
                return "" if r.error else f"{r.confidence:.1%}"
            if role == SORT_ROLE:
                return -1.0 if r.error else float(r.confidence)
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        elif col == 3:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return ", ".join(f"{n} {p:.0%}" for n, p in r.top)
        elif col == 4:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return r.error or (self.tr("corrected") if i in self._overrides else "")
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or index.column() != 1 or role != Qt.ItemDataRole.EditRole:
            return False
        i = int(self._order[index.row()])
        if self._results[i].error or (value not in self._class_names and value != UNCERTAIN):
            return False
        self._overrides.pop(i, None)
        if value != self._bucket_of(i):
            self._overrides[i] = value
        self.dataChanged.emit(self.index(index.row(), 1), self.index(index.row(), 4))
        self.correctionsChanged.emit()
        return True

    def clear_corrections(self) -> None:
        if self._overrides:
            self._overrides.clear()
            if len(self._order):
                self.dataChanged.emit(self.index(0, 1), self.index(len(self._order) - 1, 4))
            self.correctionsChanged.emit()

    @Slot(str)
    def _on_thumbnail_ready(self, path: str) -> None:
        row = self.row_of(path)
        if row is not None:
            idx = self.index(row, 0)
            self.dataChanged.emit(idx, idx, [Qt.ItemDataRole.DecorationRole])
