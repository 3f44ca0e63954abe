"""Pre-computing what the frozen backbone gives for each training image and class prompt.

For every image view: the tokens entering the first adapted block (prefix) and frozen CLIP's
image feature (for the consistency loss). For the class prompts: the text prefix, the cut
tokens and frozen CLIP's text features. Augmented training (random-resized-crop + flip, the
default) is cached as ``TrainConfig.n_augment_views`` views per image (one per epoch), each a
pure function of the run's seed, the image and the view number (:mod:`.augment`), so
``TrainConfig(cache=False)`` recomputes exactly the same views from pixels.

Training stage 2: :func:`build_feature_cache` returns a :class:`FeatureCache`.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import torch

from rmadapter_app.core.config import AdapterConfig, TrainConfig
from rmadapter_app.core.device import DeviceInfo
from rmadapter_app.core.errors import CancelledError
from rmadapter_app.core.events import EventHook, ProgressEvent, StatusEvent, StopHook
from rmadapter_app.core.images import decode_side, load_rgb
from rmadapter_app.core.model.backbone import Backbone
from rmadapter_app.core.model.encoders import AdaptedCLIP, TextTokens
from rmadapter_app.core.model.inject import attach
from rmadapter_app.core.train.augment import augmented_view, view_key

ENCODE_BATCH = 32
MAX_CACHE_BYTES_FP32 = 2 * 1024 ** 3   # above this, cached tokens are kept in float16


@dataclass
class ImageCache:
    """Per image: ``views`` cached prefix tokens and frozen features; ``val`` view first."""

    tokens: torch.Tensor      # [n_images, n_views, N, D]
    frozen: torch.Tensor      # [n_images, n_views, E]


@dataclass
class TextCache:
    tokens: TextTokens
    prefix: torch.Tensor      # [C, L, D]
    frozen: torch.Tensor      # [C, E]


def encode_text_cache(model: AdaptedCLIP, prompts: Sequence[str], *, truncate: bool = True) -> TextCache:
    """Tokenise, run the frozen prefix and compute frozen CLIP text features once."""
    tokens = model.tokenize(prompts, truncate=truncate)
    with torch.no_grad():
        prefix = model.text_prefix(tokens)
        frozen, _ = model.text_suffix(prefix, tokens, adapted=False)
    return TextCache(tokens, prefix, frozen)


def encode_image_cache(model: AdaptedCLIP, paths: Sequence[Path], *, preprocess: Callable,
                       aug_views: int, seed: int, on_event: EventHook, should_stop: StopHook,
                       amp_dtype: torch.dtype | None = None, augmented_run: bool | None = None) -> ImageCache:
    """Cache view 0 = the plain (validation) transform, views 1..aug_views = the run's augmented views.

    ``augmented_run``: images are decoded at the augmented views' size (3x the input) whenever the
    run augments, even when the augmented views themselves are not cached (``cache=False``), so the
    plain view is the same pixels in both modes. Default: ``aug_views > 0``.
    """
    device = model.backbone.device
    size = model.backbone.info.image_size
    n_views = 1 + aug_views
    side = decode_side(size, augment=aug_views > 0 if augmented_run is None else augmented_run)
    tokens_list: list[torch.Tensor] = []
    frozen_list: list[torch.Tensor] = []
    store_dtype = None
    for start in range(0, len(paths), ENCODE_BATCH):
        if should_stop():
            raise CancelledError("Stopped while caching features")
        chunk = [load_rgb(p, min_side=side) for p in paths[start:start + ENCODE_BATCH]]
        views = [torch.stack([preprocess(im) for im in chunk])]
        for v in range(1, n_views):
            views.append(torch.stack([preprocess(augmented_view(im, size, view_key(seed, start + j, v)))
                                      for j, im in enumerate(chunk)]))
        batch = torch.stack(views, 1).flatten(0, 1).to(device)            # [b * V, 3, H, W]
        with torch.no_grad(), torch.autocast(device.type, dtype=amp_dtype, enabled=amp_dtype is not None):
            prefix = model.image_prefix(batch)                               # [b * V, N, D]
            frozen, _ = model.image_suffix(prefix, adapted=False)            # [b * V, E]
        if store_dtype is None:
            total = prefix[0].numel() * len(paths) * n_views * 4
            store_dtype = torch.float16 if total > MAX_CACHE_BYTES_FP32 else torch.float32
        b = len(chunk)
        tokens_list.append(prefix.to(store_dtype).unflatten(0, (b, n_views)))
        frozen_list.append(frozen.float().unflatten(0, (b, n_views)))
        on_event(ProgressEvent("Caching image features", min(start + b, len(paths)), len(paths)))
    return ImageCache(torch.cat(tokens_list), torch.cat(frozen_list))


@dataclass
class FeatureCache:
    """What the caching stage produced for one run."""

    text: TextCache
    images: ImageCache
    model: AdaptedCLIP        # the split model the cache was built with; its adapters are detached
                              # again, so it serves frozen CLIP only (the zero-shot baseline)


def autocast_for(dev: DeviceInfo):
    """The mixed-precision context of a run's device (a no-op where ``amp_dtype`` is None)."""
    return torch.autocast(dev.device.type, dtype=dev.amp_dtype, enabled=dev.amp_dtype is not None)


def build_feature_cache(backbone: Backbone, adapter_cfg: AdapterConfig, cfg: TrainConfig, dev: DeviceInfo,
                        paths: Sequence[Path], prompts: Sequence[str], *, on_event: EventHook,
                        should_stop: StopHook) -> FeatureCache:
    """Cache the frozen prefix and frozen features of every prompt and image (view) once.

    Adapters are attached only to find where the frozen prefix ends, and detached before returning
    (every fit seeds and initialises its own). The augmented views draw from their own seeded
    generators, never from a global one.

    Raises:
        CancelledError: ``should_stop`` returned True between two caching batches.
    """
    handle = attach(backbone, adapter_cfg)
    try:
        model = AdaptedCLIP(backbone, handle)
        on_event(StatusEvent("Caching frozen CLIP features"))
        with autocast_for(dev):
            text = encode_text_cache(model, prompts, truncate=cfg.cache)
        views = cfg.n_augment_views if cfg.cache else 0     # uncached runs compute views at their step
        images = encode_image_cache(model, paths, preprocess=backbone.preprocess, aug_views=views,
                                    seed=cfg.seed, on_event=on_event, should_stop=should_stop,
                                    amp_dtype=dev.amp_dtype, augmented_run=cfg.n_augment_views > 0)
    finally:
        handle.detach()
    return FeatureCache(text, images, model)
