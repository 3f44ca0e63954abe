"""Getting the chosen CLIP onto this computer, for the Train page: download or import, a custom model,
and a failed download said plainly.

* Before a download the question names its size and how long training then takes here (from the
  page's :class:`~rmadapter_app.gui.widgets.backbone_picker.BackbonePicker`).
* "Import weights file…" recognises the file's architecture from its tensor shapes
  (``train_job.ImportWeightsJob``): a file of another known model switches the choice to it, with a
  line in the log; anything else is refused, saying what the file is.
* "Custom model…" takes a weights file and, when needed, its model config together
  (``train_job.CustomModelJob``).
* A download that fails offline gives one plain sentence and the import button, never an errno
  or a command line.
"""
from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from rmadapter_app.gui import custom_model, dialogs
from rmadapter_app.gui.state import BackboneSpec
from rmadapter_app.gui.train_job import CustomModelJob, ImportWeightsJob, NeedWeights, needs_download
from rmadapter_app.gui.widgets.backbone_picker import about, megabytes

JOB_IMPORT, JOB_CUSTOM = "import weights", "check custom model"     # shown to the user in busy messages


class ModelStep(QObject):
    """The model-getting flows of one Train page (it owns this object)."""

    def __init__(self, page: QWidget):           # the TrainPage (its picker, monitor, jobs, start_training)
        super().__init__(page)
        self.page = page
        self.offline = False            # a download failed for want of a connection this session

    @property
    def state(self):
        return self.page.state

    def _busy(self) -> bool:
        jobs = self.page.jobs
        if jobs.busy():
            self.state.message.emit(self.tr("Busy: {0} is running.").format(jobs.current_title()))
            return True
        return False

    # ---------------------------------------------------------------- downloads
    def weights_ready(self, spec: BackboneSpec) -> bool:
        """True when the backbone can load without asking; otherwise asks to download or import."""
        if not needs_download(self.state, spec):
            return True
        est = self.page.picker.estimate(spec)
        size = self.tr("{0}, once").format(megabytes(est.download_bytes)) if est and est.download_bytes else \
            self.tr("several hundred MB, once")
        text = self.tr("The {0} weights are not on this computer yet. Download them now ({1})?").format(
            spec.label(), size)
        if est is not None and est.seconds is not None:
            text += " " + self.tr("Training this project then takes {0} here.").format(about(est.seconds))
        if self.offline:
            text = self.tr("The {0} weights are not on this computer, and this computer seems to be "
                           "offline.").format(spec.label())
        return self.offer(text + " " + self.tr("Or import a weights file you already have."))

    def offer(self, message: str) -> bool:
        """Ask: download (True), import a file (starts the import; False), or cancel (False)."""
        choice = dialogs.ask_missing_weights(self.page, message)
        if choice == dialogs.DOWNLOAD:
            return True
        if choice == dialogs.IMPORT:
            self.import_weights()
        return False

    def need_weights(self, outcome: NeedWeights) -> None:
        """The download did not work: say so plainly (offline: the import button) and offer a file."""
        spec = self.state.backbone_spec
        self.offline = outcome.offline
        self.page.picker.set_offline(outcome.offline)
        if outcome.offline:
            text = self.tr("{0} could not be downloaded: this computer seems to be offline. Connect to the "
                           "internet and press Train again, or import a weights file you already have.").format(
                spec.label())
        else:
            found = re.search(r"could not be downloaded \(([^()]*)\)", outcome.message)
            why = found.group(1) if found else self.tr("the download did not work")
            text = self.tr("{0} could not be downloaded ({1}). Try again later, or import a weights file you "
                           "already have.").format(spec.label(), why)
        self.page.monitor.finish(text, complete=False)
        if self.offer(text):
            self.page.start_training()

    # ---------------------------------------------------------------- importing a file
    def import_weights(self) -> bool:
        """Ask for a checkpoint file; its architecture is recognised and it is filed in the weights cache."""
        if self._busy():
            return False
        spec = self.state.backbone_spec
        path = dialogs.ask_open_file(self.page, self.tr("Import weights for {0}").format(spec.model_name),
                                     dialogs.WEIGHTS_FILTER)
        if path is None:
            return False
        job = ImportWeightsJob(Path(path), spec.model_name, spec.pretrained or "imported")
        self.page.monitor.append_log(self.tr("Checking and importing {0}…").format(Path(path).name))
        self.page.monitor.busy(self.tr("Importing weights…"))
        return self.page.jobs.start(JOB_IMPORT, job, on_done=self._on_import_done, on_failed=self._on_import_failed)

    def _on_import_done(self, outcome) -> None:
        monitor = self.page.monitor
        monitor.finish(self.tr("Weights imported to {0}.").format(outcome.target))
        monitor.append_log(outcome.description)
        if outcome.switched:
            self.state.set_backbone_spec(outcome.spec)
            monitor.append_log(self.tr("That is not the model that was chosen, so {0} is now chosen.").format(
                outcome.spec.model_name))
        self.offline = False
        self.page.picker.set_offline(False)
        self.page.start_training()

    def _on_import_failed(self, message: str, details: str) -> None:
        self.page.monitor.finish("", complete=False)
        dialogs.show_error(self.page, self.tr("Import weights"), message, details)

    # ---------------------------------------------------------------- a custom model
    def choose_custom_model(self) -> bool:
        """"Custom model…": a weights file and, when needed, its model config, checked together."""
        if self._busy():
            return False
        spec = self.state.backbone_spec
        files = custom_model.ask_custom_model(self.page, spec.weights, spec.model_config)
        if files is None:
            return False
        weights, config = files
        self.page.monitor.busy(self.tr("Checking {0}…").format(weights.name))
        job = CustomModelJob(weights, config, prefer=(spec.model_name,))
        return self.page.jobs.start(JOB_CUSTOM, job, on_done=self._on_custom_done, on_failed=self._on_custom_failed)

    def _on_custom_done(self, outcome) -> None:
        spec, description = outcome
        self.page.monitor.finish(description)
        self.state.set_backbone_spec(spec)

    def _on_custom_failed(self, message: str, details: str) -> None:
        self.page.monitor.finish("", complete=False)
        dialogs.show_error(self.page, self.tr("Custom model"), message, details)
