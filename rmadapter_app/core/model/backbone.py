"""The only place that calls open_clip: building a frozen CLIP and reaching into its towers.

A :class:`Backbone` bundles the frozen model, its preprocessing, tokenizer and a
:class:`BackboneInfo` (name, pretrained tag, weights hash, tower shapes) that adapter files
record. Tower helpers split each encoder into embed -> blocks -> head, so the training code
can cache what lies below the adapted layers.

Before anything is built, a model config (a local JSON or open_clip's own) is checked for shape
and types (:func:`check_model_config`) and its parameter count is estimated from the config
(:func:`estimate_parameters`); a model whose weights cannot fit in the available memory is
refused with one sentence (:func:`check_model_memory`).
"""
from __future__ import annotations

import logging
import math
import os
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import torch
from torch import nn

from rmadapter_app.core.config import (
    MAX_CONTEXT_LENGTH,
    MAX_EMBED_DIM,
    MAX_IMAGE_SIZE,
    MAX_MODEL_CONFIG_BYTES,
    MAX_MODEL_PARAMETERS,
    MAX_TOWER_LAYERS,
    MAX_TOWER_WIDTH,
    MAX_VISION_TOKENS,
    MAX_VOCAB_SIZE,
    MEMORY_CHECK_FLOOR,
    MODEL_MEMORY_FACTOR,
    MODEL_MEMORY_MARGIN,
    parse_json,
)
from rmadapter_app.core.errors import BackboneUnavailableError, RMAdapterError, UnsupportedBackboneError
from rmadapter_app.core.model.identity import frozen_image_tower, tensors_sha256
from rmadapter_app.core.model.spec import CPU_FRIENDLY_MODEL, DEFAULT_MODEL, DEFAULT_PRETRAINED  # noqa: F401
from rmadapter_app.core.model.weights import file_sha256, read_checkpoint, weights_folder

logger = logging.getLogger(__name__)


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
    _identity: str | None = field(default=None, init=False, repr=False, compare=False)   # see identity()

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

    def identity(self) -> str:
        """What image embeddings of this backbone depend on, as text (the embedding cache's key).

        ``name|image size|embed dim|weights SHA-256``; for random weights a hash of the image
        tower's own tensors instead (adapters attached to it are left out). Computed once; call
        :meth:`forget_identity` after changing weights in place.
        """
        if self._identity is None:
            info = self.info
            weights = info.weights_sha256 or "random:" + tensors_sha256(frozen_image_tower(self.visual))
            self._identity = f"{info.model_name}|{info.image_size}|{info.embed_dim}|{weights}"
        return self._identity

    def forget_identity(self) -> None:
        """Compute :meth:`identity` afresh next time (the weights were changed in place)."""
        self._identity = None


# ---------------------------------------------------------------------------------- model configs
_VISION_KEYS = ("image_size", "layers", "width", "patch_size")
_TEXT_KEYS = ("context_length", "vocab_size", "width", "heads", "layers")
_DEFAULT_HEAD_WIDTH = 64           # open_clip's CLIPVisionCfg default
_DEFAULT_MLP_RATIO = 4.0


class _BadConfig(ValueError):
    """A model config breaks the schema; the message completes "Model config NAME ..."."""


def _short(value: Any, limit: int = 40) -> str:
    text = " ".join((str(value) if isinstance(value, BaseException) else repr(value)).split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _whole(section: dict, key: str, where: str, lo: int, hi: int) -> int:
    if key not in section:
        raise _BadConfig(f"has no {where}{key}")
    value = section[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise _BadConfig(f"has {where}{key} = {_short(value)}, not a whole number")
    if not lo <= value <= hi:
        raise _BadConfig(f"has {where}{key} = {_short(value)}, outside {lo}..{hi}")
    return value


def _ratio(section: dict, where: str) -> float:
    value = section.get("mlp_ratio", _DEFAULT_MLP_RATIO)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or not 0 < value <= 64:
        raise _BadConfig(f"has {where}mlp_ratio = {_short(value)}, not a number in (0, 64]")
    return float(value)


def _image_size(v: dict) -> tuple[int, int]:
    size = v.get("image_size")
    if isinstance(size, list) and len(size) == 2:
        return (_whole({"image_size": size[0]}, "image_size", "vision_cfg.", 1, MAX_IMAGE_SIZE),
                _whole({"image_size": size[1]}, "image_size", "vision_cfg.", 1, MAX_IMAGE_SIZE))
    side = _whole(v, "image_size", "vision_cfg.", 1, MAX_IMAGE_SIZE)
    return side, side


def _check_config(cfg: Any) -> dict:
    if not isinstance(cfg, dict):
        raise _BadConfig(f"is {type(cfg).__name__ if cfg is not None else 'null'}, not a JSON object "
                         "with embed_dim, vision_cfg and text_cfg")
    missing = [k for k in ("embed_dim", "vision_cfg", "text_cfg") if k not in cfg]
    if missing:
        raise _BadConfig(f"is not an open_clip CLIP config (missing {', '.join(missing)})")
    v, t = cfg["vision_cfg"], cfg["text_cfg"]
    for where, section in (("vision_cfg", v), ("text_cfg", t)):
        if not isinstance(section, dict):
            raise _BadConfig(f"has {where} = {_short(section)}, not an object")
    if v.get("timm_model_name") or isinstance(v.get("layers"), (list, tuple)):
        kind = "timm" if v.get("timm_model_name") else "ResNet"
        raise _BadConfig(f"has a {kind} image tower; RMAdapter needs a ViT image encoder "
                         "(ResNet and timm towers are not supported)")
    if t.get("hf_model_name"):
        raise _BadConfig("has a Hugging Face text tower; RMAdapter needs open_clip's own text transformer "
                         "(Hugging Face text towers are not supported)")
    _whole(cfg, "embed_dim", "", 1, MAX_EMBED_DIM)
    for key in _VISION_KEYS[1:]:
        _whole(v, key, "vision_cfg.", 1, {"layers": MAX_TOWER_LAYERS}.get(key, MAX_TOWER_WIDTH))
    height, width = _image_size(v)
    patch = v["patch_size"]
    if patch > min(height, width):
        raise _BadConfig(f"has vision_cfg.patch_size {patch}, larger than the {height}x{width} image")
    if (height // patch) * (width // patch) > MAX_VISION_TOKENS:
        raise _BadConfig(f"gives {(height // patch) * (width // patch):,} patches per image "
                         f"(at most {MAX_VISION_TOKENS:,})")
    head = _whole(dict(v, head_width=v.get("head_width", _DEFAULT_HEAD_WIDTH)), "head_width", "vision_cfg.",
                  1, v["width"])
    if v["width"] % head:
        raise _BadConfig(f"has vision_cfg.head_width {head}, which does not divide the width {v['width']}")
    _ratio(v, "vision_cfg.")
    limits = {"context_length": MAX_CONTEXT_LENGTH, "vocab_size": MAX_VOCAB_SIZE, "layers": MAX_TOWER_LAYERS}
    for key in ("context_length", "vocab_size", "width", "layers"):
        _whole(t, key, "text_cfg.", 1, limits.get(key, MAX_TOWER_WIDTH))
    heads = _whole(t, "heads", "text_cfg.", 1, t["width"])
    if t["width"] % heads:
        raise _BadConfig(f"has text_cfg.heads {heads}, which does not divide the width {t['width']}")
    _ratio(t, "text_cfg.")
    return cfg


def check_model_config(cfg: Any, name: str) -> dict:
    """Return ``cfg`` if it is an open_clip ViT CLIP config of sane shape and types.

    Raises:
        UnsupportedBackboneError: one sentence naming the first wrong field.
    """
    try:
        return _check_config(cfg)
    except _BadConfig as exc:
        raise UnsupportedBackboneError(f"Model config {name} {exc}.") from None


def _block_parameters(width: int, mlp_ratio: float) -> int:
    hidden = int(width * mlp_ratio)
    return 4 * width * width + 4 * width + 4 * width + 2 * width * hidden + hidden + width


def estimate_parameters(cfg: dict) -> int:
    """Parameter count of the CLIP a checked config builds, from its numbers alone (no allocation)."""
    v, t, embed = cfg["vision_cfg"], cfg["text_cfg"], cfg["embed_dim"]
    size = v["image_size"] if isinstance(v["image_size"], list) else [v["image_size"]] * 2
    w, p = v["width"], v["patch_size"]
    tokens = (size[0] // p) * (size[1] // p) + 1
    vision = (3 * p * p * w + w + tokens * w + 4 * w + w * embed
              + v["layers"] * _block_parameters(w, v.get("mlp_ratio", _DEFAULT_MLP_RATIO)))
    tw = t["width"]
    text = (t["vocab_size"] * tw + t["context_length"] * tw + 2 * tw + tw * embed
            + t["layers"] * _block_parameters(tw, t.get("mlp_ratio", _DEFAULT_MLP_RATIO)))
    return int(vision + text + 1)


def available_memory() -> int | None:
    """Bytes of memory free for a new model: psutil, else the OS; None when unknown."""
    try:
        import psutil
        return int(psutil.virtual_memory().available)
    except Exception:  # noqa: BLE001 - psutil is optional
        pass
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:   # Linux: counts reclaimable cache too
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return int(os.sysconf("SC_AVPHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (AttributeError, ValueError, OSError):
        return None


def check_model_memory(cfg: dict, name: str) -> int:
    """The estimated parameter count; raises when the model is absurd or cannot fit in memory.

    Raises:
        UnsupportedBackboneError: more than MAX_MODEL_PARAMETERS, or its fp32 weights (times
            MODEL_MEMORY_FACTOR, plus MODEL_MEMORY_MARGIN) exceed :func:`available_memory`; a model
            needing less than MEMORY_CHECK_FLOOR is never refused for memory.
    """
    params = estimate_parameters(cfg)
    if params > MAX_MODEL_PARAMETERS:
        raise UnsupportedBackboneError(
            f"{name} would have about {params / 1e9:,.1f} billion parameters, more than RMAdapter Studio "
            f"supports ({MAX_MODEL_PARAMETERS / 1e9:.0f} billion); check the model config.")
    need = params * 4 * MODEL_MEMORY_FACTOR + MODEL_MEMORY_MARGIN
    free = available_memory() if need > MEMORY_CHECK_FLOOR else None
    if free is not None and need > free:
        raise UnsupportedBackboneError(
            f"{name} has about {params / 1e6:,.0f} million parameters and needs about {need / 1e9:.1f} GB of "
            f"memory, but only {free / 1e9:.1f} GB is available; close other programs or choose a smaller model.")
    return params


def model_config_of(model_name: str) -> dict | None:
    """open_clip's config for a registered model name (a copy), or None."""
    import open_clip
    return open_clip.get_model_config(model_name)


def register_model_config(config_path: Path) -> str:
    """Check and register a local open_clip model config JSON; returns the model name (the file stem).

    Raises:
        UnsupportedBackboneError: the file is too large, not readable JSON, or not a sane open_clip ViT config.
    """
    import open_clip

    config_path = Path(config_path)
    name = config_path.name
    try:
        size = config_path.stat().st_size
        if size > MAX_MODEL_CONFIG_BYTES:
            raise UnsupportedBackboneError(
                f"Model config {name} is {size:,} bytes; an open_clip model config is a few KB "
                f"(files over {MAX_MODEL_CONFIG_BYTES:,} bytes are not read).")
        text = config_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
        raise UnsupportedBackboneError(f"Model config {config_path} cannot be read: {reason}.") from exc
    try:
        cfg = parse_json(text)
    except ValueError as exc:
        raise UnsupportedBackboneError(f"Model config {name} cannot be read as JSON ({exc}).") from None
    cfg = check_model_config(cfg, name)
    try:
        open_clip.add_model_config(config_path)
    except Exception as exc:  # open_clip re-reads every config it was given
        raise UnsupportedBackboneError(f"Model config {name} cannot be registered: {_short(exc, 200)}.") from exc
    if open_clip.get_model_config(config_path.stem) != cfg:
        raise UnsupportedBackboneError(f"Model config {name} changed while it was being read; try again.")
    return config_path.stem


def _load_weights(model: nn.Module, weights: Path, model_name: str, parameters: int) -> None:
    """Read a checkpoint (safetensors or weights-only torch.load) and load it strictly into ``model``."""
    from open_clip import factory

    state = read_checkpoint(weights, model_name, parameters)
    shapes = {k: tuple(v.shape) for k, v in state.items()}      # as saved, before open_clip's fix-ups
    try:  # the same fix-ups open_clip.load_checkpoint makes, without its other readers
        state = getattr(factory, "convert_state_dict", lambda m, sd: sd)(model, state)
        if "positional_embedding" in state and not hasattr(model, "positional_embedding"):
            state = factory.convert_to_custom_text_state_dict(state)
        for key in ("logit_scale", "logit_bias"):
            have = getattr(model, key, None)
            if key in state and have is not None and have.ndim != state[key].ndim:
                state[key] = state[key].reshape(have.shape)
        if getattr(model, "logit_bias", None) is not None and "logit_bias" not in state and "logit_scale" in state:
            state["logit_bias"] = torch.zeros_like(state["logit_scale"])
        for resize in ("resize_pos_embed", "resize_text_pos_embed"):
            getattr(factory, resize, lambda sd, m: None)(state, model)
        model.load_state_dict(state, strict=True)
    except Exception as exc:
        from rmadapter_app.core.model.architecture import mismatch_message
        words = mismatch_message(weights.name, model_name, shapes, model_config_of(model_name))   # in words
        if words is None:
            logger.info("%s does not load into %s: %s", weights, model_name, exc)
        raise BackboneUnavailableError(words or (
            f"{weights.name} does not fit '{model_name}' or is damaged. Check that the file is an open_clip "
            "checkpoint for this architecture.")) from exc


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
        pretrained: open_clip pretrained tag; found on this computer or downloaded into the Hugging Face
            hub cache (:func:`~rmadapter_app.core.model.weights.ensure_pretrained`).
        weights: a local checkpoint (.safetensors, or a PyTorch state dict read with weights_only).
        model_config: a local open_clip model config JSON (its stem becomes the model name).
        device: where the model lives.
        on_event, should_stop: download progress and cancellation hooks.

    With neither ``pretrained`` nor ``weights`` the model is randomly initialised (tests, benchmarks).

    Raises:
        UnsupportedBackboneError, BackboneUnavailableError, CancelledError.
    """
    import open_clip

    from rmadapter_app.core.model.weights import ensure_pretrained

    if model_config is not None:
        model_name = register_model_config(Path(model_config))
    if model_name not in open_clip.list_models():
        raise UnsupportedBackboneError(
            f"Unknown model '{model_name}'. Known ViT models include ViT-B-32, ViT-B-16, ViT-L-14; "
            "or give a local model config JSON.")
    cfg = check_model_config(model_config_of(model_name), f"'{model_name}'")
    parameters = check_model_memory(cfg, model_name)     # before any download or allocation
    if weights is None and pretrained:
        weights = ensure_pretrained(model_name, pretrained, on_event=on_event, should_stop=should_stop)
    if weights is not None and not Path(weights).is_file():
        raise BackboneUnavailableError(f"Weights file not found: {weights}")
    try:
        model, _, preprocess = open_clip.create_model_and_transforms(model_name, pretrained=None)
    except Exception as exc:  # open_clip raises many types for a bad config
        raise UnsupportedBackboneError(f"Could not build '{model_name}': {_short(exc, 300)}") from exc
    _check_towers(model, model_name)
    train_preprocess = open_clip.image_transform(
        model.visual.image_size, is_train=True,
        mean=getattr(model.visual, "image_mean", None), std=getattr(model.visual, "image_std", None))
    weights_hash = None
    if weights is not None:
        weights = Path(weights)
        _load_weights(model, weights, model_name, parameters)
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


def import_weights(source: Path, model_name: str, pretrained: str = "imported") -> Path:
    """Copy a local checkpoint into the cache under (model, tag) after checking it loads.

    Returns the cached path. The source file is not modified.

    Raises:
        BackboneUnavailableError: the file does not load into ``model_name``.
    """
    source = Path(source)
    load_backbone(model_name, weights=source)  # validates: raises a clear error when it does not fit
    suffix = ".safetensors" if source.suffix == ".safetensors" else ".bin"
    target = weights_folder(model_name, pretrained) / ("imported" + suffix)
    tmp = target.with_name(target.name + ".part")
    try:
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise RMAdapterError(f"Could not copy {source.name} into {target.parent}: {exc}") from exc
    return target


# ------------------------------------------------------------------------------- hashing and reading
