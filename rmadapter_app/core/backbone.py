"""The only place that calls open_clip: building a frozen CLIP and reaching into its towers.

A :class:`Backbone` bundles the frozen model, its preprocessing, tokenizer and a
:class:`BackboneInfo` (name, pretrained tag, weights hash, tower shapes) that adapter files
record. Tower helpers split each encoder into embed -> blocks -> head, so the training code
can cache what lies below the adapted layers.
"""
from __future__ import annotations

import json
import logging
import pickle
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import torch
from torch import nn

from .errors import BackboneUnavailableError, UnsupportedBackboneError
from .fileio import sha256_of_file

logger = logging.getLogger(__name__)

DEFAULT_MODEL = "ViT-B-16"
DEFAULT_PRETRAINED = "openai"
CPU_FRIENDLY_MODEL = "ViT-B-32"


@dataclass(frozen=True)
class BackboneInfo:
    """What an adapter file needs to know about the backbone it was trained on."""

    model_name: str
    pretrained: str | None          # open_clip pretrained tag, or None for a local/random checkpoint
    weights_sha256: str | None      # hash of the checkpoint file (None: random init)
    vision_width: int
    vision_layers: int
    text_width: int
    text_layers: int
    embed_dim: int
    image_size: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BackboneInfo:
        return cls(**{k: data.get(k) for k in cls.__dataclass_fields__})

    @property
    def label(self) -> str:
        """Human-readable name, e.g. ``ViT-B-16 (openai)``."""
        src = self.pretrained or (f"weights {self.weights_sha256[:8]}" if self.weights_sha256 else "random")
        return f"{self.model_name} ({src})"


@dataclass
class Backbone:
    """A frozen open_clip model ready for adapters."""

    model: nn.Module
    preprocess: Callable         # PIL image -> tensor [3, H, W] (resize, centre crop, normalise)
    train_preprocess: Callable   # the same with random-resized-crop and flip (MMA's augmentation)
    tokenizer: Callable
    info: BackboneInfo
    device: torch.device

    @property
    def visual(self) -> nn.Module:
        return self.model.visual

    @property
    def text(self) -> nn.Module:
        """The module holding the text tower's parts (CLIP keeps them on the model itself)."""
        return getattr(self.model, "text", None) or self.model

    @property
    def logit_scale(self) -> torch.Tensor:
        return self.model.logit_scale.exp().detach()

    def to(self, device: torch.device) -> Backbone:
        self.model.to(device)
        self.device = torch.device(device)
        return self


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, cached beside it keyed on size and mtime (checkpoints are large)."""
    path = Path(path)
    st = path.stat()
    sidecar = path.with_name(path.name + ".sha256.json")
    try:
        cached = json.loads(sidecar.read_text())
        if cached["size"] == st.st_size and cached["mtime_ns"] == st.st_mtime_ns:
            return cached["sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    digest = sha256_of_file(path)
    try:
        sidecar.write_text(json.dumps({"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": digest}))
    except OSError:
        pass  # a read-only folder just means hashing again next time
    return digest


def register_model_config(config_path: Path) -> str:
    """Register a local open_clip model config JSON; returns the model name (the file stem).

    Raises:
        UnsupportedBackboneError: the file is not a readable open_clip CLIP config.
    """
    import open_clip

    config_path = Path(config_path)
    try:
        cfg = json.loads(config_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UnsupportedBackboneError(f"Model config {config_path} cannot be read: {exc}") from exc
    missing = [k for k in ("embed_dim", "vision_cfg", "text_cfg") if k not in cfg]
    if missing:
        raise UnsupportedBackboneError(
            f"Model config {config_path.name} is not an open_clip CLIP config (missing {', '.join(missing)})")
    open_clip.add_model_config(config_path)
    return config_path.stem


def _check_towers(model: nn.Module, name: str) -> None:
    visual = getattr(model, "visual", None)
    if visual is None or not all(hasattr(visual, a) for a in ("_embeds", "_pool", "transformer")):
        raise UnsupportedBackboneError(
            f"{name}: RMAdapter needs a ViT image encoder; this model's image tower "
            f"({type(visual).__name__}) is not supported (ResNet and timm towers are not).")
    text = getattr(model, "text", None) or model
    needed = ("transformer", "token_embedding", "positional_embedding", "ln_final")
    if not all(hasattr(text, a) for a in needed) or getattr(text, "cls_emb", None) is not None:
        raise UnsupportedBackboneError(
            f"{name}: RMAdapter needs open_clip's own text transformer; this text tower "
            f"({type(text).__name__}) is not supported (Hugging Face text towers are not).")


def load_backbone(model_name: str = DEFAULT_MODEL, *, pretrained: str | None = None,
                  weights: Path | None = None, model_config: Path | None = None,
                  device: torch.device | str = "cpu",
                  on_event: Callable[[Any], None] | None = None,
                  should_stop: Callable[[], bool] | None = None) -> Backbone:
    """Build a frozen open_clip CLIP.

    Args:
        model_name: open_clip architecture name (ignored when ``model_config`` is given).
        pretrained: open_clip pretrained tag; downloaded into the app cache if missing.
        weights: a local checkpoint (.safetensors, or a PyTorch state dict read with weights_only).
        model_config: a local open_clip model config JSON (its stem becomes the model name).
        device: where the model lives.
        on_event, should_stop: download progress and cancellation hooks.

    With neither ``pretrained`` nor ``weights`` the model is randomly initialised (tests, benchmarks).

    Raises:
        UnsupportedBackboneError, BackboneUnavailableError, CancelledError.
    """
    import open_clip

    from .weights import ensure_pretrained

    if model_config is not None:
        model_name = register_model_config(Path(model_config))
    if model_name not in open_clip.list_models():
        raise UnsupportedBackboneError(
            f"Unknown model '{model_name}'. Known ViT models include ViT-B-32, ViT-B-16, ViT-L-14; "
            "or give a local model config JSON.")
    if weights is None and pretrained:
        weights = ensure_pretrained(model_name, pretrained, on_event=on_event, should_stop=should_stop)
    try:
        model, _, preprocess = open_clip.create_model_and_transforms(model_name, pretrained=None)
    except Exception as exc:  # open_clip raises many types for a bad config
        raise UnsupportedBackboneError(f"Could not build '{model_name}': {exc}") from exc
    _check_towers(model, model_name)
    train_preprocess = open_clip.image_transform(
        model.visual.image_size, is_train=True,
        mean=getattr(model.visual, "image_mean", None), std=getattr(model.visual, "image_std", None))
    weights_hash = None
    if weights is not None:
        weights = Path(weights)
        if not weights.is_file():
            raise BackboneUnavailableError(f"Weights file not found: {weights}")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # torch's pickle-protocol chatter
                open_clip.load_checkpoint(model, str(weights), strict=True, weights_only=True)
        except Exception as exc:
            if isinstance(exc, pickle.UnpicklingError):  # never retried without weights_only
                why = ("it is not a plain file of tensors (files that hold other Python objects "
                       "are never loaded, for safety)")
            else:
                why = "; ".join(line.strip() for line in str(exc).splitlines() if line.strip())[:300]
            raise BackboneUnavailableError(
                f"{weights.name} does not fit '{model_name}' or is damaged: {why}. "
                "Check that the file is an open_clip checkpoint for this architecture.") from exc
        weights_hash = file_sha256(weights)
    model.eval().requires_grad_(False)
    model.to(device)
    text = getattr(model, "text", None) or model
    size = model.visual.image_size
    info = BackboneInfo(
        model_name=model_name, pretrained=pretrained if weights_hash else None, weights_sha256=weights_hash,
        vision_width=model.visual.transformer.width, vision_layers=len(model.visual.transformer.resblocks),
        text_width=text.transformer.width, text_layers=len(text.transformer.resblocks),
        embed_dim=int(model.visual.output_dim),
        image_size=int(size[0] if isinstance(size, (tuple, list)) else size))
    tokenizer = open_clip.get_tokenizer(model_name)
    return Backbone(model, preprocess, train_preprocess, tokenizer, info, torch.device(device))
