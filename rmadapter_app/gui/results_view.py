"""The Results page: accuracy against frozen CLIP, per-class accuracy, a clickable confusion matrix,
misclassified images with their top predictions, and saving / loading adapter files.
"""
from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from rmadapter_app.gui import dialogs
from rmadapter_app.gui.state import AppState
from rmadapter_app.gui.train_job import safe_file_stem
from rmadapter_app.gui.widgets.confusion import ConfusionMatrixView, PredictionGallery

logger = logging.getLogger("rmadapter_app")

ADAPTER_SUFFIX = ".rmadapter.safetensors"   # core.adapter_file.SUFFIX (no torch import here)


def _pct(value) -> str:
    return "—" if value is None else f"{value:.1%}"


def describe_header(header, path: Path | None = None) -> str:
    """An adapter file's header in a few plain lines: backbone, classes, accuracy, created."""
    from PySide6.QtCore import QCoreApplication
    tr = lambda s: QCoreApplication.translate("ResultsPage", s)  # noqa: E731 (not a slot)
    lines = []
    if path is not None:
        lines.append(tr("File: {0}").format(Path(path).name))
    lines.append(tr("Backbone: {0}").format(header.backbone.label))
    lines.append(tr("Classes ({0}): {1}").format(len(header.class_names), ", ".join(header.class_names)))
    m = header.metrics
    if m.get("val_accuracy") is not None:
        line = tr("Accuracy: {0}").format(_pct(m["val_accuracy"]))
        if m.get("zero_shot_accuracy") is not None:
            line += " " + tr("(frozen CLIP zero-shot {0})").format(_pct(m["zero_shot_accuracy"]))
        lines.append(line)
    if header.train.get("stopped_early"):
        lines.append(tr("Training was stopped early (partial adapter)."))
    lines.append(tr("Created: {0} by RMAdapter Studio {1}").format(header.created or "?", header.app_version or "?"))
    return "\n".join(lines)


class ResultsPage(QWidget):
    """What the last training run achieved, and the adapter file in use."""

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self._class_names: list[str] = []
        self._build()
        state.resultChanged.connect(self.refresh)
        state.adapterChanged.connect(self.refresh_adapter)
        self.refresh()
        self.refresh_adapter()

    def _build(self) -> None:
        self.adapter_label = QLabel(self)
        self.adapter_label.setWordWrap(True)
        self.adapter_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_button = QPushButton(self.tr("&Save adapter…"), self)
        self.save_button.setToolTip(self.tr("Save the adapter file in use to a place of your choice (Ctrl+S)."))
        self.save_button.clicked.connect(self.save_adapter)
        self.load_button = QPushButton(self.tr("&Load adapter…"), self)
        self.load_button.setToolTip(self.tr("Open an adapter file; its header is shown before it is used."))
        self.load_button.clicked.connect(self.load_adapter)
        adapter_box = QGroupBox(self.tr("Adapter in use"), self)
        ab = QHBoxLayout(adapter_box)
        ab.addWidget(self.adapter_label, 1)
        buttons = QVBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.load_button)
        buttons.addStretch(1)
        ab.addLayout(buttons)

        self.metrics_label = QLabel(self)
        self.metrics_label.setWordWrap(True)
        self.metrics_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.per_class = QTableWidget(0, 3, self)
        self.per_class.setHorizontalHeaderLabels([self.tr("Class"), self.tr("Accuracy"), self.tr("Validation images")])
        self.per_class.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.per_class.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.per_class.setToolTip(self.tr("How often each class was recognised among its validation images."))
        self.confusion = ConfusionMatrixView(self)
        self.confusion.cellChosen.connect(self._on_confusion_cell_chosen)
        self.cell_label = QLabel(self.tr("Click a cell of the confusion matrix to see its images."), self)
        self.cell_gallery = PredictionGallery(self)
        self.wrong_gallery = PredictionGallery(self)
        self.wrong_gallery.setToolTip(self.tr("Validation images the adapter got wrong, with its top guesses."))
        cell_tab = QWidget(self)
        ct = QVBoxLayout(cell_tab)
        ct.addWidget(self.cell_label)
        ct.addWidget(self.cell_gallery, 1)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(cell_tab, self.tr("Selected cell"))
        self.tabs.addTab(self.wrong_gallery, self.tr("Misclassified"))

        tables = QSplitter(Qt.Orientation.Horizontal, self)
        tables.addWidget(self.per_class)
        tables.addWidget(self.confusion)
        main = QSplitter(Qt.Orientation.Vertical, self)
        top = QWidget(self)
        tv = QVBoxLayout(top)
        tv.setContentsMargins(0, 0, 0, 0)
        tv.addWidget(self.metrics_label)
        tv.addWidget(tables, 1)
        main.addWidget(top)
        main.addWidget(self.tabs)
        layout = QVBoxLayout(self)
        layout.addWidget(adapter_box)
        layout.addWidget(main, 1)

    # ---------------------------------------------------------------- showing a result
    @Slot()
    def refresh(self) -> None:
        """Show ``state.result`` (or say there is none yet)."""
        result = self.state.result
        self.cell_gallery.show_predictions([], [])
        self.cell_label.setText(self.tr("Click a cell of the confusion matrix to see its images."))
        if result is None:
            self._class_names = []
            self.metrics_label.setText(self.tr("No training results yet: train on the Train page, "
                                               "or load an adapter file."))
            self.per_class.setRowCount(0)
            self.confusion.set_matrix([], [])
            self.wrong_gallery.show_predictions([], [])
            self.tabs.setTabText(1, self.tr("Misclassified"))
            return
        r = result.report
        self._class_names = list(result.class_names)
        self.metrics_label.setText(self._metrics_text(result))
        confusion = r.confusion or [[0] * len(self._class_names) for _ in self._class_names]
        per_class = r.per_class_accuracy
        self.per_class.setRowCount(len(self._class_names))
        for i, name in enumerate(self._class_names):
            for col, text in enumerate((name, _pct(per_class.get(name)), str(sum(confusion[i])))):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.per_class.setItem(i, col, item)
        self.confusion.set_matrix(self._class_names, confusion)
        wrong = [p for p in result.val_predictions if not p.correct]
        self.wrong_gallery.show_predictions(wrong, self._class_names)
        self.tabs.setTabText(1, self.tr("Misclassified ({0})").format(len(wrong)))

    def _metrics_text(self, result) -> str:
        r = result.report
        lines = []
        if r.val_accuracy is not None:
            lines.append(self.tr("Accuracy on {0} validation images: {1}").format(r.n_val, _pct(r.val_accuracy)))
        else:
            lines.append(self.tr("No validation images: accuracy was not measured."))
        zs, va = r.zero_shot_accuracy, r.val_accuracy
        if zs is not None and va is not None:
            lines.append(self.tr("Frozen CLIP zero-shot: {0} → adapted: {1} ({2:+.1f} points)").format(
                _pct(zs), _pct(va), 100 * (va - zs)))
        if r.validation_reason:
            lines.append(self.tr("Validation: {0}").format(r.validation_reason))
        lines.append(self.tr("Trained on {0} images of {1} classes: {2} steps in {3} s on {4}.").format(
            r.n_images, r.n_classes, r.steps, r.train_seconds, r.device))
        if result.stopped_early:
            lines.append(self.tr("Stopped early after {0} of {1} steps: these numbers describe the partial "
                                 "adapter.").format(r.steps, r.planned_steps))
        if r.skipped:
            lines.append(self.tr("%n unreadable image(s) were skipped.", "", r.skipped))
        return "\n".join(lines)

    @Slot(int, int)
    def _on_confusion_cell_chosen(self, true_index: int, pred_index: int) -> None:
        result = self.state.result
        if result is None:
            return
        records = [p for p in result.val_predictions if p.label == true_index and p.pred == pred_index]
        names = self._class_names
        self.cell_label.setText(self.tr("%n image(s) of “{0}” predicted as “{1}”", "", len(records)).format(
            names[true_index], names[pred_index]))
        self.cell_gallery.show_predictions(records, names)
        self.tabs.setCurrentIndex(0)

    # ---------------------------------------------------------------- adapter files
    @Slot()
    def refresh_adapter(self) -> None:
        """Show the header of the adapter in use."""
        path = self.state.adapter_path
        self.save_button.setEnabled(path is not None or self.state.result is not None)
        if path is None:
            self.adapter_label.setText(self.tr("None yet. Training saves one automatically; "
                                               "or load an adapter file."))
            return
        from rmadapter_app.core.errors import AdapterFileError
        from rmadapter_app.core.model.adapter_file import read_adapter_header
        try:
            self.adapter_label.setText(describe_header(read_adapter_header(path), path))
        except AdapterFileError as exc:
            self.adapter_label.setText(str(exc))
        self.adapter_label.setToolTip(str(path))

    def default_save_name(self) -> str:
        """"<project>-<date>.rmadapter.safetensors"."""
        project = self.state.project
        name = safe_file_stem(str(getattr(project, "name", "") or "adapter"))
        return f"{name}-{time.strftime('%Y-%m-%d')}{ADAPTER_SUFFIX}"

    @Slot()
    def save_adapter(self) -> Path | None:
        """Save the adapter in use where the user says; never replaces a file without asking."""
        src = self.state.adapter_path
        if src is None and self.state.result is None:
            dialogs.show_info(self, self.tr("Save adapter"),
                              self.tr("There is no adapter to save yet: train one first, or load one."))
            return None
        start = Path.home() / self.default_save_name()
        target = dialogs.ask_save_file(self, self.tr("Save adapter"), start, dialogs.ADAPTER_FILTER)
        if target is None:
            return None
        target = Path(target)
        if not target.name.endswith(".safetensors"):
            target = target.with_name(target.name + ADAPTER_SUFFIX)
        if src is not None and target.exists() and target.resolve() == Path(src).resolve():
            self.state.message.emit(self.tr("The adapter is already saved as {0}.").format(target))
            return target
        if not dialogs.confirm_overwrite(self, target):
            return None
        try:
            self._write_adapter(src, target)
        except Exception as exc:  # RMAdapterError (disk full, read-only), OSError, missing source
            dialogs.show_error(self, self.tr("Save adapter"),
                               self.tr("The adapter could not be saved: {0}").format(exc))
            return None
        self.state.set_adapter_path(target)
        self.state.message.emit(self.tr("Adapter saved as {0}").format(target))
        return target

    def _write_adapter(self, src: Path | None, target: Path) -> None:
        from rmadapter_app.core.fileio import atomic_write
        if src is not None:
            atomic_write(target, lambda tmp: shutil.copyfile(src, tmp))
            return
        from rmadapter_app.core.model.adapter_file import save_adapter
        result = self.state.result
        backbone = self.state.cached_backbone()
        if backbone is None:
            raise RuntimeError(self.tr("the backbone it was trained on is no longer loaded; train again"))
        save_adapter(target, state=result.adapter_state, adapter_config=result.adapter_config,
                     backbone=backbone.info, class_names=result.class_names, prompts=result.prompts,
                     train={"config": result.train_config.to_dict(), "metrics": result.metrics,
                            "stopped_early": result.stopped_early})

    @Slot()
    def load_adapter(self) -> bool:
        """Pick an adapter file, show its header, and use it when the user agrees."""
        path = dialogs.ask_open_file(self, self.tr("Load adapter"), dialogs.ADAPTER_FILTER)
        if path is None:
            return False
        from rmadapter_app.core.errors import AdapterFileError
        from rmadapter_app.core.model.adapter_file import read_adapter_header
        try:
            header = read_adapter_header(Path(path))
        except AdapterFileError as exc:
            dialogs.show_error(self, self.tr("Cannot use this adapter file"), str(exc))
            return False
        text = describe_header(header, Path(path))
        spec = self.state.backbone_spec
        if header.backbone.model_name != spec.model_name:
            text += "\n\n" + self.tr("It was trained on {0}; the current backbone choice is {1}. "
                                     "Classifying with it uses {0}.").format(header.backbone.label, spec.label())
        if not dialogs.ask_yes_no(self, self.tr("Load this adapter?"), text):
            return False
        self.state.set_adapter_path(Path(path))
        self.state.message.emit(self.tr("Using adapter {0}").format(Path(path).name))
        return True
