"""Augmented training views: MMA's random-resized-crop and horizontal flip, drawn reproducibly.

A run trains ``epochs`` passes over the images (MMA's per-image budget) and every epoch sees a
different augmented view of every image. A view is a pure function of (run seed, image index,
view number): :func:`augmented_view` draws its crop and flip from a generator seeded with that key,
never from a global generator. So the feature cache can compute each view once through the frozen
lower blocks, and ``TrainConfig(cache=False)`` recomputes exactly the same view from pixels at the
step that uses it (the two are compared step by step in the tests).

View 0 is the plain (validation) transform; views ``1..n`` are augmented; epoch ``e`` (1-based)
uses view ``(e - 1) % (n + 1)`` of every image (:func:`view_for_epoch`): the plain view first, then
each augmented view once. ``TrainConfig`` caches ``n = epochs - 1`` augmented views, so the cache
holds as many views per image as there are epochs.
"""
from __future__ import annotations

import math
import random

from PIL import Image

# MMA's transforms (Dassl defaults): crops of 8-100 % of the image area, aspect 3:4 to 4:3, bicubic,
# then a horizontal flip with probability 1/2 (METHOD.md section 3).
CROP_SCALE = (0.08, 1.0)
CROP_RATIO = (3 / 4, 4 / 3)
FLIP_PROBABILITY = 0.5


def view_key(seed: int, image: int, view: int) -> str:
    """The generator seed of one augmented view (a string: Python seeds it the same on every platform)."""
    return f"rmadapter-view/{seed}/{image}/{view}"


def crop_box(width: int, height: int, rng: random.Random, scale: tuple[float, float] | None = None,
             ratio: tuple[float, float] = CROP_RATIO) -> tuple[int, int, int, int]:
    """(left, top, w, h) of a random-resized crop: torchvision's algorithm, drawn from ``rng``."""
    scale = scale or CROP_SCALE
    area = width * height
    log_lo, log_hi = math.log(ratio[0]), math.log(ratio[1])
    for _ in range(10):
        target = area * rng.uniform(scale[0], scale[1])
        aspect = math.exp(rng.uniform(log_lo, log_hi))
        w = int(round(math.sqrt(target * aspect)))
        h = int(round(math.sqrt(target / aspect)))
        if 0 < w <= width and 0 < h <= height:
            top = rng.randint(0, height - h)
            left = rng.randint(0, width - w)
            return left, top, w, h
    in_ratio = width / height                      # fallback: the central crop of an allowed aspect
    if in_ratio < min(ratio):
        w, h = width, int(round(width / min(ratio)))
    elif in_ratio > max(ratio):
        w, h = int(round(height * max(ratio))), height
    else:
        w, h = width, height
    return (width - w) // 2, (height - h) // 2, w, h


def augmented_view(image: Image.Image, size: int, key: str) -> Image.Image:
    """One random-resized crop (to ``size`` x ``size``, bicubic) and maybe a flip, fixed by ``key``.

    The result is already the model's input size, so the backbone's own ``preprocess`` (resize,
    centre crop, normalise) leaves its pixels as they are and only normalises.
    """
    rng = random.Random(key)
    left, top, w, h = crop_box(image.width, image.height, rng)
    out = image.resize((size, size), Image.BICUBIC, box=(left, top, left + w, top + h))
    if rng.random() < FLIP_PROBABILITY:
        out = out.transpose(Image.FLIP_LEFT_RIGHT)
    return out


def view_for_epoch(epoch: int, n_views: int) -> int:
    """The view every image shows in ``epoch`` (1-based): the plain view 0 first, then augmented views 1..n_views.

    With ``n_views`` augmented views the cycle is ``epochs = n_views + 1`` long, so 5 epochs show 5
    different views of each image. Starting from the plain view (the one accuracy is measured on)
    was measured better than showing only augmented views: on the toy CLIP's 10-class task with 8
    images per class, +1.2 to +1.3 points over frozen CLIP instead of -1.6 to -2.8 (docs/DESIGN.md).
    """
    if n_views < 1:
        return 0
    return (epoch - 1) % (n_views + 1)
