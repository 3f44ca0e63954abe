"""The training job the Train page runs on a worker thread (no Qt here).

``TrainJob(...)(on_event, should_stop)`` loads the backbone (downloading it with progress if
needed), trains, and autosaves the adapter atomically into the project's adapters folder.
Everything it needs is copied in on the GUI thread first, so the worker never touches widgets
or the live project object.
"""
from __future__ import annotations

import collections
import logging
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rmadapter_app.core.fileio import unique_path
from rmadapter_app.core.naming import DEFAULT_TEMPLATE

logger = logging.getLogger("rmadapter_app")



@dataclass
class NeedWeights:
    """The backbone's weights are not on this computer and could not be downloaded."""

    message: str


@dataclass
class TrainOutcome:
    """A finished (or stopped) run: the result, the backbone it used, and where it was saved."""

    result: Any                      # core.train.result.TrainResult
    backbone_info: Any               # core.model.backbone.BackboneInfo
    saved_path: Path | None = None
    save_error: str = ""


def safe_file_stem(name: str) -> str:
    """A project name made safe for a file name ("My birds!" -> "My-birds")."""
    stem = re.sub(r"[^\w.-]+", "-", name.strip(), flags=re.UNICODE).strip("-.")
    return stem or "adapter"



def method_name(loss_cfg) -> str:
    """The ablation-ladder name of a LossConfig's switches, or "custom"."""
    from rmadapter_app.core.config import LADDER
    for name, rung in LADDER.items():
        if all(getattr(loss_cfg, k) == v for k, v in rung.items()):
            return name
    return "custom"


def needs_download(state, spec) -> bool:
    """True when loading ``spec`` would download weights (no local file, nothing cached or in memory)."""
    if spec.weights is not None or spec.model_config is not None or not spec.pretrained:
        return False
    if state.cached_backbone(spec) is not None:
        return False
    from rmadapter_app.core.model.weights import cached_weights
    return cached_weights(spec.model_name, spec.pretrained) is None


@dataclass
class ImportWeightsJob:
    """Check a local checkpoint and file it in the weights cache under (model, tag). Worker thread."""

    source: Path
    model_name: str
    tag: str

    def __call__(self, on_event, should_stop) -> Path:
        from rmadapter_app.core.model.backbone import import_weights
        return import_weights(Path(self.source), self.model_name, self.tag)


@dataclass
class TrainJob:
    """A snapshot of one training request; call it on a worker thread."""

    state: Any                       # gui.state.AppState (only its thread-safe load_backbone is used)
    spec: Any                        # gui.state.BackboneSpec
    samples: list
    class_names: list[str]
    prompts: list[str]
    config: Any                      # core.config.TrainConfig
    adapters_dir: Path | None
    project_name: str
    template: str = DEFAULT_TEMPLATE
    steps: collections.deque = field(default_factory=collections.deque)  # every StepEvent, for the plot
    n_steps: int = 0                 # steps run so far (written by the worker only)

    def __call__(self, on_event, should_stop):
        from rmadapter_app.core.errors import BackboneUnavailableError
        from rmadapter_app.core.events import StepEvent
        from rmadapter_app.core.train.loop import train

        def hook(ev):
            if isinstance(ev, StepEvent):
                self.n_steps += 1
                self.steps.append(ev)          # deque.append is thread-safe; the GUI drains it
            on_event(ev)

        try:
            backbone = self.state.load_backbone(self.spec, on_event=hook, should_stop=should_stop)
        except BackboneUnavailableError as exc:
            if self.spec.weights is None and self.spec.model_config is None and self.spec.pretrained:
                return NeedWeights(str(exc))
            raise
        result = train(backbone, self.samples, self.class_names, self.prompts, config=self.config,
                       template=self.template, on_event=hook, should_stop=should_stop)
        outcome = TrainOutcome(result, backbone.info)
        if self.adapters_dir is not None:
            try:
                outcome.saved_path = self.save(result, backbone.info)
            except Exception as exc:  # keep the trained result even when the disk refuses
                logger.exception("autosave failed")
                outcome.save_error = str(exc)
        return outcome

    def save(self, result, backbone_info) -> Path:
        """Write the adapter into the adapters folder under a new, dated name."""
        from rmadapter_app.core.model.adapter_file import SUFFIX, save_adapter

        stem = f"{safe_file_stem(self.project_name)}-{time.strftime('%Y-%m-%d_%H%M%S')}"
        if result.stopped_early:
            stem += "-partial"
        path = unique_path(Path(self.adapters_dir), stem, SUFFIX)
        return save_adapter(path, state=result.adapter_state, adapter_config=result.adapter_config,
                            backbone=backbone_info, class_names=result.class_names, prompts=result.prompts,
                            train={"config": self.config.to_dict(), "metrics": result.metrics,
                                   "template": self.template, "method": method_name(self.config.loss),
                                   "stopped_early": result.stopped_early, "project": self.project_name})
