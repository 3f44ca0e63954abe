"""The Results page: what the model in use achieved, in one plain sentence first ("85% correct on 12
images it did not train on (frozen CLIP: 60%)") with advice when training did not help; the Models
list (every run of the project, the one in use marked); per-class accuracy, a clickable confusion
matrix, misclassified images with their top predictions; saving a copy and loading adapter files.

What is shown is ``AppState.model_run()``: the model in use with the evaluation kept beside it in the
project, so it is all there again after a restart.
"""
from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QFont
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

from rmadapter_app.core.project import models as project_models
from rmadapter_app.gui import dialogs, run_text
from rmadapter_app.gui.models_panel import ModelsPanel
from rmadapter_app.gui.state import AppState
from rmadapter_app.gui.train_job import safe_file_stem
from rmadapter_app.gui.widgets.confusion import ConfusionMatrixView, PredictionGallery
from rmadapter_app.gui.widgets.message_label import MessageLabel, folder_link, open_folder

logger = logging.getLogger("rmadapter_app")

ADAPTER_SUFFIX = project_models.ADAPTER_SUFFIX


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
            line += " " + tr("(frozen CLIP {0})").format(_pct(m["zero_shot_accuracy"]))
        lines.append(line)
    if header.train.get("stopped_early"):
        lines.append(tr("Training was stopped early (partial adapter)."))
    lines.append(tr("Created: {0} by RMAdapter Studio {1}").format(header.created or "?", header.app_version or "?"))
    return "\n".join(lines)


def describe_run(run: project_models.ModelRun) -> str:
    """The model in use in a few plain lines (from its evaluation or header; no torch)."""
    from PySide6.QtCore import QCoreApplication
    tr = lambda s: QCoreApplication.translate("ResultsPage", s)  # noqa: E731 (not a slot)
    if run.problem:
        return run.problem
    lines = []
    if run.path is not None:
        lines.append(tr("File: {0}").format(Path(run.path).name))
    lines.append(tr("Backbone: {0}").format(run.backbone or "?"))
    lines.append(tr("Classes ({0}): {1}").format(len(run.class_names), ", ".join(run.class_names)))
    if run.stopped_early and not project_models.is_complete(True, run.report):
        lines.append(tr("Training was stopped early (partial adapter)."))
    if run.created:
        lines.append(tr("Created: {0}").format(run.created[:19].replace("T", " ")))
    return "\n".join(lines)


class ResultsPage(QWidget):
    """What the model in use achieved, the project's models, and adapter files."""

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self._class_names: list[str] = []
        self._run: project_models.ModelRun | None = None
        self._build()
        state.resultChanged.connect(self.refresh)
        state.adapterChanged.connect(self.refresh_adapter)
        state.modelsChanged.connect(self.refresh_models)
        state.projectChanged.connect(self._on_state_project_changed)
        self.refresh()
        self.refresh_adapter()

    def _build(self) -> None:
        self.headline = QLabel(self)
        self.headline.setWordWrap(True)
        font = QFont(self.headline.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.headline.setFont(font)
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        self.advice_label = MessageLabel(parent=self, max_lines=6)
        self.adapter_label = MessageLabel(parent=self, max_lines=5)
        self.models_panel = ModelsPanel(self)
        self.models_panel.useRequested.connect(self._on_models_use_requested)
        self.save_button = QPushButton(self.tr("&Save a copy…"), self)
        self.save_button.setToolTip(self.tr("Save a copy of the model in use where you choose, to use it elsewhere "
                                            "(Ctrl+S). It stays in the project too."))
        self.save_button.clicked.connect(self.save_adapter)
        self.load_button = QPushButton(self.tr("&Load adapter…"), self)
        self.load_button.setToolTip(self.tr("Open an adapter file; its header is shown before it is used, and a file "
                                            "from elsewhere is copied into the project's models."))
        self.load_button.clicked.connect(self.load_adapter)
        self.saved_label = QLabel(self)
        self.saved_label.setWordWrap(True)
        self.saved_label.setTextFormat(Qt.TextFormat.RichText)
        self.saved_label.linkActivated.connect(open_folder)
        self.saved_label.hide()
        models_box = QGroupBox(self.tr("Models of this project"), self)
        mb = QHBoxLayout(models_box)
        mb.addWidget(self.models_panel, 5)
        side = QVBoxLayout()
        side.addWidget(self.save_button)
        side.addWidget(self.load_button)
        side.addWidget(self.saved_label)
        side.addWidget(self.adapter_label, 1)
        mb.addLayout(side, 2)

        self.metrics_label = MessageLabel(parent=self, max_lines=8)
        self.per_class = QTableWidget(0, 3, self)
        self.per_class.setHorizontalHeaderLabels([self.tr("Class"), self.tr("Correct"), self.tr("Checked on")])
        self.per_class.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.per_class.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.per_class.setToolTip(self.tr("How often each class was recognised among the images held back to check "
                                          "the model."))
        self.confusion = ConfusionMatrixView(self)
        self.confusion.cellChosen.connect(self._on_confusion_cell_chosen)
        self.cell_label = QLabel(self.tr("Click a cell of the confusion matrix to see its images."), self)
        self.cell_label.setWordWrap(True)
        self.cell_gallery = PredictionGallery(self)
        self.wrong_gallery = PredictionGallery(self)
        self.wrong_gallery.setToolTip(self.tr("Held-back images the model got wrong, with its top guesses."))
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
        top = QWidget(self)
        tv = QVBoxLayout(top)
        tv.setContentsMargins(0, 0, 0, 0)
        tv.addWidget(self.metrics_label)
        tv.addWidget(tables, 1)
        details = QSplitter(Qt.Orientation.Vertical, self)
        details.addWidget(top)
        details.addWidget(self.tabs)
        main = QSplitter(Qt.Orientation.Vertical, self)
        main.addWidget(models_box)
        main.addWidget(details)
        main.setStretchFactor(1, 3)
        main.setChildrenCollapsible(False)
        main.setSizes([170, 530])
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.advice_label)
        layout.addWidget(main, 1)

    # ---------------------------------------------------------------- showing a model
    @Slot()
    def _on_state_project_changed(self) -> None:
        self.saved_label.hide()
        self.saved_label.clear()

    @Slot()
    def refresh(self) -> None:
        """Show the model in use with its evaluation (or say there is none yet)."""
        run = self._run = self.state.model_run()
        self.cell_gallery.show_predictions([], [])
        self.cell_label.setText(self.tr("Click a cell of the confusion matrix to see its images."))
        if run is None or run.problem:
            self._class_names = []
            self.headline.setText(self.tr("No model yet: train one on the Train page, or load an adapter file.")
                                  if run is None else self.tr("The model in use cannot be read."))
            self.advice_label.setText(run.problem if run is not None else "")
            self.advice_label.setVisible(run is not None)
            self.metrics_label.setText("")
            self.per_class.setRowCount(0)
            self.confusion.set_matrix([], [])
            self.wrong_gallery.show_predictions([], [])
            self.tabs.setTabText(1, self.tr("Misclassified"))
            return
        r = run.report
        self._class_names = list(run.class_names)
        self.headline.setText(run_text.headline(r))
        advice = run_text.verdict_lines(r, run.backbone)
        self.advice_label.setText("\n".join(advice))
        self.advice_label.setVisible(bool(advice))
        self.metrics_label.setText(self._metrics_text(run))
        n = len(self._class_names)
        confusion = r.confusion if len(r.confusion) == n and all(len(row) == n for row in r.confusion) \
            else [[0] * n for _ in range(n)]
        self.per_class.setRowCount(n)
        for i, name in enumerate(self._class_names):
            for col, text in enumerate((name, _pct(r.per_class_accuracy.get(name)), str(sum(confusion[i])))):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.per_class.setItem(i, col, item)
        self.confusion.set_matrix(self._class_names, confusion)
        wrong = [p for p in run.val_predictions if not p.correct]
        self.wrong_gallery.show_predictions(wrong, self._class_names)
        self.tabs.setTabText(1, self.tr("Misclassified ({0})").format(len(wrong)))

    def _metrics_text(self, run: project_models.ModelRun) -> str:
        r = run.report
        lines = []
        few = [name for name, row in zip(run.class_names, r.confusion) if 0 < sum(row) < 3]
        if r.val_accuracy is not None and few:
            lines.append(self.tr("Checked on very few images of {0}: these figures are rough. Add images "
                                 "(10 or more per class) for a firmer figure.").format(", ".join(few)))
        if r.validation_reason:
            lines.append(self.tr("How it was checked: {0}").format(r.validation_reason))
        seconds = f"{r.train_seconds:.0f}"
        lines.append(self.tr("Trained on {0} images of {1} classes: {2} steps in {3} s on {4}.").format(
            r.n_images, r.n_classes, r.steps, seconds, r.device or "?"))
        if run.stopped_early and project_models.is_complete(True, r):
            lines.append(self.tr("The accuracy check was stopped: the figures come from the part that finished; "
                                 "the model itself is complete."))
        elif run.stopped_early:
            lines.append(self.tr("Stopped early after {0} of {1} steps: these numbers describe the partial "
                                 "adapter.").format(r.steps, r.planned_steps))
        if r.skipped:
            lines.append(self.tr("%n unreadable image(s) were skipped.", "", r.skipped))
        if not run.predictions_kept and r.val_accuracy is not None:
            lines.append(self.tr("The images behind these figures were not kept with this file."))
        return "\n".join(lines)

    @Slot(int, int)
    def _on_confusion_cell_chosen(self, true_index: int, pred_index: int) -> None:
        run = self._run
        if run is None:
            return
        records = [p for p in run.val_predictions if p.label == true_index and p.pred == pred_index]
        names = self._class_names
        self.cell_label.setText(self.tr("%n image(s) of “{0}” predicted as “{1}”", "", len(records)).format(
            names[true_index], names[pred_index]))
        self.cell_gallery.show_predictions(records, names)
        self.tabs.setCurrentIndex(0)

    # ---------------------------------------------------------------- the models and adapter files
    @Slot()
    def refresh_models(self) -> None:
        self.models_panel.set_models(self.state.models(), self.state.adapter_path)

    @Slot(object)
    def _on_models_use_requested(self, path: Path) -> None:
        self.state.set_adapter_path(path)
        self.state.message.emit(self.tr("Using the model {0}").format(Path(path).name))

    @Slot()
    def refresh_adapter(self) -> None:
        """Show the model in use (its numbers, and its line in the Models list)."""
        path = self.state.adapter_path
        self.save_button.setEnabled(path is not None or self.state.result is not None)
        self.refresh()
        self.refresh_models()
        if path is None:
            self.adapter_label.setText(self.tr("No model in use yet. Training keeps every run here; "
                                               "or load an adapter file."))
            self.adapter_label.setToolTip("")
            return
        self.adapter_label.setText(describe_run(self._run) if self._run is not None else "")
        self.adapter_label.setToolTip(str(path))

    def default_save_name(self) -> str:
        """"<project>-<date>.rmadapter.safetensors"."""
        project = self.state.project
        name = safe_file_stem(str(getattr(project, "name", "") or "adapter"))
        return f"{name}-{time.strftime('%Y-%m-%d')}{ADAPTER_SUFFIX}"

    @Slot()
    def save_adapter(self) -> Path | None:
        """Save a copy of the model in use where the user says; never replaces a file without asking.

        The model in use stays the project's own file; the page confirms with an "Open folder" link.
        """
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
        self.saved_label.setText(self.tr("Saved a copy as {0}.").format(target.name) + " "
                                 + folder_link(target.parent))
        self.saved_label.setToolTip(str(target))
        self.saved_label.show()
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

    def _adapters_folder(self) -> Path | str:
        project = self.state.project
        try:
            return project.adapters_dir if project is not None else ""
        except Exception:  # noqa: BLE001 - a linked adapters folder: start in the working directory
            return ""

    @Slot()
    def load_adapter(self) -> bool:
        """Pick an adapter file (starting in the project's models), show its header, and use it when
        the user agrees; a file from elsewhere is copied into the project first, so it stays."""
        path = dialogs.ask_open_file(self, self.tr("Load adapter"), dialogs.ADAPTER_FILTER, self._adapters_folder())
        if path is None:
            return False
        from rmadapter_app.core.errors import AdapterFileError, RMAdapterError
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
        project = self.state.project
        use = Path(path)
        if project is not None and not project_models.in_project(project.folder, use):
            try:
                use = project_models.import_adapter(project.folder, use)
            except RMAdapterError as exc:
                dialogs.show_error(self, self.tr("Load adapter"), self.tr(
                    "The adapter could not be copied into the project: {0}").format(exc))
                return False
            self.state.message.emit(self.tr("Copied {0} into the project's models.").format(Path(path).name))
        self.state.set_adapter_path(use)
        self.state.message.emit(self.tr("Using adapter {0}").format(use.name))
        return True
