"""Shared application state for the pages of the main window (the contract between pages).

Every page is constructed as ``Page(state: AppState, parent=None)`` and reads what it needs from
here; pages talk to each other only through these signals, never directly.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from rmadapter_app.core.model.cache import BackboneCache
from rmadapter_app.core.model.spec import CPU_FRIENDLY_MODEL, DEFAULT_MODEL, DEFAULT_PRETRAINED, BackboneSpec
from rmadapter_app.core.project import models as project_models

__all__ = ["AppState", "BackboneSpec", "machine_default"]


def machine_default(has_gpu: bool) -> BackboneSpec:
    """The backbone a new project starts with: ViT-B/16 with a GPU (the paper's), else ViT-B/32, which
    trains several times faster on a CPU (the core's ``BackboneSpec.default_for`` where it has one)."""
    default_for = getattr(BackboneSpec, "default_for", None)
    if default_for is not None:
        return default_for("cuda" if has_gpu else "cpu")
    return BackboneSpec(DEFAULT_MODEL if has_gpu else CPU_FRIENDLY_MODEL, DEFAULT_PRETRAINED)


class AppState(QObject):
    """What the pages share: the open project, the backbone choice, the last training result,
    the adapter file in use, and the single job runner (one heavy job at a time).

    The adapter in use is one of the project's models (``core.project.models``): opening a project
    restores the one it names, a finished run becomes it, a stopped run only when none is in use.

    Signals:
        projectChanged: a project was opened, created or closed (``state.project``); every page
            starts afresh for it.
        projectEdited: the open project's classes or images changed (once per edit or undo).
        projectChanges(tuple): what that edit changed, as core change events
            (:mod:`rmadapter_app.core.project.changes`); emitted just before ``projectEdited``.
        backboneChanged: ``state.backbone_spec`` changed.
        machineChanged: whether this computer has a GPU is now known (``state.has_gpu``).
        resultChanged: a training run finished or stopped (``state.result``, may be None).
        adapterChanged: the adapter in use changed (``state.adapter_path``).
        modelsChanged: the project's list of models changed (a run was kept, a model imported).
        message(str): a short status-bar message.
    """

    projectChanged = Signal()
    projectEdited = Signal()
    projectChanges = Signal(object)
    _projectBatch = Signal(object, object)       # (project, batch) from the editing thread, see set_project
    backboneChanged = Signal()
    machineChanged = Signal()
    resultChanged = Signal()
    adapterChanged = Signal()
    modelsChanged = Signal()
    message = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.project = None                      # core.project.Project | None
        self._unsubscribe = None                 # stops listening to the open project's changes
        self._projectBatch.connect(self._on_project_batch)
        self.backbone_spec = BackboneSpec()
        self.has_gpu: bool | None = None         # None until the device probe has looked
        self.result = None                       # core.training.TrainResult | None
        self.adapter_path: Path | None = None    # the adapter in use
        self._runs: dict[str, object] = {}       # adapter path -> the TrainResult of this session that made it
        self._pending_in_use: tuple | None = None   # (project, path) still to record in project.json
        self._in_use_timer = QTimer(self)
        self._in_use_timer.setSingleShot(True)
        self._in_use_timer.setInterval(300)
        self._in_use_timer.timeout.connect(self._record_in_use)
        self.jobs = None                         # gui.jobs.JobRunner, set by the main window
        self.backbones = BackboneCache()         # one backbone in memory at a time, shared by every job

    # ---------------------------------------------------------------- project
    def set_project(self, project) -> None:
        """Open ``project``: its backbone choice, its model in use; nothing of the previous one stays."""
        if self._unsubscribe is not None:
            self._unsubscribe()
        self.project = project
        # The project calls this on the thread that edits it (a worker, for big adds). Emitting a
        # signal of this GUI-thread object from another thread queues the call to _on_project_batch
        # on the GUI thread (Qt's automatic connection); from the GUI thread it runs at once.
        self._unsubscribe = project.subscribe(
            lambda batch, p=project: self._projectBatch.emit(p, batch)) if project is not None else None
        self.result = None
        self._runs = {}
        self._pending_in_use = None
        spec = getattr(project, "settings", {}).get("backbone") if project is not None else None
        if spec:
            self.backbone_spec = BackboneSpec.from_dict(spec)
        elif project is not None and self.has_gpu is not None:
            self.backbone_spec = machine_default(self.has_gpu)
        self.adapter_path = project_models.model_in_use(project) if project is not None else None
        self.projectChanged.emit()
        self.backboneChanged.emit()
        self.resultChanged.emit()
        self.adapterChanged.emit()
        self.modelsChanged.emit()

    @Slot(object, object)
    def _on_project_batch(self, project, batch) -> None:
        """On the GUI thread: pass a batch of the open project's changes on to the pages."""
        if project is not self.project:
            return                               # queued before another project was opened
        self.projectChanges.emit(batch)
        self.projectEdited.emit()

    def set_backbone_spec(self, spec: BackboneSpec, *, remember: bool = True) -> None:
        """Choose the backbone; ``remember``: keep the choice in the project's settings."""
        if spec == self.backbone_spec:
            return
        self.backbone_spec = spec
        if remember and self.project is not None and hasattr(self.project, "update_settings"):
            self.project.update_settings(backbone=spec.to_dict())
        self.backboneChanged.emit()

    def set_machine(self, has_gpu: bool) -> None:
        """This computer has (or has no) GPU: a project that never chose a backbone, and the app before
        any project is open, get the one that suits it (:func:`machine_default`)."""
        self.has_gpu = bool(has_gpu)
        project = self.project
        if project is None or not (getattr(project, "settings", {}) or {}).get("backbone"):
            self.set_backbone_spec(machine_default(self.has_gpu), remember=False)   # no project yet too
        self.machineChanged.emit()

    # ---------------------------------------------------------------- runs and the model in use
    def set_result(self, result) -> None:
        self.result = result
        self.resultChanged.emit()

    def finish_run(self, result, saved_path: Path | None) -> bool:
        """A run ended and was kept as ``saved_path`` (None: it could not be saved).

        A complete run becomes the model in use (one stopped only while cross-validation measured it
        counts as complete); a stopped one only when none is in use (a stopped run never replaces a
        model unless the user chooses it). Returns whether it is now in use.
        """
        self.result = result
        complete = project_models.is_complete(getattr(result, "stopped_early", False),
                                              project_models.RunReport.from_metrics(getattr(result, "metrics", {})))
        adopt = saved_path is not None and (complete or self.adapter_path is None
                                            or not Path(self.adapter_path).exists())
        if saved_path is not None:
            self._runs[str(saved_path)] = result
        self.resultChanged.emit()
        if adopt:
            self.set_adapter_path(saved_path)
        else:
            self.modelsChanged.emit()
        return adopt

    def set_adapter_path(self, path: Path | None) -> None:
        """Use the adapter file ``path`` (None: none); one of the project's models is remembered in it."""
        self.adapter_path = Path(path) if path else None
        project = self.project
        if project is not None and self.adapter_path is not None and project_models.in_project(project.folder,
                                                                                         self.adapter_path):
            self._pending_in_use = (project, self.adapter_path)
            self._record_in_use()
        self.adapterChanged.emit()
        self.modelsChanged.emit()

    @Slot()
    def _record_in_use(self) -> None:
        """Write the model in use into project.json; later when an edit holds the project now."""
        pending, self._pending_in_use = self._pending_in_use, None
        if pending is None or pending[0] is not self.project:
            return
        if not project_models.remember_in_use(*pending):
            self._pending_in_use = pending
            self._in_use_timer.start()

    def run_result(self, path: Path | None):
        """The TrainResult of this session that made the adapter ``path``, if any."""
        return self._runs.get(str(path)) if path is not None else None

    def model_run(self) -> project_models.ModelRun | None:
        """What the Results page shows: the model in use with its evaluation (else the last result)."""
        path = self.adapter_path
        if path is not None:
            result = self.run_result(path)
            if result is not None:
                return project_models.ModelRun.from_result(result, path, backbone=self._backbone_label(path))
            folder = self.project.folder if self.project is not None else Path(path).parent
            return project_models.read_run(folder, path)
        if self.result is not None:
            return project_models.ModelRun.from_result(self.result, None, backbone=self.backbone_spec.label())
        return None

    def _backbone_label(self, path: Path) -> str:
        try:
            return project_models.read_run(Path(path).parent, path).backbone
        except Exception:  # noqa: BLE001 - a label is not worth an error
            return ""

    def models(self) -> list[project_models.ModelEntry]:
        """The open project's models, newest first ([] without a project or when unreadable)."""
        if self.project is None:
            return []
        try:
            return project_models.list_models(self.project.folder)
        except Exception as exc:  # noqa: BLE001 - a damaged adapters folder must not break the pages
            self.message.emit(str(exc))
            return []

    # ---------------------------------------------------------------- backbones (core.model.cache)
    def cached_backbone(self, spec: BackboneSpec | None = None):
        """The loaded backbone for ``spec`` (default: the current choice) if one is in memory, else None."""
        return self.backbones.get(spec or self.backbone_spec)

    def load_backbone(self, spec: BackboneSpec | None = None, *, on_event=None, should_stop=None, device=None):
        """Load (or reuse) a backbone. Call from a worker thread: it may download or read GBs.

        ``device``: where it should be (None: where it is; a new one is built on the CPU).
        """
        return self.backbones.load(spec or self.backbone_spec, device=device, on_event=on_event,
                                   should_stop=should_stop)
