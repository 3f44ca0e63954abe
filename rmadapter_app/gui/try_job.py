"""The Try-it page's job (no widgets): where its classifier comes from, building it, ranking one image.

``TryJob(...)(on_event, should_stop)`` runs on a worker thread: it builds the classifier (or reuses
the page's), ranks one image, and takes the adapters off the shared backbone again.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rmadapter_app.gui.state import AppState, BackboneSpec


@dataclass
class ClassifierSource:
    """Where the classifier comes from: an adapter file, a training result, or class names alone."""

    kind: str                      # "file" | "result" | "zero-shot"
    spec: BackboneSpec
    adapter_path: Path | None = None
    result: Any = None
    class_names: list[str] = field(default_factory=list)
    prompts: list[str] = field(default_factory=list)

    def key(self) -> tuple:
        if self.kind == "file":
            p = Path(self.adapter_path)
            return ("file", str(p), p.stat().st_mtime_ns if p.exists() else 0, self.spec.key())
        if self.kind == "result":
            return ("result", id(self.result), self.spec.key())
        return ("zero-shot", tuple(self.class_names), tuple(self.prompts), self.spec.key())


def build_classifier(state: AppState, source: ClassifierSource, on_event, should_stop):
    """A Classifier for ``source`` (call on a worker: may load a backbone). Returned attached.

    Built by the core's entry point for each source on the app's shared backbone (left on its
    device); an adapter file or a training result that does not fit it is refused in words.
    """
    from rmadapter_app.core.classifier import Classifier

    hooks = {"backbones": state.backbones, "device": None, "on_event": on_event, "should_stop": should_stop}
    if source.kind == "file":
        return Classifier.from_adapter_file(source.adapter_path, source.spec, **hooks)
    if source.kind == "result":
        return Classifier.from_training(source.result, source.spec, **hooks)
    return Classifier.zero_shot(source.spec, source.class_names, source.prompts, **hooks)


@dataclass
class TryJob:
    """Rank one image (file path or encoded bytes); builds or reuses the classifier. Worker thread."""

    state: AppState
    source: ClassifierSource
    classifier: Any                # a detached Classifier to reuse, or None
    extras: list[str]
    path: Path | None = None
    data: bytes | None = None

    def __call__(self, on_event, should_stop):
        from PIL import Image

        from rmadapter_app.core.images import load_rgb

        if self.path is not None:
            image = load_rgb(self.path)
        else:
            image = Image.open(io.BytesIO(self.data)).convert("RGB")
        clf = self.classifier or build_classifier(self.state, self.source, on_event, should_stop)
        clf.reattach()                 # a kept classifier puts its adapters back (a new one has them on)
        try:
            clf.add_classes(self.extras)
            ranking = clf.predict([image], top_k=len(clf.class_names))[0]
        finally:
            clf.close()
        return clf, ranking
