"""Training stage 1, data preparation: class list and prompts checked, samples -> readable paths + labels.

Nothing here touches the model. Unreadable images are reported (a warning StatusEvent each) and
skipped; the few-shot subsample is drawn with the run's seed, so the same seed picks the same images.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import torch

from rmadapter_app.core.config import AdapterConfig, TrainConfig
from rmadapter_app.core.device import DeviceInfo, resolve_device
from rmadapter_app.core.errors import DatasetError, ImageLoadError
from rmadapter_app.core.events import EventHook, StatusEvent
from rmadapter_app.core.images import Problem, load_rgb
from rmadapter_app.core.naming import fill_template
from rmadapter_app.core.train.data import Sample, take_shots

VALIDATE_SIDE = 224     # checking that an image decodes needs no more than a model's input


@dataclass(frozen=True)
class ClassList:
    """The classes a run trains: names in label order and one prompt per class."""

    names: list[str]
    prompts: list[str]


@dataclass(frozen=True)
class PreparedData:
    """The images a run trains on: every path decodes; ``labels[i]`` is the class of ``paths[i]``."""

    paths: list[Path]
    labels: torch.Tensor        # [n] int64 class indices
    skipped: list[Problem]      # unreadable images, left out (already reported as warnings)

    def __len__(self) -> int:
        return len(self.paths)


def check_classes(samples: Sequence[Sample], class_names: Sequence[str], prompts: Sequence[str] | None,
                  template: str) -> ClassList:
    """The class list with its prompts (default ``fill_template(template, name)``: "an apple"), checked
    against the samples.

    Raises:
        DatasetError: fewer than two classes, a prompt count that does not match, or a sample
            whose label is not a class.
    """
    names = list(class_names)
    prompt_list = list(prompts) if prompts is not None else [fill_template(template, c) for c in names]
    if len(names) < 2 or len(prompt_list) != len(names):
        raise DatasetError("Training needs at least two classes, each with a prompt.")
    if any(not 0 <= y < len(names) for _, y in samples):
        raise DatasetError("A sample's label does not match any class.")
    return ClassList(names, prompt_list)


@dataclass(frozen=True)
class RunSetup:
    """What a run starts from: its settings, the adapter shape for this backbone, the classes, the device."""

    config: TrainConfig
    adapter_config: AdapterConfig
    classes: ClassList
    device: DeviceInfo


def set_up_run(backbone, samples: Sequence[Sample], class_names: Sequence[str], prompts: Sequence[str] | None,
               config: TrainConfig | None, adapter_config: AdapterConfig | None, template: str) -> RunSetup:
    """The defaults filled in, the adapter layers resolved for ``backbone``, the classes checked, and the
    backbone moved to the chosen device (``train()`` and the loss-balance measurement start alike)."""
    cfg = config or TrainConfig()
    adapter_cfg = (adapter_config or AdapterConfig()).resolve_layers(
        backbone.info.vision_layers, backbone.info.text_layers)
    classes = check_classes(samples, class_names, prompts, template)
    dev = resolve_device(cfg.device, cfg.amp)
    backbone.to(dev.device)
    return RunSetup(cfg, adapter_cfg, classes, dev)


def load_readable(paths: Sequence[Path], on_event: EventHook) -> tuple[list[int], list[Problem]]:
    """Indices of paths that decode, and a Problem for each that does not (reported, skipped)."""
    ok, problems = [], []
    for i, p in enumerate(paths):
        try:
            load_rgb(p, min_side=VALIDATE_SIDE)      # decodes every byte, at a reduced scale where it can
            ok.append(i)
        except ImageLoadError as exc:
            problems.append(Problem(Path(p), str(exc)))
            # the message starts with the file name; the folder tells same-named files of two classes apart
            on_event(StatusEvent(f"Skipped {Path(p).parent.name}/{exc}", level="warning"))
    return ok, problems


def prepare_data(samples: Sequence[Sample], shots: int | None, seed: int, on_event: EventHook) -> PreparedData:
    """At most ``shots`` images per class (seeded), minus those that do not decode.

    Raises:
        DatasetError: no readable image at all.
    """
    chosen = take_shots(samples, shots, seed)
    ok, skipped = load_readable([p for p, _ in chosen], on_event)
    chosen = [chosen[i] for i in ok]
    if not chosen:
        raise DatasetError("No readable images to train on. Add images, or use the class names "
                           "alone to classify zero-shot.")
    paths = [Path(p) for p, _ in chosen]
    labels = torch.as_tensor([y for _, y in chosen], dtype=torch.long)
    return PreparedData(paths, labels, skipped)
