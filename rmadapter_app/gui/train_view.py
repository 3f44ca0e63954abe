"""The Train page: the data, the model to adapt (with why and what it costs), Train and Stop always in
view, live plots, progress that says what is trained on, the device, a log, Advanced settings.

The page snapshots the project into a :class:`~rmadapter_app.gui.train_job.TrainJob` and runs it
through ``state.jobs``; events come back on the GUI thread and fill the plots. Every run is kept in
the project (``AppState.finish_run``); a stopped one becomes the model in use only when there is
none, or when the user says so ("Use the stopped model").
"""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QPushButton, QScrollArea, QSplitter, QToolButton, QVBoxLayout, QWidget

from rmadapter_app.core import events as E
from rmadapter_app.core.config import TrainConfig
from rmadapter_app.core.errors import RMAdapterError
from rmadapter_app.core.project.models import RunReport, is_complete
from rmadapter_app.gui import dialogs, run_text
from rmadapter_app.gui.backbone_probe import BackboneProbe
from rmadapter_app.gui.formatting import fmt_duration
from rmadapter_app.gui.jobs import JobRunner
from rmadapter_app.gui.model_step import JOB_CUSTOM, JOB_IMPORT, ModelStep
from rmadapter_app.gui.state import AppState, BackboneSpec, machine_default
from rmadapter_app.gui.train_job import DEFAULT_TEMPLATE, NeedWeights, TrainJob, TrainOutcome
from rmadapter_app.gui.widgets.backbone_picker import BackbonePicker
from rmadapter_app.gui.widgets.message_label import MessageLabel
from rmadapter_app.gui.widgets.run_monitor import RunMonitor
from rmadapter_app.gui.widgets.train_settings import TrainSettings

logger = logging.getLogger("rmadapter_app")

JOB_TRAIN = "training"                   # shown to the user in busy messages
WARNING_STYLE = "color: #d97706; font-weight: bold;"


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
        self._stopped_path: Path | None = None
        self._build()
        self.probe = BackboneProbe(self)
        self.probe.ready.connect(self.picker.set_estimates)
        self._probe_timer = QTimer(self)
        self._probe_timer.setSingleShot(True)
        self._probe_timer.setInterval(400)
        self._probe_timer.timeout.connect(self._request_probe)
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(500)
        self._save_timer.timeout.connect(self._persist_settings)
        self.settings.changed.connect(self._save_timer.start)
        self.settings.changed.connect(self._probe_timer.start)
        self.picker.chosen.connect(self._on_picker_chosen)
        self.model_step = ModelStep(self)
        self.picker.customRequested.connect(self.choose_custom_model)
        self.picker.importRequested.connect(self.import_weights)
        state.projectChanged.connect(self._on_state_project_changed)
        state.projectEdited.connect(self.refresh_summary)
        state.projectEdited.connect(self._probe_timer.start)
        state.backboneChanged.connect(self._on_state_backbone_changed)
        state.machineChanged.connect(self._on_state_machine_changed)
        self.jobs.busyChanged.connect(self._on_jobs_busy_changed)
        self._on_state_project_changed()
        self._on_state_machine_changed()
        self._on_jobs_busy_changed(self.jobs.busy())

    # ---------------------------------------------------------------- layout
    def _build(self) -> None:
        self.summary = MessageLabel(parent=self, max_lines=8)
        self.few_warning = MessageLabel(parent=self, max_lines=5)
        self.few_warning.setStyleSheet(WARNING_STYLE)
        self.few_warning.hide()
        self.picker = BackbonePicker(self)
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
        self.use_stopped_button = QPushButton(self.tr("Use the stopped model"), self)
        self.use_stopped_button.setToolTip(self.tr("Make the model of the stopped run the one in use (Results "
                                                   "and Try it show it). The other models stay in the list."))
        self.use_stopped_button.clicked.connect(self.use_stopped_model)
        self.use_stopped_button.hide()
        # Ctrl+Return and Esc are the main window's Model > Train / Stop actions (a second,
        # page-level shortcut for the same keys would make both ambiguous).
        self.device_label = MessageLabel(self.tr("Device: chosen when training starts."), self, max_lines=2)
        self.device_warning = MessageLabel(parent=self, max_lines=3)
        self.device_warning.setStyleSheet(WARNING_STYLE)
        self.device_warning.hide()
        self.advanced_button = QToolButton(self)
        self.advanced_button.setText(self.tr("Advanced"))
        self.advanced_button.setCheckable(True)
        self.advanced_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.advanced_button.setArrowType(Qt.ArrowType.RightArrow)
        self.advanced_button.setToolTip(self.tr("Passes, images per class, learning rate, loss weights, seed, "
                                                "device."))
        self.advanced_button.toggled.connect(self.set_advanced_visible)
        self.settings = TrainSettings(self)
        self.settings.hide()

        inner = QWidget(self)
        lv = QVBoxLayout(inner)
        for w in (self.summary, self.few_warning, self.picker, self.device_label, self.device_warning,
                  self.advanced_button, self.settings):
            lv.addWidget(w)
        lv.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        left = QWidget(self)
        left.setMinimumWidth(300)
        col = QVBoxLayout(left)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(scroll, 1)                 # the settings scroll; Train and Stop stay in view below
        col.addWidget(self.train_button)
        col.addWidget(self.stop_button)
        col.addWidget(self.use_stopped_button)

        self.monitor = RunMonitor(self)
        # the monitor's parts, named on the page for callers and tests
        m = self.monitor
        self.phase_label, self.progress, self.eta_label = m.phase_label, m.progress, m.eta_label
        self.loss_plot, self.acc_plot, self.log = m.loss_plot, m.acc_plot, m.log

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(self.monitor)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        split.setSizes([340, 860])
        layout = QVBoxLayout(self)
        layout.addWidget(split)

    @Slot(bool)
    def set_advanced_visible(self, on: bool) -> None:
        """Open or close the Advanced section."""
        self.advanced_button.setChecked(on)
        self.advanced_button.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self.settings.setVisible(on)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        self._probe_timer.start()

    # ---------------------------------------------------------------- project, model, settings
    def _template(self) -> str:
        project = self.state.project
        settings = getattr(project, "settings", {}) or {}
        return (settings.get("train") or {}).get("template") or settings.get("template") or DEFAULT_TEMPLATE

    @Slot()
    def _on_state_project_changed(self) -> None:
        """Another project: nothing of the last one stays (plots, log, messages, buttons)."""
        project = self.state.project
        cfg = TrainConfig()
        saved = (getattr(project, "settings", {}) or {}).get("train") if project is not None else None
        if saved:
            try:
                cfg = TrainConfig.from_dict({k: v for k, v in saved.items() if k != "template"})
            except (ValueError, TypeError) as exc:
                logger.warning("ignoring saved training settings: %s", exc)
        self.settings.set_config(cfg)
        self.settings.set_last_lr(None)
        self.picker.set_spec(self.state.backbone_spec)
        self._job = None
        self._stopped_path = None
        self.use_stopped_button.hide()
        self.monitor.reset(clear_text=True)
        self.device_label.setText(self.tr("Device: chosen when training starts."))
        self.device_warning.hide()
        self.refresh_summary()
        self._probe_timer.start()

    @Slot()
    def _on_state_backbone_changed(self) -> None:
        self.picker.set_spec(self.state.backbone_spec)
        self._probe_timer.start()

    @Slot()
    def _on_state_machine_changed(self) -> None:
        has_gpu = self.state.has_gpu
        self.picker.set_machine(has_gpu, machine_default(has_gpu) if has_gpu is not None else None)
        self._probe_timer.start()

    @Slot(object)
    def _on_picker_chosen(self, spec: BackboneSpec) -> None:
        self.state.set_backbone_spec(spec)

    @Slot()
    def _request_probe(self) -> None:
        """Ask, off the GUI thread, what the chosen model (and the usual two) cost for this project."""
        if not self.isVisible() or self.jobs.busy():
            return                               # asked again when shown or idle
        project = self.state.project
        labels, n_classes = [], 0
        if project is not None:
            samples, names, _ = project.training_data(self._template())
            labels, n_classes = [y for _, y in samples], len(names)
        try:
            cfg = self.settings.config()
        except ValueError:
            cfg = TrainConfig()
        specs = [self.state.backbone_spec]
        if self.state.has_gpu is not None:      # the two the machine's advice compares
            specs += [machine_default(False), machine_default(True)]
        self.probe.request(specs, labels, n_classes, cfg)

    @Slot()
    def _persist_settings(self) -> None:
        project = self.state.project
        if project is None:
            return
        if self.jobs.busy() and self.jobs.current() not in (JOB_TRAIN, JOB_IMPORT, JOB_CUSTOM):
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
        self.few_warning.hide()
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
            text += "\n" + self.tr("Recognised by name only (no images): {0}").format(", ".join(zero))
        if len(names) < 2:
            text += "\n" + self.tr("Add at least two classes to train.")
        elif not samples:
            text += "\n" + self.tr("Add images to at least one class to train.")
        self.summary.setText(text)
        warning = run_text.few_images_warning(dict(zip(names, counts)))
        self.few_warning.setText(warning)
        self.few_warning.setVisible(bool(warning))

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
        if spec.is_random:
            dialogs.show_info(self, self.tr("Train"), self.tr(
                "{0} has no trained weights, only a model config, so training would start from a random "
                "network and could not learn anything useful from a few images. Choose one of the models on "
                "this page, or give this model's weights file with “Custom model…”.").format(spec.label()))
            return False
        if not self.model_step.weights_ready(spec):
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
        self.monitor.set_images(len(samples))
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

    @Slot()
    def import_weights(self) -> bool:
        """Ask for a checkpoint file; its model is recognised from it and it is filed in the weights cache."""
        return self.model_step.import_weights()

    @Slot()
    def choose_custom_model(self) -> bool:
        """"Custom model…": a weights file and, when needed, its model config, checked together."""
        return self.model_step.choose_custom_model()

    @Slot()
    def use_stopped_model(self) -> None:
        """Make the stopped run's model the one in use (the user's say-so)."""
        if self._stopped_path is not None:
            self.state.set_adapter_path(self._stopped_path)
            self.state.message.emit(self.tr("Using the stopped run's model {0}.").format(self._stopped_path.name))
        self._stopped_path = None
        self.use_stopped_button.hide()

    # ---------------------------------------------------------------- job events (GUI thread)
    def _reset_run_view(self) -> None:
        self._stop_asked = False
        self._stopped_path = None
        self.use_stopped_button.hide()
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
            self.model_step.need_weights(outcome)
            return
        assert isinstance(outcome, TrainOutcome)
        result = outcome.result
        report = RunReport.from_metrics(result.metrics)
        in_use = self.state.finish_run(result, outcome.saved_path)
        if result.stopped_early and is_complete(True, report):
            text = self.tr("Stopped while its accuracy was being measured: the model itself finished training "
                           "and is kept.") + " " + run_text.headline(report)
        elif result.stopped_early:
            text = self.tr("Stopped after {0} of {1} steps.").format(report.steps, report.planned_steps)
            if outcome.saved_path is not None and in_use:
                text += " " + self.tr("Its partial model is kept and in use (there was no other).")
            elif outcome.saved_path is not None:
                text += " " + self.tr("Its partial model is kept in the Models list on the Results page; the "
                                      "model in use stays as it was.")
                self._stopped_path = outcome.saved_path
                self.use_stopped_button.show()
        else:
            text = self.tr("Done in {0}.").format(fmt_duration(report.train_seconds)) + " " + run_text.headline(report)
        if result.skipped:
            text += " " + self.tr("%n unreadable image(s) were skipped (listed in the log below).", "",
                                  len(result.skipped))
        message = text
        if not result.stopped_early and run_text.helped(report) is False:     # "+0.0 points" never comes alone
            text += "\n" + "\n".join(run_text.verdict_lines(report, getattr(outcome.backbone_info, "label", "")))
        lr = report.extra.get("lr")
        self.settings.set_last_lr(lr if isinstance(lr, (int, float)) else None)
        self.monitor.finish(text, complete=not result.stopped_early)
        if outcome.saved_path is not None:
            self._append_log(self.tr("Model kept as {0}").format(outcome.saved_path))
        if outcome.save_error:
            dialogs.show_error(self, self.tr("Saving the adapter"), self.tr(
                "Training worked, but the adapter could not be saved automatically: {0}\n"
                "Use Save adapter on the Results page to save it elsewhere.").format(outcome.save_error))
        self.state.message.emit(message)

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
        self.picker.setEnabled(not busy)
        if not busy:
            self._probe_timer.start()            # a download or import may have changed what is on disk

    def _append_log(self, text: str) -> None:
        self.monitor.append_log(text)
