"""Classifying images with a backbone and (optionally) an adapter: the one place a classifier is built.

Every front end builds its classifier here, from one of three sources:

* :meth:`Classifier.from_adapter_file` - an adapter file, checked against the backbone (a file
  that does not fit is refused with one sentence, never loaded loosely);
* :meth:`Classifier.from_training` - the adapter of a training run still in memory, checked the same way;
* :meth:`Classifier.zero_shot` - class names alone (frozen CLIP).

The backbone comes from a :class:`~rmadapter_app.core.model.spec.BackboneSpec` (through a
:class:`~rmadapter_app.core.model.cache.BackboneCache` when one is given), or is passed in.
Class text features are computed once per class list. Classes can be added by name at any time,
including classes the adapter never saw images of. Images are classified by the one batch loop
in :mod:`rmadapter_app.core.batches`.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from pathlib import Path

import torch
from torch.nn import functional as F

from rmadapter_app.core.batches import ImageItem, predict_in_batches
from rmadapter_app.core.config import AdapterConfig
from rmadapter_app.core.device import resolve_device
from rmadapter_app.core.errors import AdapterFileError
from rmadapter_app.core.events import EventHook, ProgressEvent, StopHook, no_event
from rmadapter_app.core.model.adapter import AdapterSet
from rmadapter_app.core.model.adapter_file import (
    AdapterHeader,
    expected_tensor_shapes,
    load_adapter,
    read_adapter_header,
)
from rmadapter_app.core.model.backbone import Backbone
from rmadapter_app.core.model.cache import BackboneCache, load_spec
from rmadapter_app.core.model.encoders import AdaptedCLIP
from rmadapter_app.core.model.inject import attach
from rmadapter_app.core.model.spec import BackboneSpec
from rmadapter_app.core.naming import DEFAULT_TEMPLATE, fill_template
from rmadapter_app.core.prediction import Prediction

logger = logging.getLogger(__name__)


def _backbone_for(spec: BackboneSpec, device, backbones: BackboneCache | None, on_event: EventHook | None,
                  should_stop: StopHook | None) -> Backbone:
    """The backbone ``spec`` names, from ``backbones`` when given, on ``device``: "auto", "cpu", "cuda"...,
    a torch.device, or None (a cached backbone stays where it is; a new one is built on the CPU)."""
    dev = device if device is None or isinstance(device, torch.device) else resolve_device(device).device
    if backbones is not None:
        return backbones.load(spec, device=dev, on_event=on_event, should_stop=should_stop)
    return load_spec(spec, device=dev if dev is not None else "cpu", on_event=on_event, should_stop=should_stop)


def _check_training_state(state: dict, cfg: AdapterConfig, info) -> None:
    """Refuse a training result whose tensors do not fit this backbone, in one sentence."""
    want = expected_tensor_shapes(cfg, info.vision_width, info.text_width)
    problems = []
    layers_ok = (all(0 <= i < info.vision_layers for i in cfg.vision_layers or ())
                 and all(0 <= i < info.text_layers for i in cfg.text_layers or ()))
    if not layers_ok:
        problems.append(f"its adapted layers do not exist in {info.model_name}")
    missing, unexpected = sorted(set(want) - set(state)), sorted(set(state) - set(want))
    if missing or unexpected:
        problems.append(f"{len(missing)} missing and {len(unexpected)} unexpected tensors")
    wrong = [k for k in sorted(set(want) & set(state)) if tuple(state[k].shape) != want[k]]
    if wrong:
        problems.append(f"{wrong[0]} has shape {tuple(state[wrong[0]].shape)}, this backbone needs {want[wrong[0]]}")
    if problems:
        raise AdapterFileError("The adapter of the last training run does not fit this backbone "
                               f"({info.label}): " + "; ".join(problems) + ". Train again on this backbone.")


class Classifier:
    """Backbone + adapter (or none: zero-shot) + a class list -> probabilities.

    ``base_classes`` is the classifier's own (names, prompts): the adapter's or the names it was
    built with; classes added by name come after them (:meth:`set_added_classes`).
    Use as a context manager or call :meth:`close` to take the adapters off the backbone.
    """

    def __init__(self, backbone: Backbone, adapters: AdapterSet | None, class_names: Sequence[str],
                 prompts: Sequence[str] | None = None, *, template: str = DEFAULT_TEMPLATE,
                 header: AdapterHeader | None = None,
                 base_classes: tuple[Sequence[str], Sequence[str]] | None = None):
        self.backbone = backbone
        self.header = header
        self.template = template
        cfg = adapters.cfg if adapters is not None else AdapterConfig()
        self.handle = attach(backbone, cfg, adapters)
        self.is_zero_shot = adapters is None
        if self.is_zero_shot:
            self.handle.set_enabled(False)
        self.model = AdaptedCLIP(backbone, self.handle)
        try:
            self.set_classes(class_names, prompts)
        except BaseException:
            self.close()                   # never leave adapters on a shared backbone
            raise
        names, prompts = base_classes if base_classes is not None else (self.class_names, self.prompts)
        self.base_classes: tuple[list[str], list[str]] = (list(names), list(prompts))

    # ------------------------------------------------------------------ the three ways to build one
    @classmethod
    def from_adapter_file(cls, path: Path, spec: BackboneSpec | None = None, *, backbone: Backbone | None = None,
                          extra_classes: Iterable[str] = (), device="auto", backbones: BackboneCache | None = None,
                          on_event: EventHook | None = None, should_stop: StopHook | None = None) -> Classifier:
        """An adapter file on its backbone, plus class names added by name (``extra_classes``).

        The backbone: ``backbone`` when given, else the one ``spec`` names (None: the model and tag
        the file names), loaded on ``device`` or taken from ``backbones``. The file is checked
        completely against it first.

        Raises:
            AdapterFileError: the file is damaged, foreign, or was trained on another backbone.
            UnsupportedBackboneError, BackboneUnavailableError, CancelledError: loading the backbone.
        """
        header = read_adapter_header(path)
        if backbone is None:
            spec = spec or BackboneSpec(header.backbone.model_name, header.backbone.pretrained)
            backbone = _backbone_for(spec, device, backbones, on_event, should_stop)
        header, adapters = load_adapter(path, backbone.info)
        names, prompts = list(header.class_names), list(header.prompts)
        base = (list(names), list(prompts))
        template = header.train.get("template") or DEFAULT_TEMPLATE
        for extra in extra_classes:
            if extra.strip() and extra.strip().lower() not in {n.lower() for n in names}:
                names.append(extra.strip())
                prompts.append(fill_template(template, extra.strip()))
        return cls(backbone, adapters, names, prompts, template=template, header=header, base_classes=base)

    @classmethod
    def from_training(cls, result, spec: BackboneSpec | None = None, *, backbone: Backbone | None = None,
                      template: str = DEFAULT_TEMPLATE, device="auto", backbones: BackboneCache | None = None,
                      on_event: EventHook | None = None, should_stop: StopHook | None = None) -> Classifier:
        """The adapter of a training run (a ``TrainResult``) on ``backbone`` or the one ``spec`` names.

        Raises:
            AdapterFileError: the result's tensors do not fit the backbone (e.g. trained on another one).
        """
        if backbone is None:
            backbone = _backbone_for(spec or BackboneSpec(), device, backbones, on_event, should_stop)
        info, cfg, state = backbone.info, result.adapter_config, dict(result.adapter_state)
        _check_training_state(state, cfg, info)
        adapters = AdapterSet(cfg, info.vision_width, info.text_width)
        full = adapters.state_dict()       # the reconstruction decoder is not kept after training:
        full.update(state)                 # it stays as initialised; everything else must match exactly
        adapters.load_state_dict(full, strict=True)
        return cls(backbone, adapters, result.class_names, result.prompts, template=template)

    @classmethod
    def zero_shot(cls, spec: BackboneSpec | None, class_names: Sequence[str], prompts: Sequence[str] | None = None,
                  *, backbone: Backbone | None = None, template: str = DEFAULT_TEMPLATE, device="auto",
                  backbones: BackboneCache | None = None, on_event: EventHook | None = None,
                  should_stop: StopHook | None = None) -> Classifier:
        """Frozen CLIP on class names alone (``prompts``: one per name; default: the template)."""
        if backbone is None:
            backbone = _backbone_for(spec or BackboneSpec(), device, backbones, on_event, should_stop)
        return cls(backbone, None, class_names, prompts, template=template)

    # ------------------------------------------------------------------ the shared backbone
    def close(self) -> None:
        """Take the adapters off the backbone (class features are kept; :meth:`reattach` undoes this)."""
        self.handle.detach()

    def reattach(self) -> None:
        """Put the adapters back on the backbone after :meth:`close`; class features are kept.

        Lets a long-lived classifier leave a shared backbone clean between uses.
        """
        if self.handle.blocks():
            return
        self.handle = attach(self.backbone, self.handle.adapters.cfg, self.handle.adapters)
        if self.is_zero_shot:
            self.handle.set_enabled(False)
        self.model = AdaptedCLIP(self.backbone, self.handle)

    def __enter__(self) -> Classifier:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ classes
    def set_classes(self, class_names: Sequence[str], prompts: Sequence[str] | None = None) -> None:
        """Change the class list; text features are recomputed once here."""
        names = [str(n) for n in class_names]
        if len(names) < 1:
            raise ValueError("A classifier needs at least one class.")
        self.class_names = names
        self.prompts = list(prompts) if prompts is not None else [fill_template(self.template, n) for n in names]
        with torch.no_grad():
            self.text_features = F.normalize(self.model.encode_text(self.prompts).float(), dim=-1)  # [C, E]

    def add_classes(self, names: Iterable[str]) -> None:
        """Append classes by name (zero-shot for the adapter: it never saw their images)."""
        names = [n.strip() for n in names if n.strip()]
        known = {n.lower() for n in self.class_names}
        new = [n for n in names if n.lower() not in known]
        self.set_classes(self.class_names + new, self.prompts + [fill_template(self.template, n) for n in new])

    def set_added_classes(self, added: Iterable[str], base_names: Sequence[str] | None = None) -> None:
        """The class list becomes the base classes plus ``added`` names not among them (case-insensitive).

        ``base_names`` first replaces the base classes (a zero-shot classifier whose names were
        edited). Text features are recomputed only when the class list changes.
        """
        if base_names is not None:
            self.base_classes = (list(base_names), [fill_template(self.template, n) for n in base_names])
        names, prompts = self.base_classes
        known = {n.casefold() for n in names}
        extras = [n for n in added if n.casefold() not in known]
        if names + extras != self.class_names:
            self.set_classes(names + extras, prompts + [fill_template(self.template, n) for n in extras])

    # ------------------------------------------------------------------ images
    @torch.no_grad()
    def embed(self, images: torch.Tensor) -> torch.Tensor:
        """Adapted, L2-normalised image embeddings for preprocessed images [B, 3, H, W] -> [B, E]."""
        return F.normalize(self.model.encode_image(images.to(self.backbone.device)).float(), dim=-1)

    def probabilities(self, embeddings: torch.Tensor) -> torch.Tensor:
        """Softmax over classes of logit_scale * cosine, from :meth:`embed` outputs. [B, C]"""
        scale = self.backbone.logit_scale.float()
        return (scale * embeddings.to(self.text_features.device) @ self.text_features.t()).softmax(-1)

    def predict(self, images: Sequence, top_k: int = 3) -> list[list[tuple[str, float]]]:
        """Ranked (class, probability) lists for PIL images."""
        batch = torch.stack([self.backbone.preprocess(im) for im in images])
        probs = self.probabilities(self.embed(batch)).cpu()
        return [self.ranked(p, top_k) for p in probs]

    def ranked(self, probs, k: int) -> list[tuple[str, float]]:
        """The ``k`` most probable (class, probability) pairs of one row of probabilities, best first."""
        top = torch.topk(torch.as_tensor(probs), min(k, len(self.class_names)))
        return [(self.class_names[int(i)], float(v)) for v, i in zip(top.values, top.indices)]

    def classify_paths(self, paths: Sequence[Path], *, batch_size: int = 32, top_k: int = 3,
                       on_event: EventHook | None = None,
                       should_stop: StopHook | None = None) -> list[Prediction]:
        """Classify files in batches, in their order; unreadable files get a Prediction with ``error`` set.

        Stops between batches when ``should_stop`` returns True and returns what is done.
        """
        on_event = on_event or no_event
        out: list[Prediction] = []

        def collect(items: list[ImageItem]) -> None:
            for it in items:
                if it.probs is None:
                    out.append(Prediction(it.path, None, 0.0, [], it.error or "not scored"))
                else:
                    top = self.ranked(it.probs, top_k)
                    out.append(Prediction(it.path, top[0][0], top[0][1], top))
            on_event(ProgressEvent("Classifying", len(out), len(paths)))

        items = [ImageItem(i, Path(p)) for i, p in enumerate(paths)]
        predict_in_batches(self, items, batch_size=batch_size, on_batch=collect, should_stop=should_stop)
        return out
