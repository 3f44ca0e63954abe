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
from rmadapter_app.core.project import models

logger = logging.getLogger("rmadapter_app")



@dataclass
class NeedWeights:
    """The backbone's weights are not on this computer and could not be downloaded."""

    message: str                     # the core's sentence (for the log file; the page says it plainly)
    offline: bool = False            # no connection (or offline mode): say so and offer the import


def looks_offline(message: str) -> bool:
    """True when a failed download's reason is the connection (or the hub's offline mode)."""
    from rmadapter_app.core.model.weights import hub_offline
    text = message.lower()
    return hub_offline() or any(w in text for w in ("no connection", "connection failed", "offline mode"))


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
class ImportOutcome:
    """A checkpoint filed in the weights cache, and the backbone that now loads it."""

    target: Path
    spec: Any                        # BackboneSpec (model, tag) that finds the imported file
    description: str                 # what the file is, in words
    switched: bool = False           # the file is another architecture than the one asked for


@dataclass
class ImportWeightsJob:
    """Identify a local checkpoint from its tensor shapes and file it in the weights cache. Worker thread.

    A file of the architecture asked for is filed under (``model_name``, ``tag``). One of another known
    architecture is filed under (that model, "imported") when ``allow_other``, else refused in words;
    a file that is no CLIP at all is refused, saying what it is.
    """

    source: Path
    model_name: str
    tag: str
    allow_other: bool = True

    def __call__(self, on_event, should_stop) -> ImportOutcome:
        from rmadapter_app.core.errors import BackboneUnavailableError
        from rmadapter_app.core.model.architecture import identify_checkpoint
        from rmadapter_app.core.model.backbone import import_weights
        from rmadapter_app.core.model.spec import BackboneSpec

        found = identify_checkpoint(Path(self.source), prefer=[self.model_name])
        if found.model_name is None:
            raise BackboneUnavailableError(found.text)
        model, tag = self.model_name, self.tag
        if found.model_name != self.model_name:
            if not self.allow_other:
                raise BackboneUnavailableError(f"{found.text} This needs {self.model_name} weights.")
            model, tag = found.model_name, "imported"
        target = import_weights(Path(self.source), model, tag)
        return ImportOutcome(target, BackboneSpec(model, tag), found.text, model != self.model_name)


@dataclass
class CustomModelJob:
    """Check a custom model (a weights file, and its open_clip config when given). Worker thread.

    Returns the BackboneSpec that loads it; refuses, in words, a file that is not a CLIP or does not
    fit the config. Training needs weights: a config alone is never accepted.
    """

    weights: Path
    config: Path | None = None
    prefer: tuple[str, ...] = ()          # model names to try first (the current choice)

    def __call__(self, on_event, should_stop):
        from rmadapter_app.core.errors import BackboneUnavailableError
        from rmadapter_app.core.model.architecture import identify_checkpoint
        from rmadapter_app.core.model.backbone import model_config_of, register_model_config
        from rmadapter_app.core.model.spec import BackboneSpec

        expected = None
        if self.config is not None:                      # checked and registered: its stem names the model
            name = register_model_config(Path(self.config))
            expected = (name, model_config_of(name))
        found = identify_checkpoint(Path(self.weights), expected, prefer=self.prefer)
        if found.model_name is None:
            raise BackboneUnavailableError(found.text)
        return BackboneSpec(model_name=found.model_name, pretrained=None, weights=Path(self.weights),
                            model_config=Path(self.config) if self.config else None), found.text


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
    kept: Path | None = None         # where the adapter was kept as soon as it was trained (worker only)

    def __call__(self, on_event, should_stop):
        from rmadapter_app.core.errors import BackboneUnavailableError
        from rmadapter_app.core.events import AdapterReadyEvent, StepEvent
        from rmadapter_app.core.train.loop import train

        def hook(ev):
            if isinstance(ev, StepEvent):
                self.n_steps += 1
                self.steps.append(ev)          # deque.append is thread-safe; the GUI drains it
            elif isinstance(ev, AdapterReadyEvent) and self.adapters_dir is not None and self.kept is None:
                try:                           # kept before cross-validation measures it: a crash loses nothing
                    self.kept = self.save(ev.result, backbone.info)
                except Exception:  # noqa: BLE001 - saved again (or the error shown) when the run ends
                    logger.exception("could not keep the adapter early")
            on_event(ev)

        try:
            backbone = self.state.load_backbone(self.spec, on_event=hook, should_stop=should_stop)
        except BackboneUnavailableError as exc:
            if self.spec.weights is None and self.spec.model_config is None and self.spec.pretrained:
                logger.info("weights unavailable: %s", exc)
                return NeedWeights(str(exc), looks_offline(str(exc)))
            raise
        result = train(backbone, self.samples, self.class_names, self.prompts, config=self.config,
                       template=self.template, on_event=hook, should_stop=should_stop)
        outcome = TrainOutcome(result, backbone.info)
        if self.adapters_dir is not None:
            try:
                outcome.saved_path = self.save(result, backbone.info, self.kept)
            except Exception as exc:  # keep the trained result even when the disk refuses
                logger.exception("autosave failed")
                outcome.save_error = str(exc)
        return outcome

    def save(self, result, backbone_info, path: Path | None = None) -> Path:
        """Write the adapter (and its evaluation) into the adapters folder: under a new, dated name, or
        over ``path`` (the same run kept earlier, now with its finished evaluation), atomically."""
        from rmadapter_app.core.model.adapter_file import SUFFIX, save_adapter

        if path is None:
            stem = f"{safe_file_stem(self.project_name)}-{time.strftime('%Y-%m-%d_%H%M%S')}"
            if not models.is_complete(result.stopped_early, models.RunReport.from_metrics(result.metrics)):
                stem += "-partial"
            path = unique_path(Path(self.adapters_dir), stem, SUFFIX)
        save_adapter(path, state=result.adapter_state, adapter_config=result.adapter_config,
                     backbone=backbone_info, class_names=result.class_names, prompts=result.prompts,
                     train={"config": self.config.to_dict(), "metrics": result.metrics,
                            "template": self.template, "method": method_name(self.config.loss),
                            "stopped_early": result.stopped_early, "project": self.project_name})
        try:                                 # its evaluation beside it: the Results page after a restart
            models.write_evaluation(Path(self.adapters_dir).parent, path, metrics=result.metrics,
                                    class_names=list(result.class_names), val_predictions=result.val_predictions,
                                    stopped_early=result.stopped_early, backbone=backbone_info.label)
        except Exception:  # noqa: BLE001 - the adapter is kept; its header still has the numbers
            logger.exception("could not keep the evaluation of %s", path)
        return path
