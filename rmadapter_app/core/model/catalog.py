"""Facts about a CLIP before it is loaded: its size, whether it is on this computer, how fast it runs here.

The Train page shows them before a download and before training: "a 605 MB download", "trains this
project in about 40 s here". Nothing is guessed per model name: the parameter count comes from the
model's open_clip config (:func:`backbone.estimate_parameters`), the download size from it (open_clip
publishes fp32 checkpoints: 4 bytes per parameter), "on this computer" from :func:`weights.cached_weights`
(never the network), and the speed from timing one transformer block of the model's width on this
machine (:func:`block_seconds`): the same open_clip block the model is made of, on random numbers.

Call these on a worker thread: they import torch and open_clip and run for up to a few seconds.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from rmadapter_app.core.config import AdapterConfig
from rmadapter_app.core.model.spec import BackboneSpec

BYTES_PER_PARAMETER = 4            # open_clip's published checkpoints are float32
TIMING_BATCH = 8                   # images per timed block call
TEXT_TOKENS = 16                   # prompts are cut to the longest one: about this many tokens
_speed_cache: dict[tuple, float] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class ModelFacts:
    """What the Train page says about a model before using it."""

    spec: BackboneSpec
    parameters: int                  # 0 when the config is unknown
    download_bytes: int              # 0 when nothing needs downloading
    on_disk: bool                    # weights on this computer (or a local file): no download
    image_seconds: float             # one image through the whole frozen image tower, here
    step_image_seconds: float        # one image through the adapted image blocks, forward and backward
    step_text_seconds: float         # one class prompt through the adapted text blocks, forward and backward
    device: str


def block_seconds(width: int, tokens: int, *, heads: int | None = None, mlp_ratio: float = 4.0,
                  device: str = "cpu", batch: int = TIMING_BATCH) -> float:
    """Seconds one open_clip transformer block of ``width`` takes per sequence of ``tokens``, here.

    Measured once per process and shape: one warm-up call, then the fastest of three.
    """
    import torch
    from open_clip.transformer import ResidualAttentionBlock

    key = (width, tokens, heads, mlp_ratio, device, batch)
    with _lock:
        if key in _speed_cache:
            return _speed_cache[key]
    dev = torch.device(device)
    block = ResidualAttentionBlock(width, heads or max(1, width // 64), mlp_ratio).to(dev).eval()
    x = torch.randn(batch, tokens, width, device=dev)
    sync = torch.cuda.synchronize if dev.type == "cuda" else (lambda: None)
    best = float("inf")
    with torch.no_grad():
        block(x)
        sync()
        for _ in range(3):
            t0 = time.perf_counter()
            block(x)
            sync()
            best = min(best, time.perf_counter() - t0)
    seconds = best / batch
    with _lock:
        _speed_cache[key] = seconds
    return seconds


def _config_of(spec: BackboneSpec) -> dict | None:
    from rmadapter_app.core.model.backbone import check_model_config, model_config_of, register_model_config

    name = register_model_config(spec.model_config) if spec.model_config is not None else spec.model_name
    cfg = model_config_of(name)
    return check_model_config(cfg, name) if cfg else None


def is_on_disk(spec: BackboneSpec) -> bool:
    """True when loading ``spec`` needs no download (its weights are a local file or already here)."""
    if spec.weights is not None or not spec.pretrained:
        return True
    from rmadapter_app.core.model.weights import cached_weights
    return cached_weights(spec.model_name, spec.pretrained) is not None


def model_facts(spec: BackboneSpec, device: str = "cpu") -> ModelFacts:
    """Size, presence and speed of ``spec`` on ``device`` (see the module docstring).

    Raises:
        UnsupportedBackboneError: the model (or its local config) is unknown or not a ViT CLIP.
    """
    from rmadapter_app.core.model.backbone import estimate_parameters

    cfg = _config_of(spec)
    if cfg is None:
        from rmadapter_app.core.errors import UnsupportedBackboneError
        raise UnsupportedBackboneError(f"Unknown model '{spec.model_name}'.")
    v, t = cfg["vision_cfg"], cfg["text_cfg"]
    params = estimate_parameters(cfg)
    size = v["image_size"][0] if isinstance(v["image_size"], list) else v["image_size"]
    tokens = (size // v["patch_size"]) ** 2 + 1
    layers = AdapterConfig().resolve_layers(v["layers"], t["layers"])
    vision = block_seconds(v["width"], tokens, heads=v["width"] // v.get("head_width", 64),
                           mlp_ratio=v.get("mlp_ratio", 4.0), device=device)
    text = block_seconds(t["width"], TEXT_TOKENS, heads=t["heads"], mlp_ratio=t.get("mlp_ratio", 4.0),
                         device=device)
    on_disk = is_on_disk(spec)
    return ModelFacts(spec=spec, parameters=params,
                      download_bytes=0 if on_disk else params * BYTES_PER_PARAMETER, on_disk=on_disk,
                      image_seconds=v["layers"] * vision,
                      step_image_seconds=3 * len(layers.vision_layers) * vision,    # backward: about 2x forward
                      step_text_seconds=3 * len(layers.text_layers) * text, device=device)
