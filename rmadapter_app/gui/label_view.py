"""The Label page: label folders of images, check and correct, then copy or move them into class folders.

Flow: pick or drop folders/files; choose the adapter (its classes are shown from the header) or
class names alone; Run labels everything on a worker (``state.jobs``) with progress, speed and
time left; Stop keeps the results so far. The threshold slider, the confidence histogram and
the counts per class and ``_uncertain`` update live from the scores already computed, before
anything is written; adding or renaming classes re-scores from the embedding cache (the image
encoder does not run again). Labels can be corrected in the table (a combo box), then "Write
files" copies or moves the images and writes the CSV/JSON reports; Undo reverts the last write.

This module composes the page and holds its slots; the parts live in :mod:`rmadapter_app.gui.label`.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QFileDialog, QSplitter, QVBoxLayout, QWidget

from rmadapter_app.gui import dialogs
from rmadapter_app.gui.label import status_text
from rmadapter_app.gui.label.classifier_panel import split_names
from rmadapter_app.gui.label.delegate import LabelDelegate
from rmadapter_app.gui.label.histogram import ConfidenceHistogram
from rmadapter_app.gui.label.results_model import (
    BUCKET_ROLE,
    CHOICES_ROLE,
    ERRORS,
    PATH_ROLE,
    SORT_ROLE,
    LabelResultsModel,
)
from rmadapter_app.gui.label.review_panel import THUMB, ReviewPanel
from rmadapter_app.gui.label.run_column import run_column
from rmadapter_app.gui.label.setup_panel import SetupPanel
from rmadapter_app.gui.label.worker_jobs import (
    DEFAULT_TEMPLATE,
    JOB_LABEL,
    JOB_RESCORE,
    JOB_UNDO,
    JOB_WRITE,
    ClassifierChoice,
    LabelJob,
    LabelOutcome,
    RescoreJob,
    UndoJob,
    WriteJob,
    WriteOutcome,
)
from rmadapter_app.gui.state import AppState
from rmadapter_app.gui.thumbnails import ThumbnailCache
from rmadapter_app.gui.widgets.drop_area import paths_from_mime

__all__ = ["LabelPage", "ask_folder", "ask_image_files", "split_names", "ClassifierChoice", "LabelJob",
           "RescoreJob", "WriteJob", "UndoJob", "LabelOutcome", "WriteOutcome", "LabelResultsModel",
           "LabelDelegate", "ConfidenceHistogram", "JOB_LABEL", "JOB_RESCORE", "JOB_WRITE", "JOB_UNDO",
           "DEFAULT_TEMPLATE", "THUMB", "SORT_ROLE", "CHOICES_ROLE", "PATH_ROLE", "BUCKET_ROLE", "ERRORS"]


# ---------------------------------------------------------------------- patchable dialogs
def ask_folder(parent: QWidget | None, title: str) -> Path | None:
    """A folder chosen by the user, or None (tests replace this)."""
    name = QFileDialog.getExistingDirectory(parent, title)
    return Path(name) if name else None


def ask_image_files(parent: QWidget | None, title: str) -> list[Path]:
    """Image files chosen by the user (tests replace this)."""
    names, _ = QFileDialog.getOpenFileNames(parent, title, "", dialogs.IMAGE_FILTER)
    return [Path(n) for n in names]


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
        self._undone_folder: Path | None = None        # what the "Open folder" link after an undo opens
        self._job: str | None = None
        self.thumbnails = ThumbnailCache(THUMB, capacity=600, parent=self)
        self.setAcceptDrops(True)
        self._build()
        self._connect()
        self.classifier_box.sync_adapter_from_state()
        self.classifier_box.on_mode_changed()
        self._update_buttons()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.setup = SetupPanel(self.state, self)
        self.sources_box = self.setup.sources_box
        self.classifier_box = self.setup.classifier_box
        self.output_box = self.setup.output_box
        # the parts' widgets, under the names the page always had
        for box, names in ((self.sources_box, ("sources", "add_folder_button", "add_files_button",
                                               "remove_source_button", "recursive")),
                           (self.classifier_box, ("use_adapter", "use_names", "mode_group", "adapter_edit",
                                                  "adapter_button", "adapter_info", "names_edit", "extras_edit")),
                           (self.output_box, ("out_edit", "out_button", "copy_radio", "move_radio",
                                              "report_radio", "write_group", "keep_structure", "clash_combo",
                                              "csv_check", "json_check", "batch_spin")),
                           (self.setup, ("run_button", "stop_button", "progress", "status_label"))):
            for name in names:
                setattr(self, name, getattr(box, name))
        left = run_column(self.setup, self)

        # review: threshold, histogram, counts, the results table
        self.model = LabelResultsModel(self.thumbnails, self)
        self.review = ReviewPanel(self.model, self)
        for name in ("threshold_slider", "threshold_label", "histogram", "counts_table", "table", "filter_combo",
                     "write_button", "undo_button", "clear_corrections_button"):
            setattr(self, name, getattr(self.review, name))

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(self.review)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        split.setSizes([380, 700])
        layout = QVBoxLayout(self)
        layout.addWidget(split)

        ctx = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys, slot in (("Ctrl+R", self.start_labeling), ("Ctrl+Shift+W", self.write_files),
                           ("Ctrl+Shift+Z", self.undo_last_write), ("Ctrl+Shift+F", self.add_folder)):
            sc = QShortcut(QKeySequence(keys), self)
            sc.setContext(ctx)
            sc.activated.connect(slot)

    def _connect(self) -> None:
        self.add_folder_button.clicked.connect(self.add_folder)
        self.add_files_button.clicked.connect(self.add_files)
        self.classifier_box.classifierChanged.connect(self._drop_classifier)
        self.classifier_box.edited.connect(self._update_buttons)
        self.names_edit.editingFinished.connect(self._on_classes_edited)
        self.extras_edit.returnPressed.connect(self._on_classes_edited)
        self.out_button.clicked.connect(self.choose_out_folder)
        self.run_button.clicked.connect(self.start_labeling)
        self.stop_button.clicked.connect(self.stop)
        self.write_button.clicked.connect(self.write_files)
        self.undo_button.clicked.connect(self.undo_last_write)
        self.jobs.busyChanged.connect(self._on_jobs_busy_changed)
        self.state.backboneChanged.connect(self._drop_classifier)
        self.sources.model().rowsInserted.connect(self._update_buttons)
        self.sources.model().rowsRemoved.connect(self._update_buttons)
        self.out_edit.textChanged.connect(self._update_buttons)

    # ------------------------------------------------------------------ sources
    def add_sources(self, paths) -> int:
        """Add folders/files (duplicates ignored); returns how many were new."""
        return self.setup.add_sources(paths)

    def source_paths(self) -> list[Path]:
        return self.sources_box.paths()

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
        self.sources_box.remove_selected()

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

    @Slot()
    def choose_out_folder(self) -> None:
        folder = ask_folder(self, self.tr("Choose the output folder"))
        if folder is not None:
            self.out_edit.setText(str(folder))

    # ------------------------------------------------------------------ classifier choice
    @Slot()
    def choose_adapter(self) -> None:
        self.classifier_box.choose_adapter()

    def set_adapter(self, path: Path | None) -> None:
        self.classifier_box.set_adapter(path)

    def adapter_header(self):
        """The chosen adapter's header, or None (missing/damaged: the reason is shown)."""
        return self.classifier_box.adapter_header()

    def choice(self) -> ClassifierChoice | None:
        """The classifier to label with, or None (the reason goes to the status line)."""
        return self.classifier_box.choice()

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
        if choice.wanted_names() == list(self._run.class_names):
            return
        self.rescore()

    # ------------------------------------------------------------------ jobs
    def _start(self, name: str, fn, done) -> bool:
        self._job = name
        ok = self.jobs.start(name, fn, on_event=self._on_job_event, on_done=done, on_failed=self._on_job_failed)
        if not ok:
            self._job = None
            self.status_label.setText(self.tr("Busy with “{0}”; try again when it has finished.").format(
                self.jobs.current_title()))
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
        job = LabelJob(self.state, choice, reuse, sources, self.recursive.isChecked(), self.batch_spin.value(),
                       ray_address=self.setup.ray_address())
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
        from rmadapter_app.core.events import DeviceEvent
        if isinstance(ev, DeviceEvent):
            self.state.message.emit(self.tr("Labeling on {0}").format(ev.description))
        else:
            self.setup.show_event(ev)

    def _on_label_done(self, outcome: LabelOutcome) -> None:
        job = self._job
        self._job = None
        self._classifier, self._classifier_key = outcome.classifier, outcome.key
        run = outcome.run
        self._run = run
        self.show_run(run)
        self.status_label.setText(status_text.run_done(run, job == JOB_RESCORE, len(self.model.results())))
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
        self.review.show_results(run.results(top_k=3), run.class_names)

    def threshold(self) -> float:
        return self.review.threshold()

    def set_threshold(self, value: float) -> None:
        self.review.set_threshold(value)

    def counts(self) -> dict[str, int]:
        """Images per class, ``_uncertain`` and unreadable (key ``__errors__``) at the current threshold."""
        return self.model.counts()

    def correct_label(self, path: Path | str, label: str) -> bool:
        """Correct one image's label (``labeling.UNCERTAIN`` sends it to the Uncertain folder)."""
        row = self.model.row_of(path)
        return row is not None and self.model.setData(self.model.index(row, 1), label)

    # ------------------------------------------------------------------ writing
    def write_mode(self) -> str:
        return self.output_box.write_mode()

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
        journal = outcome.journal
        if journal.path is not None and journal.done:
            self._last_journal = journal.path
            roots = list(self._run.sources) if self._run is not None else self.source_paths()
            self._undone_folder = status_text.undo_folder(outcome.plan, roots)
        said = status_text.write_done(outcome)
        self.status_label.setText(said)
        self.review.show_written(said, outcome.plan.out_dir if journal.done or outcome.reports else None)
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
        if result.left:
            dialogs.show_info(self, self.tr("Undo"), self.tr("Some files were left in place:") + "\n" + "\n".join(
                f"{p}: {why}" for p, why in result.left[:20]))
        said = status_text.undo_done(result)
        self.status_label.setText(said)
        self.review.show_written(self.tr("Undone: {0}").format(said), self._undone_folder)
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
