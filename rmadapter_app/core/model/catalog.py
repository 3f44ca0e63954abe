"""Facts about a CLIP before it is loaded: its size, whether it is on this computer, how fast it runs here.

The Train page shows them before a download and before training: "a 605 MB download", "trains this
project in about 40 s here". Nothing is guessed per model name: the parameter count comes from the
model's open_clip config (:func:`backbone.estimate_parameters`), the download size from it (open_clip
publishes fp32 checkpoints: 4 bytes per parameter), "on this computer" from :func:`weights.cached_weights`
(never the network), and the speed from timing one transformer block of the model's width on this
machine (:func:`block_speed`): the same open_clip block the model is made of, on random numbers.

Call these on a worker thread: they import torch and open_clip and run for up to a few seconds.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from rmadapter_app.core.config import AdapterConfig
from rmadapter_app.core.model.spec import BackboneSpec

BYTES_PER_PARAMETER = 4            # open_clip's published checkpoints are float32
TIMING_BATCHES = (8, 32)           # sequences per timed block call: the fixed cost and the cost per sequence
TIMING_REPEATS = 5                 # the fastest of these (other programs on the machine make some calls slow)
TEXT_TOKENS = 16                   # prompts are cut to the longest one: about this many tokens
PHOTO_SIZE = (640, 480)            # a typical photo, for timing the model's preprocessing
_speed_cache: dict[tuple, tuple[float, float]] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class BlockSpeed:
    """One transformer block here: ``fixed`` seconds per call plus ``per_row`` seconds per sequence."""

    fixed: float
    per_row: float

    def seconds(self, rows: int) -> float:
        return self.fixed + rows * self.per_row


@dataclass(frozen=True)
class ModelFacts:
    """What the Train page says about a model before using it."""

    spec: BackboneSpec
    parameters: int                  # 0 when the config is unknown
    download_bytes: int              # 0 when nothing needs downloading
    on_disk: bool                    # weights on this computer (or a local file): no download
    vision: BlockSpeed               # one image-tower block
    text: BlockSpeed                 # one text-tower block (prompts)
    vision_layers: int               # blocks of the image tower (all run once per image view when caching)
    adapted_vision: int              # adapted blocks that every training step runs, forward and backward
    adapted_text: int
    prepare_seconds: float           # reading a photo into the model's input (resize, crop, normalise)
    device: str


def block_speed(width: int, tokens: int, *, heads: int | None = None, mlp_ratio: float = 4.0,
                device: str = "cpu") -> BlockSpeed:
    """How fast one open_clip transformer block of ``width`` runs sequences of ``tokens`` here.

    Timed once per process and shape at two batch sizes (one warm-up call, then the fastest of
    five each), which separates the cost of a call from the cost of each sequence in it.
    """
    import torch
    from open_clip.transformer import ResidualAttentionBlock

    key = (width, tokens, heads, mlp_ratio, device)
    with _lock:
        if key in _speed_cache:
            return BlockSpeed(*_speed_cache[key])
    dev = torch.device(device)
    block = ResidualAttentionBlock(width, heads or max(1, width // 64), mlp_ratio).to(dev).eval()
    sync = torch.cuda.synchronize if dev.type == "cuda" else (lambda: None)
    times = []
    with torch.no_grad():
        for batch in TIMING_BATCHES:
            x = torch.randn(batch, tokens, width, device=dev)
            block(x)
            sync()
            best = float("inf")
            for _ in range(TIMING_REPEATS):
                t0 = time.perf_counter()
                block(x)
                sync()
                best = min(best, time.perf_counter() - t0)
            times.append(best)
    (b1, b2), (t1, t2) = TIMING_BATCHES, times
    per_row = max(0.0, (t2 - t1) / (b2 - b1))
    fixed = max(0.0, t1 - b1 * per_row)
    with _lock:
        _speed_cache[key] = (fixed, per_row)
    return BlockSpeed(fixed, per_row)


def prepare_seconds(image_size: int) -> float:
    """Seconds to turn a typical photo into the model's input tensor (open_clip's own transform)."""
    import open_clip
    from PIL import Image

    transform = open_clip.image_transform(image_size, is_train=False)
    photo = Image.new("RGB", PHOTO_SIZE, (120, 90, 60))
    transform(photo)
    t0 = time.perf_counter()
    for _ in range(3):
        transform(photo)
    return (time.perf_counter() - t0) / 3


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
    on_disk = is_on_disk(spec)
    return ModelFacts(
        spec=spec, parameters=params, download_bytes=0 if on_disk else params * BYTES_PER_PARAMETER,
        on_disk=on_disk,
        vision=block_speed(v["width"], tokens, heads=v["width"] // v.get("head_width", 64),
                           mlp_ratio=v.get("mlp_ratio", 4.0), device=device),
        text=block_speed(t["width"], TEXT_TOKENS, heads=t["heads"], mlp_ratio=t.get("mlp_ratio", 4.0), device=device),
        vision_layers=v["layers"], adapted_vision=len(layers.vision_layers), adapted_text=len(layers.text_layers),
        prepare_seconds=prepare_seconds(size), device=device)
