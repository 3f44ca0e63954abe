"""Shared application state for the pages of the main window (the contract between pages).

Every page is constructed as ``Page(state: AppState, parent=None)`` and reads what it needs from
here; pages talk to each other only through these signals, never directly.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from rmadapter_app.core.model.cache import BackboneCache
from rmadapter_app.core.model.spec import BackboneSpec

__all__ = ["AppState", "BackboneSpec"]


class AppState(QObject):
    """What the pages share: the open project, the backbone choice, the last training result,
    the adapter file in use, and the single job runner (one heavy job at a time).

    Signals:
        projectChanged: a project was opened, created or closed (``state.project``).
        projectEdited: the open project's classes or images changed (once per edit or undo).
        projectChanges(tuple): what that edit changed, as core change events
            (:mod:`rmadapter_app.core.project.changes`); emitted just before ``projectEdited``.
        backboneChanged: ``state.backbone_spec`` changed.
        resultChanged: a training run finished or stopped (``state.result``, may be None).
        adapterChanged: an adapter file was saved or loaded (``state.adapter_path``).
        message(str): a short status-bar message.
    """

    projectChanged = Signal()
    projectEdited = Signal()
    projectChanges = Signal(object)
    _projectBatch = Signal(object, object)       # (project, batch) from the editing thread, see set_project
    backboneChanged = Signal()
    resultChanged = Signal()
    adapterChanged = Signal()
    message = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.project = None                      # core.project.Project | None
        self._unsubscribe = None                 # stops listening to the open project's changes
        self._projectBatch.connect(self._on_project_batch)
        self.backbone_spec = BackboneSpec()
        self.result = None                       # core.training.TrainResult | None
        self.adapter_path: Path | None = None    # last saved/loaded adapter file
        self.jobs = None                         # gui.jobs.JobRunner, set by the main window
        self.backbones = BackboneCache()         # one backbone in memory at a time, shared by every job

    # ---------------------------------------------------------------- project
    def set_project(self, project) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
        self.project = project
        # The project calls this on the thread that edits it (a worker, for big adds). Emitting a
        # signal of this GUI-thread object from another thread queues the call to _on_project_batch
        # on the GUI thread (Qt's automatic connection); from the GUI thread it runs at once.
        self._unsubscribe = project.subscribe(
            lambda batch, p=project: self._projectBatch.emit(p, batch)) if project is not None else None
        self.result = None
        spec = getattr(project, "settings", {}).get("backbone") if project is not None else None
        if spec:
            self.backbone_spec = BackboneSpec.from_dict(spec)
        self.projectChanged.emit()
        self.resultChanged.emit()

    @Slot(object, object)
    def _on_project_batch(self, project, batch) -> None:
        """On the GUI thread: pass a batch of the open project's changes on to the pages."""
        if project is not self.project:
            return                               # queued before another project was opened
        self.projectChanges.emit(batch)
        self.projectEdited.emit()

    def set_backbone_spec(self, spec: BackboneSpec) -> None:
        if spec == self.backbone_spec:
            return
        self.backbone_spec = spec
        if self.project is not None and hasattr(self.project, "update_settings"):
            self.project.update_settings(backbone=spec.to_dict())
        self.backboneChanged.emit()

    def set_result(self, result) -> None:
        self.result = result
        self.resultChanged.emit()

    def set_adapter_path(self, path: Path | None) -> None:
        self.adapter_path = Path(path) if path else None
        self.adapterChanged.emit()

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
