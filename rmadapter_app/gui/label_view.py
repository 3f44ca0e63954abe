"""The Label page: label folders of images, check and correct, then copy or move them into class folders.

Flow: pick or drop folders/files; choose the adapter (its classes are shown from the header) or
class names alone; Run labels everything on a worker (``state.jobs``) with progress, speed and
time left; Stop keeps the results so far. The threshold slider, the confidence histogram and
the counts per class and ``_uncertain`` update live from the scores already computed, before
anything is written; adding or renaming classes re-scores from the embedding cache (the image
encoder does not run again). Labels can be corrected in the table (a combo box), then "Write
files" copies or moves the images and writes the CSV/JSON reports; Undo reverts the last write.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QSize, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QButtonGroup, QCheckBox, QComboBox, QFileDialog, QFormLayout,
                               QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget, QProgressBar,
                               QPushButton, QRadioButton, QScrollArea, QSlider, QSpinBox, QSplitter,
                               QStyledItemDelegate, QTableView, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from rmadapter_app.core.labeling import UNCERTAIN
from rmadapter_app.gui import dialogs
from rmadapter_app.gui.state import AppState, BackboneSpec
from rmadapter_app.gui.thumbnails import ThumbnailCache
from rmadapter_app.gui.widgets.drop_area import paths_from_mime

logger = logging.getLogger("rmadapter_app")

JOB_LABEL = "label images"
JOB_RESCORE = "re-score labels"
JOB_WRITE = "write labeled files"
JOB_UNDO = "undo labeled files"
DEFAULT_TEMPLATE = "a photo of a {}."
THUMB = 48
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
CHOICES_ROLE = Qt.ItemDataRole.UserRole + 2
PATH_ROLE = Qt.ItemDataRole.UserRole + 3
BUCKET_ROLE = Qt.ItemDataRole.UserRole + 4
ERRORS = "__errors__"      # filter value for unreadable files


# ---------------------------------------------------------------------- patchable dialogs
def ask_folder(parent: QWidget | None, title: str) -> Path | None:
    """A folder chosen by the user, or None (tests replace this)."""
    name = QFileDialog.getExistingDirectory(parent, title)
    return Path(name) if name else None


def ask_image_files(parent: QWidget | None, title: str) -> list[Path]:
    """Image files chosen by the user (tests replace this)."""
    names, _ = QFileDialog.getOpenFileNames(parent, title, "", dialogs.IMAGE_FILTER)
    return [Path(n) for n in names]


def _fmt_duration(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


def _free_path(path: Path) -> Path:
    """``path``, or ``name (1).ext`` … when it exists (reports never overwrite)."""
    i = 1
    candidate = path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem} ({i}){path.suffix}")
        i += 1
    return candidate


def split_names(text: str) -> list[str]:
    """Comma-separated class names, stripped, without empties or case-insensitive repeats."""
    out, seen = [], set()
    for name in (t.strip() for t in text.split(",")):
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            out.append(name)
    return out


# ---------------------------------------------------------------------- worker-side jobs
@dataclass
class ClassifierChoice:
    """What to label with: an adapter file, or class names alone (zero-shot), plus names added by name."""

    spec: BackboneSpec
    adapter_path: Path | None
    names: list[str]
    extras: list[str]

    def key(self) -> tuple:
        if self.adapter_path is not None:
            p = Path(self.adapter_path)
            return ("file", str(p), p.stat().st_mtime_ns if p.exists() else 0, self.spec.key())
        return ("zero-shot", self.spec.key())


def _spec_for_header(header, current: BackboneSpec) -> BackboneSpec:
    current_name = Path(current.model_config).stem if current.model_config else current.model_name
    if header.backbone.model_name == current_name or not header.backbone.pretrained:
        return current
    return BackboneSpec(model_name=header.backbone.model_name, pretrained=header.backbone.pretrained)


def _prepare_classifier(state: AppState, choice: ClassifierChoice, clf, on_event, should_stop):
    """Build (or re-attach) the classifier on a worker thread and give it the wanted class list."""
    from rmadapter_app.core.device import resolve_device
    from rmadapter_app.core.events import DeviceEvent
    from rmadapter_app.core.inference import Classifier

    if clf is None:
        dev = resolve_device("auto")
        on_event(DeviceEvent(dev.description, dev.device.type))
        if choice.adapter_path is not None:
            from rmadapter_app.core.adapter_file import read_adapter_header
            header = read_adapter_header(choice.adapter_path)
            backbone = state.load_backbone(_spec_for_header(header, choice.spec), on_event=on_event,
                                           should_stop=should_stop)
            backbone.to(dev.device)
            clf = Classifier.from_file(choice.adapter_path, backbone=backbone)
        else:
            backbone = state.load_backbone(choice.spec, on_event=on_event, should_stop=should_stop)
            backbone.to(dev.device)
            clf = Classifier(backbone, None, choice.names, template=DEFAULT_TEMPLATE)
        clf.base_classes = (list(clf.class_names), list(clf.prompts))
    else:
        clf.reattach()
    base_names, base_prompts = clf.base_classes
    if choice.adapter_path is None:
        base_names = list(choice.names)
        base_prompts = [clf.template.format(n) for n in base_names]
    known = {n.casefold() for n in base_names}
    extras = [n for n in choice.extras if n.casefold() not in known]
    names = base_names + extras
    if names != clf.class_names:
        try:
            clf.set_classes(names, base_prompts + [clf.template.format(n) for n in extras])
        except BaseException:
            clf.close()                    # never leave adapters on the shared backbone
            raise
    return clf


class _Throttled:
    """Passes LabelProgressEvents at most every ``interval`` seconds (the last one always); others at once."""

    def __init__(self, on_event, interval: float = 0.1):
        self.on_event, self.interval, self.last = on_event, interval, 0.0

    def __call__(self, ev) -> None:
        from rmadapter_app.core.events import LabelProgressEvent
        if isinstance(ev, LabelProgressEvent):
            now = time.monotonic()
            if now - self.last < self.interval and ev.done < ev.total:
                return
            self.last = now
        self.on_event(ev)


@dataclass
class LabelOutcome:
    run: Any                # core.label_job.LabelRun
    classifier: Any         # detached Classifier, reused for re-scoring and the next run
    key: tuple


@dataclass
class LabelJob:
    """Label the sources (worker thread); resumes from the embedding cache."""

    state: AppState
    choice: ClassifierChoice
    classifier: Any
    sources: list[Path]
    recursive: bool
    batch_size: int

    def __call__(self, on_event, should_stop) -> LabelOutcome:
        from rmadapter_app.core.label_job import run_labeling

        clf = _prepare_classifier(self.state, self.choice, self.classifier, on_event, should_stop)
        try:
            run = run_labeling(clf, self.sources, recursive=self.recursive, batch_size=self.batch_size,
                               on_event=_Throttled(on_event), should_stop=should_stop)
        finally:
            clf.close()
        return LabelOutcome(run, clf, self.choice.key())


@dataclass
class RescoreJob:
    """New class list, same images: probabilities from the cached embeddings only."""

    state: AppState
    choice: ClassifierChoice
    classifier: Any
    run: Any

    def __call__(self, on_event, should_stop) -> LabelOutcome:
        from rmadapter_app.core.errors import RMAdapterError
        from rmadapter_app.core.label_job import rescore

        clf = _prepare_classifier(self.state, self.choice, self.classifier, on_event, should_stop)
        clf.close()
        try:
            run = rescore(self.run, clf)
        except ValueError as exc:
            raise RMAdapterError("The classifier changed since these images were labeled, so their scores "
                                 "cannot be reused. Press Run to label them again.") from exc
        return LabelOutcome(run, clf, self.choice.key())


@dataclass
class WriteOutcome:
    plan: Any
    journal: Any
    reports: list[Path] = field(default_factory=list)


@dataclass
class WriteJob:
    """Plan, copy or move, and write the reports (worker thread)."""

    results: list
    plan_args: dict
    csv_path: Path | None
    json_path: Path | None
    meta: dict

    def __call__(self, on_event, should_stop) -> WriteOutcome:
        from rmadapter_app.core.labeling import apply_plan, plan_labeling, write_csv, write_json

        plan = plan_labeling(self.results, **self.plan_args)
        journal = apply_plan(plan, on_event=on_event, should_stop=should_stop)
        reports = []
        meta = dict(self.meta, journal=str(journal.path) if journal.path else None, stopped=journal.stopped)
        if self.csv_path is not None:
            reports.append(write_csv(_free_path(self.csv_path), self.results, plan))
        if self.json_path is not None:
            reports.append(write_json(_free_path(self.json_path), self.results, plan, meta))
        return WriteOutcome(plan, journal, reports)


@dataclass
class UndoJob:
    journal_path: Path

    def __call__(self, on_event, should_stop):
        from rmadapter_app.core.labeling import undo
        return undo(self.journal_path, on_event=on_event)


# ---------------------------------------------------------------------- results model
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
        """Corrections as path -> bucket, for :func:`~rmadapter_app.core.labeling.plan_labeling`."""
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
            if role == Qt.ItemDataRole.DisplayRole:
                return Path(r.path).name
            if role == Qt.ItemDataRole.ToolTipRole:
                return str(r.path)
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


class LabelDelegate(QStyledItemDelegate):
    """A combo box of the classes (plus Uncertain) to correct a label."""

    def createEditor(self, parent, option, index):  # noqa: N802
        combo = QComboBox(parent)
        for text, value in index.data(CHOICES_ROLE) or []:
            combo.addItem(text, value)
        combo.setToolTip(self.tr("Choose the right class for this image"))
        return combo

    def setEditorData(self, editor, index) -> None:  # noqa: N802
        i = editor.findData(index.data(Qt.ItemDataRole.EditRole))
        editor.setCurrentIndex(max(0, i))

    def setModelData(self, editor, model, index) -> None:  # noqa: N802
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


# ---------------------------------------------------------------------- histogram
class ConfidenceHistogram(QWidget):
    """Bars of top confidences with a draggable threshold line.

    Signals:
        thresholdDragged(float): the user dragged the line to a new threshold.
    """

    thresholdDragged = Signal(float)

    def __init__(self, parent: QWidget | None = None, bins: int = 20):
        super().__init__(parent)
        self.bins = bins
        self.plot = pg.PlotWidget(self)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setLabel("bottom", self.tr("top confidence"))
        self.plot.setLabel("left", self.tr("images"))
        self.plot.setXRange(0, 1, padding=0.02)
        self.plot.setToolTip(self.tr("How sure the classifier is about each image. Images left of the line "
                                     "go to the Uncertain folder; drag the line or use the slider."))
        pal = self.palette()
        self.plot.setBackground(pal.color(QPalette.ColorRole.Base))
        self.bars = pg.BarGraphItem(x=[], height=[], width=1.0 / bins * 0.9, brush="#3b82f6")
        self.plot.addItem(self.bars)
        self.line = pg.InfiniteLine(pos=0.0, angle=90, movable=True, pen=pg.mkPen("#ef4444", width=2),
                                    bounds=(0.0, 1.0))
        self.plot.addItem(self.line)
        self.line.sigPositionChanged.connect(self._on_line_moved)
        self._setting = False
        self._counts = np.zeros(bins, dtype=np.int64)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)

    def set_confidences(self, confidences) -> None:
        from rmadapter_app.core.labeling import confidence_histogram
        edges, counts = confidence_histogram(confidences, self.bins)
        self._counts = counts
        centers = (edges[:-1] + edges[1:]) / 2
        self.bars.setOpts(x=centers, height=counts, width=(edges[1] - edges[0]) * 0.9)
        self.plot.setYRange(0, max(1, int(counts.max()) if len(counts) else 1) * 1.1, padding=0)

    def counts(self) -> np.ndarray:
        return self._counts.copy()

    def set_threshold(self, value: float) -> None:
        self._setting = True
        try:
            self.line.setValue(float(value))
        finally:
            self._setting = False

    @Slot(object)
    def _on_line_moved(self, _line) -> None:
        if not self._setting:
            self.thresholdDragged.emit(float(self.line.value()))


# ---------------------------------------------------------------------- the page
class LabelPage(QWidget):
    """Label folders with the adapter (or class names), review, correct, then write files.

    Signals:
        runFinished(object): a labeling or re-scoring job ended (the LabelRun, or None when it failed).
        writeFinished(object): a write ended (WriteOutcome, or None).
        undoFinished(object): an undo ended (UndoResult, or None).
    """

    runFinished = Signal(object)
    writeFinished = Signal(object)
    undoFinished = Signal(object)

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        if state.jobs is None:
            from rmadapter_app.gui.jobs import JobRunner
            state.jobs = JobRunner(state)
        self.jobs = state.jobs
        self._run = None
        self._classifier = None
        self._classifier_key: tuple | None = None
        self._last_journal: Path | None = None
        self._job: str | None = None
        self._adapter_from_state = True
        self._auto_names = True
        self.thumbnails = ThumbnailCache(THUMB, capacity=600, parent=self)
        self.setAcceptDrops(True)
        self._build()
        self._connect()
        self._sync_adapter_from_state()
        self._on_mode_changed()
        self._update_buttons()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        tr = self.tr
        # sources
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
        src_box = QGroupBox(tr("Images"), self)
        sl = QVBoxLayout(src_box)
        sl.addWidget(self.sources)
        row = QHBoxLayout()
        for w in (self.add_folder_button, self.add_files_button, self.remove_source_button):
            row.addWidget(w)
        sl.addLayout(row)
        sl.addWidget(self.recursive)

        # classifier
        self.use_adapter = QRadioButton(tr("&Adapter file"), self)
        self.use_adapter.setToolTip(tr("Label with a trained adapter (its classes are listed below)"))
        self.use_names = QRadioButton(tr("Class &names only (zero-shot)"), self)
        self.use_names.setToolTip(tr("Label with frozen CLIP from class names alone, nothing trained"))
        self.mode_group = QButtonGroup(self)
        self.mode_group.addButton(self.use_adapter)
        self.mode_group.addButton(self.use_names)
        self.adapter_edit = QLineEdit(self)
        self.adapter_edit.setPlaceholderText(tr("No adapter chosen"))
        self.adapter_edit.setToolTip(tr("The adapter file to label with"))
        self.adapter_button = QPushButton(tr("Choose…"), self)
        self.adapter_button.setToolTip(tr("Choose an adapter file (.rmadapter.safetensors)"))
        self.adapter_info = QLabel(self)
        self.adapter_info.setWordWrap(True)
        self.names_edit = QLineEdit(self)
        self.names_edit.setPlaceholderText(tr("e.g. cat, dog, bird"))
        self.names_edit.setToolTip(tr("Class names separated by commas (at least two)"))
        self.extras_edit = QLineEdit(self)
        self.extras_edit.setPlaceholderText(tr("optional, e.g. fox, empty"))
        self.extras_edit.setToolTip(tr("More classes, recognised from their names alone. After a run, "
                                       "press Enter to re-score without reading the images again."))
        clf_box = QGroupBox(tr("Classifier"), self)
        cl = QFormLayout(clf_box)
        cl.addRow(self.use_adapter)
        arow = QHBoxLayout()
        arow.addWidget(self.adapter_edit, 1)
        arow.addWidget(self.adapter_button)
        cl.addRow(arow)
        cl.addRow(self.adapter_info)
        cl.addRow(self.use_names)
        cl.addRow(tr("Classes:"), self.names_edit)
        cl.addRow(tr("Extra classes:"), self.extras_edit)

        # output
        self.out_edit = QLineEdit(self)
        self.out_edit.setPlaceholderText(tr("Choose where the class folders go"))
        self.out_edit.setToolTip(tr("Output folder: one subfolder per class, plus _uncertain. "
                                    "It must be outside the folders being labeled."))
        self.out_button = QPushButton(tr("Choose…"), self)
        self.out_button.setToolTip(tr("Choose the output folder"))
        self.copy_radio = QRadioButton(tr("&Copy images"), self)
        self.copy_radio.setToolTip(tr("Copy images into class folders; the originals stay where they are"))
        self.move_radio = QRadioButton(tr("Mo&ve images"), self)
        self.move_radio.setToolTip(tr("Move images into class folders; Undo puts them back"))
        self.report_radio = QRadioButton(tr("Reports only"), self)
        self.report_radio.setToolTip(tr("Write only the CSV/JSON reports; no image is copied or moved"))
        self.copy_radio.setChecked(True)
        self.write_group = QButtonGroup(self)
        for b in (self.copy_radio, self.move_radio, self.report_radio):
            self.write_group.addButton(b)
        self.keep_structure = QCheckBox(tr("Keep subfolders inside each class folder"), self)
        self.keep_structure.setToolTip(tr("Recreate each image's source subfolders below its class folder"))
        self.clash_combo = QComboBox(self)
        self.clash_combo.addItem(tr("Rename (name (1).jpg)"), "rename")
        self.clash_combo.addItem(tr("Skip the image"), "skip")
        self.clash_combo.setToolTip(tr("What to do when a file of the same name is already in the class folder; "
                                       "nothing is ever overwritten"))
        self.csv_check = QCheckBox(tr("CSV report (labels.csv)"), self)
        self.csv_check.setChecked(True)
        self.csv_check.setToolTip(tr("Write a CSV with path, label, confidence, top classes and destination"))
        self.json_check = QCheckBox(tr("JSON report (labels.json)"), self)
        self.json_check.setToolTip(tr("Write the same report as JSON, with a summary"))
        self.batch_spin = QSpinBox(self)
        self.batch_spin.setRange(1, 1024)
        self.batch_spin.setValue(32)
        self.batch_spin.setToolTip(tr("Images per batch through the model (larger is faster on a GPU)"))
        out_box = QGroupBox(tr("Output"), self)
        ol = QFormLayout(out_box)
        orow = QHBoxLayout()
        orow.addWidget(self.out_edit, 1)
        orow.addWidget(self.out_button)
        ol.addRow(tr("Folder:"), orow)
        mrow = QHBoxLayout()
        for b in (self.copy_radio, self.move_radio, self.report_radio):
            mrow.addWidget(b)
        ol.addRow(mrow)
        ol.addRow(self.keep_structure)
        ol.addRow(tr("Name clash:"), self.clash_combo)
        ol.addRow(self.csv_check)
        ol.addRow(self.json_check)
        ol.addRow(tr("Batch size:"), self.batch_spin)

        # run controls
        self.run_button = QPushButton(tr("&Run"), self)
        self.run_button.setToolTip(tr("Label the images (Ctrl+R). Images labeled before are read from the cache."))
        self.stop_button = QPushButton(tr("&Stop"), self)
        self.stop_button.setToolTip(tr("Stop after the current batch; the results so far are kept (Esc)"))
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setToolTip(tr("Images labeled so far"))
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        run_row = QHBoxLayout()
        run_row.addWidget(self.run_button)
        run_row.addWidget(self.stop_button)

        left = QWidget(self)
        ll = QVBoxLayout(left)
        ll.addWidget(src_box, 1)
        ll.addWidget(clf_box)
        ll.addWidget(out_box)
        ll.addLayout(run_row)
        ll.addWidget(self.progress)
        ll.addWidget(self.status_label)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(left)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(380)

        # review: threshold, histogram, counts
        self.threshold_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.threshold_slider.setRange(0, 100)
        self.threshold_slider.setPageStep(5)
        self.threshold_slider.setToolTip(tr("Images whose top confidence is below this go to the Uncertain "
                                            "folder. The counts update as you move it; nothing is written yet."))
        self.threshold_label = QLabel(self)
        self.threshold_label.setMinimumWidth(120)
        self.histogram = ConfidenceHistogram(self)
        self.histogram.setMinimumHeight(150)
        self.counts_table = QTableWidget(0, 2, self)
        self.counts_table.setHorizontalHeaderLabels([tr("Goes to"), tr("Images")])
        self.counts_table.verticalHeader().setVisible(False)
        self.counts_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
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
        tl.addLayout(hist_col, 1)
        tl.addWidget(self.counts_table)

        # results table
        self.model = LabelResultsModel(self.thumbnails, self)
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
        self.filter_combo.setToolTip(tr("Show all images, one class, the uncertain ones, or unreadable files"))
        self.write_button = QPushButton(tr("&Write files"), self)
        self.write_button.setToolTip(tr("Copy or move the images into class folders and write the reports "
                                        "(Ctrl+Shift+W)"))
        self.undo_button = QPushButton(tr("&Undo last write"), self)
        self.undo_button.setToolTip(tr("Put moved images back and remove the copies the last write made "
                                       "(Ctrl+Shift+Z)"))
        self.clear_corrections_button = QPushButton(tr("Clear corrections"), self)
        self.clear_corrections_button.setToolTip(tr("Forget the labels you corrected"))
        brow = QHBoxLayout()
        brow.addWidget(QLabel(tr("Show:"), self))
        brow.addWidget(self.filter_combo, 1)
        brow.addWidget(self.clear_corrections_button)
        brow.addWidget(self.write_button)
        brow.addWidget(self.undo_button)

        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.addWidget(top, 2)
        rl.addWidget(self.table, 5)
        rl.addLayout(brow)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(scroll)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        self._set_threshold_label(0.0)
        self._refresh_filter_combo()

        ctx = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys, slot in (("Ctrl+R", self.start_labeling), ("Ctrl+Shift+W", self.write_files),
                           ("Ctrl+Shift+Z", self.undo_last_write), ("Ctrl+Shift+F", self.add_folder)):
            sc = QShortcut(QKeySequence(keys), self)
            sc.setContext(ctx)
            sc.activated.connect(slot)
        sc = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.sources)
        sc.setContext(Qt.ShortcutContext.WidgetShortcut)
        sc.activated.connect(self.remove_selected_sources)

    def _connect(self) -> None:
        self.add_folder_button.clicked.connect(self.add_folder)
        self.add_files_button.clicked.connect(self.add_files)
        self.remove_source_button.clicked.connect(self.remove_selected_sources)
        self.adapter_button.clicked.connect(self.choose_adapter)
        self.adapter_edit.editingFinished.connect(self._on_adapter_edited)
        self.use_adapter.toggled.connect(self._on_mode_changed)
        self.names_edit.editingFinished.connect(self._on_classes_edited)
        self.extras_edit.returnPressed.connect(self._on_classes_edited)
        self.out_button.clicked.connect(self.choose_out_folder)
        self.run_button.clicked.connect(self.start_labeling)
        self.stop_button.clicked.connect(self.stop)
        self.threshold_slider.valueChanged.connect(self._on_slider_changed)
        self.histogram.thresholdDragged.connect(self._on_histogram_dragged)
        self.model.correctionsChanged.connect(self._on_corrections_changed)
        self.filter_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.counts_table.cellClicked.connect(self._on_counts_clicked)
        self.write_button.clicked.connect(self.write_files)
        self.undo_button.clicked.connect(self.undo_last_write)
        self.clear_corrections_button.clicked.connect(self.model.clear_corrections)
        self.jobs.busyChanged.connect(self._on_jobs_busy_changed)
        self.state.adapterChanged.connect(self._sync_adapter_from_state)
        self.state.projectChanged.connect(self._on_project_changed)
        self.state.projectEdited.connect(self._on_project_changed)
        self.names_edit.textEdited.connect(self._on_names_typed)
        self.state.backboneChanged.connect(self._drop_classifier)
        self.sources.model().rowsInserted.connect(self._update_buttons)
        self.sources.model().rowsRemoved.connect(self._update_buttons)
        self.out_edit.textChanged.connect(self._update_buttons)

    # ------------------------------------------------------------------ sources
    def add_sources(self, paths) -> int:
        """Add folders/files (duplicates ignored); returns how many were new."""
        have = {self.sources.item(i).text() for i in range(self.sources.count())}
        added = 0
        for p in paths:
            text = str(Path(p))
            if text and text not in have and Path(p).exists():
                self.sources.addItem(text)
                have.add(text)
                added += 1
        if added:
            self._suggest_out_folder()
        return added

    def source_paths(self) -> list[Path]:
        return [Path(self.sources.item(i).text()) for i in range(self.sources.count())]

    @Slot()
    def add_folder(self) -> None:
        folder = ask_folder(self, self.tr("Add a folder of images"))
        if folder is not None:
            self.add_sources([folder])

    @Slot()
    def add_files(self) -> None:
        self.add_sources(ask_image_files(self, self.tr("Add images")))

    @Slot()
    def remove_selected_sources(self) -> None:
        for item in self.sources.selectedItems():
            self.sources.takeItem(self.sources.row(item))

    @Slot()
    def paste(self) -> None:
        """Edit > Paste on this page: add copied files and folders."""
        added = self.add_sources(paths_from_mime(QGuiApplication.clipboard().mimeData()))
        if not added:
            self.status_label.setText(self.tr("The clipboard holds no files or folders."))

    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        if self.add_sources(paths_from_mime(event.mimeData())):
            event.acceptProposedAction()

    def _suggest_out_folder(self) -> None:
        if self.out_edit.text().strip() or not self.sources.count():
            return
        first = Path(self.sources.item(0).text())
        base = first if first.is_dir() else first.parent
        self.out_edit.setText(str(base.parent / f"{base.name} labeled"))

    @Slot()
    def choose_out_folder(self) -> None:
        folder = ask_folder(self, self.tr("Choose the output folder"))
        if folder is not None:
            self.out_edit.setText(str(folder))

    # ------------------------------------------------------------------ classifier choice
    def _project_class_names(self) -> list[str]:
        project = self.state.project
        if project is None:
            return []
        try:
            _, names, _ = project.training_data(DEFAULT_TEMPLATE)
        except Exception:  # an empty or half-built project has no names yet
            return []
        return list(names)

    @Slot()
    def _sync_adapter_from_state(self) -> None:
        path = self.state.adapter_path
        if path is not None and (self._adapter_from_state or not self.adapter_edit.text().strip()):
            self.adapter_edit.setText(str(path))
            self._adapter_from_state = True
            self.use_adapter.setChecked(True)
        elif path is None and not self.adapter_edit.text().strip():
            self.use_names.setChecked(True)
        self._show_adapter_info()
        self._drop_classifier()

    @Slot()
    def _on_project_changed(self) -> None:
        """Class names typed by the user stay; names filled in from a project follow the project."""
        if self._auto_names or not self.names_edit.text().strip():
            self.names_edit.setText(", ".join(self._project_class_names()))
            self._auto_names = True
        self._update_buttons()

    @Slot(str)
    def _on_names_typed(self, _text: str) -> None:
        self._auto_names = False

    @Slot()
    def choose_adapter(self) -> None:
        path = dialogs.ask_open_file(self, self.tr("Choose an adapter"), dialogs.ADAPTER_FILTER)
        if path is not None:
            self.set_adapter(path)

    def set_adapter(self, path: Path | None) -> None:
        self.adapter_edit.setText(str(path) if path else "")
        self._adapter_from_state = False
        if path:
            self.use_adapter.setChecked(True)
        self._on_adapter_edited()

    @Slot()
    def _on_adapter_edited(self) -> None:
        text = self.adapter_edit.text().strip()
        self._adapter_from_state = bool(text) and self.state.adapter_path is not None and \
            Path(text) == Path(self.state.adapter_path)
        self._show_adapter_info()
        self._drop_classifier()
        self._update_buttons()

    def adapter_header(self):
        """The chosen adapter's header, or None (missing/damaged: the reason is shown)."""
        text = self.adapter_edit.text().strip()
        if not text:
            return None
        from rmadapter_app.core.adapter_file import read_adapter_header
        from rmadapter_app.core.errors import AdapterFileError
        try:
            return read_adapter_header(Path(text))
        except AdapterFileError:
            return None

    def _show_adapter_info(self) -> None:
        text = self.adapter_edit.text().strip()
        if not text:
            self.adapter_info.setText(self.tr("No adapter: train one, open one, or use class names."))
            return
        from rmadapter_app.core.adapter_file import read_adapter_header
        from rmadapter_app.core.errors import AdapterFileError
        try:
            header = read_adapter_header(Path(text))
        except AdapterFileError as exc:
            self.adapter_info.setText(str(exc))
            return
        self.adapter_info.setText(self.tr("{0} classes: {1}\nBackbone: {2}").format(
            len(header.class_names), ", ".join(header.class_names), header.backbone.label))

    @Slot()
    def _on_mode_changed(self) -> None:
        adapter = self.use_adapter.isChecked()
        for w in (self.adapter_edit, self.adapter_button, self.adapter_info):
            w.setEnabled(adapter)
        self.names_edit.setEnabled(not adapter)
        if not adapter and not self.names_edit.text().strip():
            self.names_edit.setText(", ".join(self._project_class_names()))
            self._auto_names = True
        self._drop_classifier()
        self._update_buttons()

    def choice(self) -> ClassifierChoice | None:
        """The classifier to label with, or None (the reason goes to the status line)."""
        extras = split_names(self.extras_edit.text())
        if self.use_adapter.isChecked():
            header = self.adapter_header()
            if header is None:
                return None
            return ClassifierChoice(self.state.backbone_spec, Path(self.adapter_edit.text().strip()),
                                    list(header.class_names), extras)
        names = split_names(self.names_edit.text())
        if len(names) + len([e for e in extras if e.casefold() not in {n.casefold() for n in names}]) < 2:
            return None
        return ClassifierChoice(self.state.backbone_spec, None, names, extras)

    @Slot()
    def _drop_classifier(self) -> None:
        self._classifier = None
        self._classifier_key = None

    @Slot()
    def _on_classes_edited(self) -> None:
        """Class names or extra classes changed: re-score the current results from the cache."""
        self._update_buttons()
        if self._run is None or self.jobs.busy():
            return
        choice = self.choice()
        if choice is None:
            return
        wanted = self._wanted_names(choice)
        if wanted == list(self._run.class_names):
            return
        self.rescore()

    def _wanted_names(self, choice: ClassifierChoice) -> list[str]:
        base = list(choice.names)
        known = {n.casefold() for n in base}
        return base + [e for e in choice.extras if e.casefold() not in known]

    # ------------------------------------------------------------------ jobs
    def _start(self, name: str, fn, done) -> bool:
        self._job = name
        ok = self.jobs.start(name, fn, on_event=self._on_job_event, on_done=done, on_failed=self._on_job_failed)
        if not ok:
            self._job = None
            self.status_label.setText(self.tr("Busy with “{0}”; try again when it has finished.").format(
                self.jobs.current()))
        self._update_buttons()
        return ok

    @Slot()
    def start_labeling(self) -> bool:
        """Run labeling on the listed sources; True when the job started."""
        sources = self.source_paths()
        if not sources:
            self.status_label.setText(self.tr("Add a folder or images to label first."))
            return False
        choice = self.choice()
        if choice is None:
            self.status_label.setText(self.tr("Choose an adapter file, or type at least two class names."))
            return False
        reuse = self._classifier if choice.key() == self._classifier_key else None
        job = LabelJob(self.state, choice, reuse, sources, self.recursive.isChecked(), self.batch_spin.value())
        self.progress.setRange(0, 0)
        self.status_label.setText(self.tr("Preparing the classifier…") if reuse is None
                                  else self.tr("Listing images…"))
        return self._start(JOB_LABEL, job, self._on_label_done)

    def rescore(self) -> bool:
        """Re-score the current results for the current class list (no image is read again)."""
        choice = self.choice()
        if self._run is None or choice is None:
            return False
        reuse = self._classifier if choice.key() == self._classifier_key else None
        self.status_label.setText(self.tr("Re-scoring from the cache…"))
        return self._start(JOB_RESCORE, RescoreJob(self.state, choice, reuse, self._run), self._on_label_done)

    @Slot()
    def stop(self) -> None:
        """Stop the running labeling job after its current batch (results so far are kept)."""
        if self.jobs.busy():
            self.jobs.stop()
            self.status_label.setText(self.tr("Stopping after the current batch…"))

    def _on_job_event(self, ev) -> None:
        from rmadapter_app.core import events as E
        if isinstance(ev, E.LabelProgressEvent):
            self.progress.setRange(0, max(1, ev.total))
            self.progress.setValue(ev.done)
            parts = [self.tr("Labeling {0} / {1}").format(ev.done, ev.total)]
            if ev.images_per_s > 0:
                parts.append(self.tr("{0:.1f} images/s").format(ev.images_per_s))
            if ev.eta_s is not None and ev.done < ev.total:
                parts.append(self.tr("about {0} left").format(_fmt_duration(ev.eta_s)))
            if ev.cached:
                parts.append(self.tr("{0} from the cache").format(ev.cached))
            if ev.errors:
                parts.append(self.tr("{0} unreadable").format(ev.errors))
            self.status_label.setText(" — ".join(parts))
        elif isinstance(ev, E.ProgressEvent):
            self.progress.setRange(0, max(1, ev.total))
            self.progress.setValue(ev.done)
            self.status_label.setText(f"{self.tr(ev.phase)}: {ev.done} / {ev.total}")
        elif isinstance(ev, E.DownloadEvent):
            self.progress.setRange(0, max(1, ev.total_bytes))
            self.progress.setValue(ev.done_bytes)
            self.status_label.setText(self.tr("Downloading {0}…").format(ev.filename))
        elif isinstance(ev, E.DeviceEvent):
            self.state.message.emit(self.tr("Labeling on {0}").format(ev.description))
        elif isinstance(ev, E.StatusEvent):
            self.status_label.setText(ev.text)

    def _on_label_done(self, outcome: LabelOutcome) -> None:
        job = self._job
        self._job = None
        self._classifier, self._classifier_key = outcome.classifier, outcome.key
        run = outcome.run
        self._run = run
        self.show_run(run)
        if job == JOB_RESCORE:
            self.status_label.setText(self.tr("Re-scored {0} images for {1} classes from the cache.").format(
                len(self.model.results()), len(run.class_names)))
        elif run.stopped:
            self.status_label.setText(self.tr(
                "Stopped after {0} of {1} images. The results so far are shown and can be written; "
                "Run again to continue where it stopped.").format(run.n_done, len(run)))
        else:
            rate = run.n_done / run.seconds if run.seconds else 0.0
            self.status_label.setText(self.tr(
                "Labeled {0} images in {1} ({2:.1f} images/s; {3} from the cache, {4} unreadable).").format(
                run.n_done, _fmt_duration(run.seconds), rate, run.from_cache, run.n_errors))
        self.progress.setRange(0, max(1, len(run)))
        self.progress.setValue(run.n_done)
        self._update_buttons()
        self.runFinished.emit(run)

    def _on_job_failed(self, message: str, details: str) -> None:
        job = self._job
        self._job = None
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status_label.setText(message)
        if job in (JOB_LABEL, JOB_RESCORE):
            self._drop_classifier()
        self._update_buttons()
        if message != self.tr("Stopped."):
            dialogs.show_error(self, self.tr("Label"), message, details)
        {JOB_WRITE: self.writeFinished, JOB_UNDO: self.undoFinished}.get(job, self.runFinished).emit(None)

    # ------------------------------------------------------------------ review
    def show_run(self, run) -> None:
        """Show a LabelRun's results: table, histogram, counts (corrections are kept by path)."""
        self.model.set_results(run.results(top_k=3), run.class_names)
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

    def counts(self) -> dict[str, int]:
        """Images per class, ``_uncertain`` and unreadable (key ``__errors__``) at the current threshold."""
        return self.model.counts()

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

    def correct_label(self, path: Path | str, label: str) -> bool:
        """Correct one image's label (``labeling.UNCERTAIN`` sends it to the Uncertain folder)."""
        row = self.model.row_of(path)
        return row is not None and self.model.setData(self.model.index(row, 1), label)

    # ------------------------------------------------------------------ writing
    def write_mode(self) -> str:
        if self.move_radio.isChecked():
            return "move"
        return "none" if self.report_radio.isChecked() else "copy"

    @Slot()
    def write_files(self) -> bool:
        """Copy/move the images into class folders and write the reports; True when the job started."""
        results = self.model.results()
        if not results:
            self.status_label.setText(self.tr("Nothing to write yet: run labeling first."))
            return False
        text = self.out_edit.text().strip()
        out_dir = Path(text) if text else ask_folder(self, self.tr("Choose the output folder"))
        if out_dir is None:
            return False
        self.out_edit.setText(str(out_dir))
        mode = self.write_mode()
        if mode == "none" and not (self.csv_check.isChecked() or self.json_check.isChecked()):
            self.status_label.setText(self.tr("Choose a CSV or JSON report, or copy or move the images."))
            return False
        n = sum(1 for r in results if not r.error)
        if mode == "move" and not dialogs.ask_yes_no(
                self, self.tr("Move images?"),
                self.tr("Move {0} images out of their folders into {1}?").format(n, out_dir),
                details=self.tr("Undo last write puts every moved image back.")):
            return False
        plan_args = {"threshold": self.threshold(), "out_dir": out_dir, "mode": mode,
                     "keep_structure": self.keep_structure.isChecked(),
                     "source_roots": list(self._run.sources) if self._run is not None else self.source_paths(),
                     "overrides": self.model.overrides(), "on_clash": self.clash_combo.currentData(),
                     "class_names": self.model.class_names()}
        job = WriteJob(results, plan_args,
                       out_dir / "labels.csv" if self.csv_check.isChecked() else None,
                       out_dir / "labels.json" if self.json_check.isChecked() else None,
                       {"classes": self.model.class_names(),
                        "adapter": self.adapter_edit.text().strip() if self.use_adapter.isChecked() else None})
        self.progress.setRange(0, 0)
        self.status_label.setText(self.tr("Writing files…"))
        return self._start(JOB_WRITE, job, self._on_write_done)

    def _on_write_done(self, outcome: WriteOutcome) -> None:
        self._job = None
        journal, plan = outcome.journal, outcome.plan
        if journal.path is not None and journal.done:
            self._last_journal = journal.path
        verb = {"move": self.tr("Moved"), "copy": self.tr("Copied")}.get(plan.mode)
        parts = []
        if verb:
            parts.append(self.tr("{0} {1} images into {2}").format(verb, journal.done, plan.out_dir))
        if plan.n_renamed:
            parts.append(self.tr("{0} renamed (name taken)").format(plan.n_renamed))
        if plan.n_skipped:
            parts.append(self.tr("{0} skipped (name taken)").format(plan.n_skipped))
        if journal.failed:
            parts.append(self.tr("{0} failed").format(len(journal.failed)))
        if journal.stopped:
            parts.append(self.tr("stopped early"))
        if outcome.reports:
            parts.append(self.tr("reports: {0}").format(", ".join(p.name for p in outcome.reports)))
        self.status_label.setText("; ".join(parts) + ".")
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        if journal.failed:
            dialogs.show_error(self, self.tr("Some images were not written"),
                               self.tr("{0} images could not be written; the others were.").format(
                                   len(journal.failed)),
                               "\n".join(f"{p}: {why}" for p, why in journal.failed[:50]))
        self._update_buttons()
        self.writeFinished.emit(outcome)

    def last_journal(self) -> Path | None:
        return self._last_journal

    @Slot()
    def undo_last_write(self) -> bool:
        if self._last_journal is None:
            return False
        self.status_label.setText(self.tr("Undoing the last write…"))
        return self._start(JOB_UNDO, UndoJob(self._last_journal), self._on_undo_done)

    def _on_undo_done(self, result) -> None:
        self._job = None
        self._last_journal = None
        parts = []
        if result.restored:
            parts.append(self.tr("Moved {0} images back").format(result.restored))
        if result.removed:
            parts.append(self.tr("removed {0} copies").format(result.removed))
        if result.left:
            parts.append(self.tr("{0} files left in place (changed since)").format(len(result.left)))
            dialogs.show_info(self, self.tr("Undo"), self.tr("Some files were left in place:") + "\n" + "\n".join(
                f"{p}: {why}" for p, why in result.left[:20]))
        self.status_label.setText(("; ".join(parts) or self.tr("Nothing to undo")) + ".")
        self._update_buttons()
        self.undoFinished.emit(result)

    # ------------------------------------------------------------------ buttons
    @Slot(bool)
    def _on_jobs_busy_changed(self, _busy: bool) -> None:
        self._update_buttons()

    @Slot()
    def _update_buttons(self, *_args) -> None:
        busy = self.jobs.busy()
        ours = busy and self._job is not None
        self.run_button.setEnabled(not busy and self.sources.count() > 0)
        self.stop_button.setEnabled(ours and self._job in (JOB_LABEL, JOB_WRITE))
        has_results = bool(self.model.rowCount())
        self.write_button.setEnabled(not busy and has_results)
        self.undo_button.setEnabled(not busy and self._last_journal is not None)
        self.clear_corrections_button.setEnabled(has_results)
