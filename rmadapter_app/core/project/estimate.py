"""How long training this project's images would take with a given CLIP, here, before anything is loaded.

The estimate follows what a run does (DESIGN.md, "Why a training step is cheap"): every image (and
each augmented view of it) goes once through the whole frozen image tower; then each fit runs its
steps through the adapted blocks only, forward and backward, for a batch of images and every class
prompt. The fits and their sizes come from the core's own split (:func:`core.train.data.make_split`);
the per-block speed from timing the model's block on this machine
(:func:`core.model.catalog.model_facts`). Loading the model and evaluating are not counted.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

DEFAULT_EPOCHS = 5            # used when the config does not say (MMA's 5 passes)
ENCODE_BATCH = 32             # images per caching batch (core.train.feature_cache.ENCODE_BATCH)


def _epochs(cfg: Any) -> int:
    return int(getattr(cfg, "n_epochs", None) or getattr(cfg, "epochs", None) or DEFAULT_EPOCHS)


def _views(cfg: Any) -> int:
    """Image passes through the frozen tower per image: the plain view plus the augmented ones."""
    n = getattr(cfg, "n_augment_views", None)
    if n is None:
        n = (getattr(cfg, "augment_views", 0) or 0) if getattr(cfg, "augment", False) else 0
    return 1 + int(n)


def fit_sizes(labels: Sequence[int], cfg: Any) -> list[int]:
    """Images each fit of a run trains on: the final adapter first, then one per cross-validation fold."""
    from rmadapter_app.core.train.data import make_split

    if not labels:
        return []
    split = make_split(list(labels), cfg.validation, cfg.val_fraction, cfg.folds, cfg.seed)
    if split.scheme == "kfold":
        return [len(labels)] + [len(train) for train, _ in split.folds]
    if split.scheme == "holdout":
        return [len(split.folds[0][0])]
    return [len(labels)]


def probe_steps(cfg: Any) -> int:
    """Steps the automatic learning rate tries first (0 when the config sets the rate)."""
    if getattr(cfg, "lr", 0) is not None:
        return 0
    try:
        from rmadapter_app.core.train import lr_probe
    except ImportError:
        return 0
    return len(getattr(lr_probe, "PROBE_LRS", ())) * int(getattr(lr_probe, "PROBE_STEPS", 0))


def training_seconds(facts: Any, labels: Sequence[int], n_classes: int, cfg: Any) -> float:
    """Seconds to train on images with these class labels (``facts``: a ``catalog.ModelFacts``).

    Caching: every view of every image is prepared and goes through the whole image tower, in batches
    of ``ENCODE_BATCH`` images. Each step: a batch through the adapted image blocks and every class
    prompt through the adapted text blocks, forward and backward (about three forwards).
    """
    if not labels:
        return 0.0
    n, views = len(labels), _views(cfg)
    chunks = math.ceil(n / ENCODE_BATCH)
    seconds = n * views * facts.prepare_seconds
    seconds += facts.vision_layers * (chunks * facts.vision.fixed + n * views * facts.vision.per_row)
    batch = max(1, int(getattr(cfg, "batch_size", 16)))
    for i, n_train in enumerate(fit_sizes(labels, cfg)):
        steps = _epochs(cfg) * math.ceil(n_train / batch) + (probe_steps(cfg) if i == 0 else 0)
        step = 3 * (facts.adapted_vision * facts.vision.seconds(min(batch, n_train))
                    + facts.adapted_text * facts.text.seconds(n_classes))
        seconds += steps * step
    return seconds
