"""Pre-computing what the frozen backbone gives for each training image and class prompt.

For every image view: the tokens entering the first adapted block (prefix) and frozen CLIP's
image feature (for the consistency loss). For the class prompts: the text prefix, the cut
tokens and frozen CLIP's text features. Augmented training (random-resized-crop + flip) is
cached honestly as ``augment_views`` fixed random views per image, drawn with the run's seed;
``TrainConfig(cache=False)`` instead draws a fresh augmentation every step.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import torch

from rmadapter_app.core.model.encoders import AdaptedCLIP, TextTokens
from rmadapter_app.core.errors import CancelledError, ImageLoadError
from rmadapter_app.core.events import EventHook, ProgressEvent, StatusEvent, StopHook
from rmadapter_app.core.images import Problem, load_rgb

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


def load_readable(paths: Sequence[Path], on_event: EventHook) -> tuple[list[int], list[Problem]]:
    """Indices of paths that decode, and a Problem for each that does not (reported, skipped)."""
    ok, problems = [], []
    for i, p in enumerate(paths):
        try:
            load_rgb(p)
            ok.append(i)
        except ImageLoadError as exc:
            problems.append(Problem(Path(p), str(exc)))
            # the message starts with the file name; the folder tells same-named files of two classes apart
            on_event(StatusEvent(f"Skipped {Path(p).parent.name}/{exc}", level="warning"))
    return ok, problems


def encode_image_cache(model: AdaptedCLIP, paths: Sequence[Path], *, preprocess: Callable,
                       train_preprocess: Callable | None, aug_views: int,
                       on_event: EventHook, should_stop: StopHook,
                       amp_dtype: torch.dtype | None = None) -> ImageCache:
    """Cache view 0 = the plain (validation) transform, views 1..aug_views = seeded augmentations."""
    device = model.backbone.device
    n_views = 1 + (aug_views if train_preprocess is not None else 0)
    tokens_list: list[torch.Tensor] = []
    frozen_list: list[torch.Tensor] = []
    store_dtype = None
    for start in range(0, len(paths), ENCODE_BATCH):
        if should_stop():
            raise CancelledError("Stopped while caching features")
        chunk = [load_rgb(p) for p in paths[start:start + ENCODE_BATCH]]
        views = [torch.stack([preprocess(im) for im in chunk])]
        for _ in range(n_views - 1):
            views.append(torch.stack([train_preprocess(im) for im in chunk]))
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
