"""Classifying images with a backbone and (optionally) an adapter.

Class text features are computed once per class set. Classes can be added by name at any
time (:meth:`Classifier.set_classes`), including classes the adapter never saw images of;
without an adapter the classifier is frozen CLIP zero-shot.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from pathlib import Path

import torch
from torch.nn import functional as F

from rmadapter_app.core.model.adapter import AdapterSet
from rmadapter_app.core.model.adapter_file import AdapterHeader, load_adapter, read_adapter_header
from rmadapter_app.core.model.backbone import Backbone, load_backbone
from rmadapter_app.core.config import AdapterConfig
from rmadapter_app.core.device import resolve_device
from rmadapter_app.core.model.encoders import AdaptedCLIP
from rmadapter_app.core.errors import ImageLoadError
from rmadapter_app.core.events import EventHook, ProgressEvent, StopHook, never_stop, no_event
from rmadapter_app.core.images import load_rgb
from rmadapter_app.core.prediction import Prediction  # noqa: F401  (re-exported: core.inference.Prediction)
from rmadapter_app.core.model.inject import attach
from rmadapter_app.core.naming import DEFAULT_TEMPLATE

logger = logging.getLogger(__name__)


class Classifier:
    """Backbone + adapter (or none: zero-shot) + a class list -> probabilities.

    Use as a context manager or call :meth:`close` to take the adapters off the backbone.
    """

    def __init__(self, backbone: Backbone, adapters: AdapterSet | None, class_names: Sequence[str],
                 prompts: Sequence[str] | None = None, *, template: str = DEFAULT_TEMPLATE,
                 header: AdapterHeader | None = None):
        self.backbone = backbone
        self.header = header
        self.template = template
        cfg = adapters.cfg if adapters is not None else AdapterConfig()
        self.handle = attach(backbone, cfg, adapters)
        self.zero_shot = adapters is None
        if self.zero_shot:
            self.handle.set_enabled(False)
        self.model = AdaptedCLIP(backbone, self.handle)
        self.set_classes(class_names, prompts)

    # ------------------------------------------------------------------ construction helpers
    @classmethod
    def from_file(cls, adapter_path: Path, *, backbone: Backbone | None = None,
                  extra_classes: Iterable[str] = (), device: str = "auto", weights: Path | None = None,
                  model_config: Path | None = None, on_event: EventHook | None = None,
                  should_stop: StopHook | None = None) -> Classifier:
        """Load the backbone the file names (unless given) and the adapter; append extra class names."""
        header = read_adapter_header(adapter_path)
        if backbone is None:
            dev = resolve_device(device)
            backbone = load_backbone(header.backbone.model_name, pretrained=header.backbone.pretrained,
                                     weights=weights, model_config=model_config, device=dev.device,
                                     on_event=on_event, should_stop=should_stop)
        header, adapters = load_adapter(adapter_path, backbone.info)
        names, prompts = list(header.class_names), list(header.prompts)
        template = header.train.get("template", DEFAULT_TEMPLATE)
        for extra in extra_classes:
            if extra.strip() and extra.strip().lower() not in {n.lower() for n in names}:
                names.append(extra.strip())
                prompts.append(template.format(extra.strip()))
        return cls(backbone, adapters, names, prompts, template=template, header=header)

    def close(self) -> None:
        self.handle.detach()

    def reattach(self) -> None:
        """Put the adapters back on the backbone after :meth:`close`; class features are kept.

        Lets a long-lived classifier leave a shared backbone clean between uses.
        """
        if self.handle.blocks():
            return
        self.handle = attach(self.backbone, self.handle.adapters.cfg, self.handle.adapters)
        if self.zero_shot:
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
        self.prompts = list(prompts) if prompts is not None else [self.template.format(n) for n in names]
        with torch.no_grad():
            self.text_features = F.normalize(self.model.encode_text(self.prompts).float(), dim=-1)  # [C, E]

    def add_classes(self, names: Iterable[str]) -> None:
        """Append classes by name (zero-shot for the adapter: it never saw their images)."""
        names = [n.strip() for n in names if n.strip()]
        known = {n.lower() for n in self.class_names}
        new = [n for n in names if n.lower() not in known]
        self.set_classes(self.class_names + new, self.prompts + [self.template.format(n) for n in new])

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
        return [self._top(p, top_k) for p in probs]

    def _top(self, p: torch.Tensor, k: int) -> list[tuple[str, float]]:
        top = torch.topk(p, min(k, len(self.class_names)))
        return [(self.class_names[int(i)], float(v)) for v, i in zip(top.values, top.indices)]

    def classify_paths(self, paths: Sequence[Path], *, batch_size: int = 32, top_k: int = 3,
                       on_event: EventHook | None = None,
                       should_stop: StopHook | None = None) -> list[Prediction]:
        """Classify files in batches; unreadable files get a Prediction with ``error`` set.

        Stops between batches when ``should_stop`` returns True and returns what is done.
        """
        on_event = on_event or no_event
        should_stop = should_stop or never_stop
        out: list[Prediction] = []
        for start in range(0, len(paths), batch_size):
            if should_stop():
                break
            tensors, ok = [], []
            for p in paths[start:start + batch_size]:
                try:
                    tensors.append(self.backbone.preprocess(load_rgb(p)))
                    ok.append(Path(p))
                except ImageLoadError as exc:
                    out.append(Prediction(Path(p), None, 0.0, [], str(exc)))
            if tensors:
                probs = self.probabilities(self.embed(torch.stack(tensors))).cpu()
                for p, row in zip(ok, probs):
                    top = self._top(row, top_k)
                    out.append(Prediction(p, top[0][0], top[0][1], top))
            on_event(ProgressEvent("Classifying", min(start + batch_size, len(paths)), len(paths)))
        return out
