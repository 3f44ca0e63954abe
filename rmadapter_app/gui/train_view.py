"""The Train page: one Train button, Stop, live plots, progress with ETA, the device, a log, Advanced settings.

The page snapshots the project into a :class:`~rmadapter_app.gui.train_job.TrainJob` and runs it
through ``state.jobs``; events come back on the GUI thread and fill the plots.
"""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QPushButton, QScrollArea, QSplitter, QToolButton, QVBoxLayout, QWidget

from rmadapter_app.core import events as E
from rmadapter_app.core.config import TrainConfig
from rmadapter_app.core.errors import RMAdapterError
from rmadapter_app.gui import dialogs
from rmadapter_app.gui.formatting import fmt_duration
from rmadapter_app.gui.jobs import JobRunner
from rmadapter_app.gui.state import AppState, BackboneSpec
from rmadapter_app.gui.train_job import (
    DEFAULT_TEMPLATE,
    ImportWeightsJob,
    NeedWeights,
    TrainJob,
    TrainOutcome,
    needs_download,
)
from rmadapter_app.gui.widgets.run_monitor import RunMonitor
from rmadapter_app.gui.widgets.train_settings import TrainSettings

logger = logging.getLogger("rmadapter_app")

JOB_TRAIN, JOB_IMPORT = "training", "import weights"   # shown to the user in busy messages


def ensure_jobs(state: AppState) -> JobRunner:
    """The shared JobRunner (created here when the main window has not set one yet)."""
    if state.jobs is None:
        state.jobs = JobRunner(state)
    return state.jobs


class TrainPage(QWidget):
    """Train an adapter on the open project, watching it learn."""

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.jobs = ensure_jobs(state)
        self._job: TrainJob | None = None
        self._stop_asked = False
        self._gpu_hint_done = False
        self._build()
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(500)
        self._save_timer.timeout.connect(self._persist_settings)
        self.settings.changed.connect(self._save_timer.start)
        self.settings.backboneChosen.connect(self._on_settings_backbone_chosen)
        state.projectChanged.connect(self._on_state_project_changed)
        state.projectEdited.connect(self.refresh_summary)
        state.backboneChanged.connect(self._on_state_backbone_changed)
        self.jobs.busyChanged.connect(self._on_jobs_busy_changed)
        self._on_state_project_changed()
        self._on_jobs_busy_changed(self.jobs.busy())

    # ---------------------------------------------------------------- layout
    def _build(self) -> None:
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.train_button = QPushButton(self.tr("Train"), self)
        font = QFont(self.train_button.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.train_button.setFont(font)
        self.train_button.setMinimumHeight(48)
        self.train_button.setToolTip(self.tr("Train an adapter on this project's images (Ctrl+Return)."))
        self.train_button.clicked.connect(self.start_training)
        self.stop_button = QPushButton(self.tr("Stop"), self)
        self.stop_button.setToolTip(self.tr("Stop after the current step and keep what was trained (Esc)."))
        self.stop_button.clicked.connect(self.stop_training)
        # Ctrl+Return and Esc are the main window's Model > Train / Stop actions (a second,
        # page-level shortcut for the same keys would make both ambiguous).
        self.device_label = QLabel(self.tr("Device: chosen when training starts."), self)
        self.device_label.setWordWrap(True)
        self.device_warning = QLabel(self)
        self.device_warning.setWordWrap(True)
        self.device_warning.setStyleSheet("color: #d97706; font-weight: bold;")
        self.device_warning.hide()
        self.advanced_button = QToolButton(self)
        self.advanced_button.setText(self.tr("Advanced"))
        self.advanced_button.setCheckable(True)
        self.advanced_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.advanced_button.setArrowType(Qt.ArrowType.RightArrow)
        self.advanced_button.setToolTip(self.tr("Backbone, epochs, shots, learning rate, loss weights, seed, device."))
        self.advanced_button.toggled.connect(self.set_advanced_visible)
        self.settings = TrainSettings(self)
        self.settings.hide()

        left = QWidget(self)
        lv = QVBoxLayout(left)
        lv.addWidget(self.summary)
        lv.addWidget(self.train_button)
        lv.addWidget(self.stop_button)
        lv.addWidget(self.device_label)
        lv.addWidget(self.device_warning)
        lv.addWidget(self.advanced_button)
        lv.addWidget(self.settings)
        lv.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(left)
        scroll.setMinimumWidth(430)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.monitor = RunMonitor(self)
        # the monitor's parts, named on the page for callers and tests
        m = self.monitor
        self.phase_label, self.progress, self.eta_label = m.phase_label, m.progress, m.eta_label
        self.loss_plot, self.acc_plot, self.log = m.loss_plot, m.acc_plot, m.log

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(scroll)
        split.addWidget(self.monitor)
        split.setStretchFactor(1, 1)
        split.setSizes([430, 800])
        layout = QVBoxLayout(self)
        layout.addWidget(split)

    @Slot(bool)
    def set_advanced_visible(self, on: bool) -> None:
        """Open or close the Advanced section."""
        self.advanced_button.setChecked(on)
        self.advanced_button.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self.settings.setVisible(on)
        if on and not self._gpu_hint_done:
            from rmadapter_app.core.device import gpu_available
            self.settings.set_gpu_hint(gpu_available())
            self._gpu_hint_done = True

    # ---------------------------------------------------------------- project and settings
    def _template(self) -> str:
        project = self.state.project
        settings = getattr(project, "settings", {}) or {}
        return (settings.get("train") or {}).get("template") or settings.get("template") or DEFAULT_TEMPLATE

    @Slot()
    def _on_state_project_changed(self) -> None:
        project = self.state.project
        cfg = TrainConfig()
        saved = (getattr(project, "settings", {}) or {}).get("train") if project is not None else None
        if saved:
            try:
                cfg = TrainConfig.from_dict({k: v for k, v in saved.items() if k != "template"})
            except (ValueError, TypeError) as exc:
                logger.warning("ignoring saved training settings: %s", exc)
        self.settings.set_config(cfg)
        self.settings.set_spec(self.state.backbone_spec)
        self.refresh_summary()

    @Slot()
    def _on_state_backbone_changed(self) -> None:
        self.settings.set_spec(self.state.backbone_spec)

    @Slot(object)
    def _on_settings_backbone_chosen(self, spec: BackboneSpec) -> None:
        self.state.set_backbone_spec(spec)

    @Slot()
    def _persist_settings(self) -> None:
        project = self.state.project
        if project is None:
            return
        if self.jobs.busy() and self.jobs.current() not in (JOB_TRAIN, JOB_IMPORT):
            self._save_timer.start()            # a project job may be writing the manifest: later
            return
        try:
            data = self.settings.config().to_dict()
        except ValueError:
            return
        data["template"] = self._template()
        try:
            project.update_settings(train=data)
        except Exception as exc:  # a read-only project folder must not break the page
            logger.warning("could not save training settings: %s", exc)

    @Slot()
    def refresh_summary(self) -> None:
        """Describe the data training would use: classes, images, classes known by name only."""
        project = self.state.project
        if project is None:
            self.summary.setText(self.tr("Open or create a project to train."))
            return
        samples, names, _ = project.training_data(self._template())
        counts = [0] * len(names)
        for _, y in samples:
            counts[y] += 1
        text = self.tr("{0} classes, {1} images.").format(len(names), len(samples))
        with_images = [f"{n} ({c})" for n, c in zip(names, counts) if c]
        if with_images:
            text += "\n" + ", ".join(with_images)
        zero = [n for n, c in zip(names, counts) if not c]
        if zero:
            text += "\n" + self.tr("Recognised from the name only (zero-shot): {0}").format(", ".join(zero))
        if len(names) < 2:
            text += "\n" + self.tr("Add at least two classes to train.")
        elif not samples:
            text += "\n" + self.tr("Add images to at least one class to train.")
        self.summary.setText(text)

    # ---------------------------------------------------------------- start / stop
    @Slot()
    def start_training(self) -> bool:
        """Start a training run; False (with a message) when it cannot start."""
        if self.jobs.busy():
            self.state.message.emit(self.tr("Busy: {0} is running.").format(self.jobs.current_title()))
            return False
        project = self.state.project
        if project is None:
            dialogs.show_info(self, self.tr("Train"), self.tr("Open or create a project first."))
            return False
        template = self._template()
        samples, names, prompts = project.training_data(template)
        if len(names) < 2 or not samples:
            dialogs.show_info(self, self.tr("Train"), self.tr(
                "Training needs at least two classes and some images. Add classes and drop images on them; "
                "a class without images is still recognised from its name."))
            return False
        try:
            cfg = self.settings.config()
        except ValueError as exc:
            dialogs.show_error(self, self.tr("Training settings"), str(exc))
            return False
        spec = self.state.backbone_spec
        if not self._weights_ready(spec):
            return False
        try:
            adapters_dir = project.adapters_dir          # refused when it became a link to elsewhere
        except RMAdapterError as exc:
            dialogs.show_error(self, self.tr("Train"), str(exc))
            return False
        self._persist_settings()
        self._job = TrainJob(self.state, spec, samples, names, prompts, cfg, adapters_dir,
                             str(getattr(project, "name", "project")), template)
        self._reset_run_view()
        self._append_log(self.tr("Training {0} classes on {1} images with {2}.").format(
            len(names), len(samples), spec.label()))
        return self.jobs.start(JOB_TRAIN, self._job, on_event=self._on_job_event,
                               on_done=self._on_train_done, on_failed=self._on_train_failed)

    @Slot()
    def stop_training(self) -> None:
        """Stop the running training (or download) after the current step."""
        if self.jobs.busy() and self.jobs.current() in (JOB_TRAIN, JOB_IMPORT):
            self._stop_asked = True
            self.jobs.stop()
            self.phase_label.setText(self.tr("Stopping after this step…"))
            self.stop_button.setEnabled(False)

    def _weights_ready(self, spec: BackboneSpec) -> bool:
        """True when the backbone can load without asking; otherwise asks to download or import."""
        if not needs_download(self.state, spec):
            return True
        return self._offer_weights(self.tr(
            "The {0} weights are not on this computer yet. Download them now (several hundred MB), "
            "or import a weights file you already have.").format(spec.label()))

    def _offer_weights(self, message: str) -> bool:
        choice = dialogs.ask_missing_weights(self, message)
        if choice == dialogs.DOWNLOAD:
            return True
        if choice == dialogs.IMPORT:
            self.import_weights()
        return False

    @Slot()
    def import_weights(self) -> bool:
        """Ask for a checkpoint file and copy it into the weights cache for the chosen backbone."""
        spec = self.state.backbone_spec
        path = dialogs.ask_open_file(self, self.tr("Import weights for {0}").format(spec.model_name),
                                     dialogs.WEIGHTS_FILTER)
        if path is None:
            return False
        job = ImportWeightsJob(Path(path), spec.model_name, spec.pretrained or "imported")
        self._append_log(self.tr("Checking and importing {0}…").format(Path(path).name))
        self.monitor.busy(self.tr("Importing weights…"))
        return self.jobs.start(JOB_IMPORT, job, on_done=self._on_import_done, on_failed=self._on_import_failed)

    def _on_import_done(self, target) -> None:
        self.monitor.finish(self.tr("Weights imported to {0}.").format(target))
        self.start_training()

    def _on_import_failed(self, message: str, details: str) -> None:
        self.monitor.finish("", complete=False)
        dialogs.show_error(self, self.tr("Import weights"), message, details)

    # ---------------------------------------------------------------- job events (GUI thread)
    def _reset_run_view(self) -> None:
        self._stop_asked = False
        self.monitor.reset()
        self.device_warning.hide()

    def _on_job_event(self, ev) -> None:
        if isinstance(ev, E.DeviceEvent):
            self.device_label.setText(self.tr("Training on: {0}").format(ev.description))
            self.device_warning.setText(ev.warning)
            self.device_warning.setVisible(bool(ev.warning))
            self._append_log(self.tr("Device: {0}").format(ev.description))
            return
        self.monitor.handle(ev, self._job.steps if self._job is not None else None)

    def _on_train_done(self, outcome) -> None:
        if isinstance(outcome, NeedWeights):
            self.monitor.finish("", complete=False)
            if self._offer_weights(outcome.message):
                self.start_training()
            return
        assert isinstance(outcome, TrainOutcome)
        result = outcome.result
        r = result.report
        self.state.set_result(result)
        if outcome.saved_path is not None:
            self.state.set_adapter_path(outcome.saved_path)
        if result.stopped_early:
            text = self.tr("Stopped after {0} of {1} steps. The partial adapter was kept.").format(
                r.steps, r.planned_steps)
        else:
            text = self.tr("Done in {0}.").format(fmt_duration(r.train_seconds))
            if r.val_accuracy is not None:
                text += " " + self.tr("Validation accuracy {0:.1%}").format(r.val_accuracy)
                if r.zero_shot_accuracy is not None:
                    text += " " + self.tr("(zero-shot CLIP {0:.1%}).").format(r.zero_shot_accuracy)
        if result.skipped:
            text += " " + self.tr("%n unreadable image(s) were skipped (listed in the log below).", "",
                                  len(result.skipped))
        self.monitor.finish(text, complete=not result.stopped_early)
        if outcome.saved_path is not None:
            self._append_log(self.tr("Adapter saved as {0}").format(outcome.saved_path))
        if outcome.save_error:
            dialogs.show_error(self, self.tr("Saving the adapter"), self.tr(
                "Training worked, but the adapter could not be saved automatically: {0}\n"
                "Use Save adapter on the Results page to save it elsewhere.").format(outcome.save_error))
        self.state.message.emit(text)

    def _on_train_failed(self, message: str, details: str) -> None:
        if self._stop_asked:
            text = self.tr("Stopped before anything was trained; nothing to keep.")
            self.monitor.finish(text, complete=False)
            self.state.message.emit(text)
            return
        self.monitor.finish(self.tr("Training failed: {0}").format(message), complete=False)
        dialogs.show_error(self, self.tr("Training failed"), message, details)

    @Slot(bool)
    def _on_jobs_busy_changed(self, busy: bool) -> None:
        mine = busy and self.jobs.current() in (JOB_TRAIN, JOB_IMPORT)
        self.train_button.setEnabled(not busy)
        self.stop_button.setEnabled(mine and not self._stop_asked)
        self.settings.setEnabled(not busy)

    def _append_log(self, text: str) -> None:
        self.monitor.append_log(text)
