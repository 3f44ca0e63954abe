"""Shared application state for the pages of the main window (the contract between pages).

Every page is constructed as ``Page(state: AppState, parent=None)`` and reads what it needs from
here; pages talk to each other only through these signals, never directly.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot


@dataclass(frozen=True)
class BackboneSpec:
    """Which frozen CLIP to use: an open_clip name + pretrained tag, or local files (offline)."""

    model_name: str = "ViT-B-16"
    pretrained: str | None = "openai"
    weights: Path | None = None        # a local checkpoint for model_name
    model_config: Path | None = None   # a local open_clip model config JSON (with weights or random)

    def key(self) -> tuple:
        return (self.model_name, self.pretrained, str(self.weights or ""), str(self.model_config or ""))

    def label(self) -> str:
        if self.model_config is not None:
            return f"{Path(self.model_config).stem} (local config)"
        if self.weights is not None:
            return f"{self.model_name} ({Path(self.weights).name})"
        return f"{self.model_name} / {self.pretrained}"

    def for_adapter(self, header) -> BackboneSpec:
        """This choice when it matches an adapter file's backbone, else the open_clip model the file names."""
        current_name = Path(self.model_config).stem if self.model_config else self.model_name
        if header.backbone.model_name == current_name or not header.backbone.pretrained:
            return self
        return BackboneSpec(model_name=header.backbone.model_name, pretrained=header.backbone.pretrained)

    def to_dict(self) -> dict[str, Any]:
        return {"model_name": self.model_name, "pretrained": self.pretrained,
                "weights": str(self.weights) if self.weights else None,
                "model_config": str(self.model_config) if self.model_config else None}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> BackboneSpec:
        return cls(model_name=d.get("model_name") or "ViT-B-16", pretrained=d.get("pretrained"),
                   weights=Path(d["weights"]) if d.get("weights") else None,
                   model_config=Path(d["model_config"]) if d.get("model_config") else None)


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
        self._backbones: dict[tuple, Any] = {}
        self._lock = threading.Lock()

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

    # ---------------------------------------------------------------- backbones (thread-safe cache)
    def cached_backbone(self, spec: BackboneSpec | None = None):
        """The loaded backbone for ``spec`` if one is in memory, else None."""
        with self._lock:
            return self._backbones.get((spec or self.backbone_spec).key())

    def load_backbone(self, spec: BackboneSpec | None = None, *, on_event=None, should_stop=None,
                      device="cpu"):
        """Load (or reuse) a backbone. Call from a worker thread: it may download or read GBs."""
        from rmadapter_app.core.model.backbone import load_backbone
        spec = spec or self.backbone_spec
        with self._lock:
            hit = self._backbones.get(spec.key())
        if hit is not None:
            return hit
        bb = load_backbone(spec.model_name, pretrained=None if (spec.weights or spec.model_config) else spec.pretrained,
                           weights=spec.weights, model_config=spec.model_config, device=device,
                           on_event=on_event, should_stop=should_stop)
        with self._lock:
            self._backbones.clear()              # one backbone in memory at a time
            self._backbones[spec.key()] = bb
        return bb
