"""Labeling a folder: list images, decode on a prefetch thread, embed in batches, cache, score.

:func:`run_labeling` runs the shared batch loop (:func:`~rmadapter_app.core.batches.predict_in_batches`:
reading, hashing, decoding and preprocessing on a producer thread with a small decode pool,
the model on this thread), stores every adapted embedding
in an :class:`~.embedding_cache.EmbeddingCache` keyed by the image's content hash, and returns
a :class:`LabelRun`: per-image probabilities over the classes, or the reason a file could not
be read. Images already in the cache skip decoding and the encoder, so an interrupted run
resumes where it stopped. :func:`rescore` recomputes probabilities for new or renamed classes
from the cache alone.
"""
from __future__ import annotations

import logging
import os
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import torch

from rmadapter_app.core.batches import ImageItem, input_side, predict_in_batches, prepare
from rmadapter_app.core.errors import ImageLoadError, RMAdapterError
from rmadapter_app.core.events import EventHook, LabelProgressEvent, StatusEvent, StopHook, no_event
from rmadapter_app.core.images import iter_image_files, read_file_bytes
from rmadapter_app.core.label.embedding_cache import EmbeddingCache, classifier_identity
from rmadapter_app.core.prediction import Prediction

logger = logging.getLogger(__name__)

PHASE = "Labeling"


@dataclass
class LabelRun:
    """The outcome of :func:`run_labeling`: one row per listed file, in listing order.

    ``probs[i]`` holds class probabilities (NaN until image i is scored); ``done[i]`` is True once
    image i was scored or failed; a stopped run has some rows not done. ``errors[i]`` is the reason
    file i was skipped.
    """

    sources: list[Path]
    paths: list[Path]
    keys: list[str | None]
    errors: list[str | None]
    done: np.ndarray
    probs: np.ndarray
    class_names: list[str]
    identity: tuple[str, str]
    cache_folder: Path | None = None
    stopped: bool = False
    seconds: float = 0.0
    encoded: int = 0           # images that went through the image encoder
    from_cache: int = 0        # images whose embeddings came from the cache
    stats: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)   # e.g. a damaged cache that was dropped and rebuilt

    def __len__(self) -> int:
        return len(self.paths)

    @property
    def n_done(self) -> int:
        return int(self.done.sum())

    @property
    def n_errors(self) -> int:
        return sum(1 for e, d in zip(self.errors, self.done) if d and e)

    def scored(self) -> np.ndarray:
        """Indices of images that have probabilities."""
        return np.flatnonzero(self.done & ~np.isnan(self.probs).any(axis=1)) if len(self) else np.zeros(0, int)

    def top(self) -> tuple[np.ndarray, np.ndarray]:
        """Top class index and top probability per row (-1 / NaN where not scored)."""
        idx = np.full(len(self), -1, dtype=np.int64)
        conf = np.full(len(self), np.nan, dtype=np.float32)
        ok = self.scored()
        if len(ok) and len(self.class_names):
            p = self.probs[ok]
            idx[ok] = p.argmax(axis=1)
            conf[ok] = p.max(axis=1)
        return idx, conf

    def results(self, top_k: int = 3) -> list[Prediction]:
        """The finished rows as records with their content hash (rows a stop never reached are left out)."""
        k = max(1, min(int(top_k), len(self.class_names)))
        out = []
        for i in range(len(self)):
            if not self.done[i]:
                continue
            if self.errors[i] or np.isnan(self.probs[i]).any():
                out.append(Prediction(self.paths[i], None, 0.0, [], self.errors[i] or "not scored", self.keys[i]))
                continue
            p = self.probs[i]
            order = np.argsort(-p, kind="stable")[:k]
            top = [(self.class_names[j], float(p[j])) for j in order]
            out.append(Prediction(self.paths[i], top[0][0], top[0][1], top, None, self.keys[i]))
        return out


def _hash_or_prepare(item: ImageItem, cache: EmbeddingCache, preprocess, min_side: int) -> ImageItem:
    """Read one file once and hash its bytes; unless its embedding is cached, decode those bytes (at the
    model's scale) and preprocess them. Errors become reasons."""
    try:
        data, item.key = read_file_bytes(item.path)   # refuses a 10 GB "photo" before reading it
    except ImageLoadError as exc:
        item.error = str(exc)
        return item
    if cache.contains(item.key):
        item.cached = True
        return item
    return prepare(item, preprocess, min_side, data=data)


def _report_cache(cache: EmbeddingCache, run: LabelRun, on_event: EventHook) -> None:
    """Pass on what the cache found wrong (damage dropped, writes that failed) as warnings."""
    for text in cache.take_warnings():
        logger.warning("%s", text)
        run.warnings.append(text)
        on_event(StatusEvent(text, "warning"))


def _list_sources(sources: Sequence[Path | str], recursive: bool) -> tuple[list[Path], list[str | None]]:
    problems = []
    seen: set[Path] = set()
    paths: list[Path] = []
    errors: list[str | None] = []
    for p in iter_image_files(sources, recursive=recursive, problems=problems):
        key = Path(os.path.abspath(p))
        if key in seen:
            continue
        seen.add(key)
        paths.append(Path(p))
        errors.append(None)
    for prob in problems:
        paths.append(Path(prob.path))
        errors.append(f"{Path(prob.path).name}: {prob.reason}")
    return paths, errors


class _Speed:
    """Images per second over the last few batches (the first batch, with warm-up, soon drops out)."""

    def __init__(self, window: int = 20):
        self.marks: deque[tuple[float, int]] = deque(maxlen=window)

    def add(self, t: float, done: int) -> None:
        self.marks.append((t, done))

    def rate(self) -> float:
        if len(self.marks) < 2:
            return 0.0
        (t0, n0), (t1, n1) = self.marks[0], self.marks[-1]
        return (n1 - n0) / (t1 - t0) if t1 > t0 else 0.0


def run_labeling(classifier, sources: Sequence[Path | str], *, recursive: bool = True, batch_size: int = 32,
                 cache: EmbeddingCache | None = None, on_event: EventHook | None = None,
                 should_stop: StopHook | None = None, workers: int | None = None,
                 prefetch_batches: int = 2) -> LabelRun:
    """Label every image under ``sources`` with ``classifier`` (see module docstring).

    Stops before the next batch when ``should_stop()`` is True and returns the rows done so far
    (``LabelRun.stopped``); their embeddings are already in the cache, so a later run resumes.

    Raises:
        RMAdapterError: the sources hold no image files at all.
    """
    on_event = on_event or no_event
    t_start = time.perf_counter()
    cache = cache if cache is not None else EmbeddingCache.for_classifier(classifier)
    identity = classifier_identity(classifier)
    if tuple(cache.identity) != tuple(identity):
        raise ValueError("the embedding cache belongs to another backbone or adapter")
    src_list = [Path(s) for s in sources]
    paths, errors = _list_sources(src_list, recursive)
    if not any(e is None for e in errors):
        detail = f" ({errors[0]})" if errors else ""
        raise RMAdapterError(f"No image files found in the given folders or files{detail}.")
    n, c = len(paths), len(classifier.class_names)
    run = LabelRun(src_list, paths, [None] * n, list(errors), np.zeros(n, dtype=bool),
                   np.full((n, c), np.nan, dtype=np.float32), list(classifier.class_names), identity,
                   cache.folder)
    for i, e in enumerate(errors):
        if e is not None:
            run.done[i] = True
    _report_cache(cache, run, on_event)
    todo = [ImageItem(i, paths[i]) for i in range(n) if errors[i] is None]
    on_event(StatusEvent(f"Labeling {len(todo)} images ({sum(e is not None for e in errors)} skipped while listing)"))
    speed = _Speed()
    speed.add(time.perf_counter(), run.n_done)
    preprocess, side = classifier.backbone.preprocess, input_side(classifier.backbone)

    def record(items: list[ImageItem]) -> None:
        """One batch scored: its rows of the run, then a progress event with speed and time left."""
        for it in items:
            run.keys[it.index] = it.key
            if it.error:
                run.errors[it.index] = it.error
            if it.probs is not None:
                run.probs[it.index] = it.probs
            run.from_cache += it.from_cache
            run.done[it.index] = True
        done = run.n_done
        speed.add(time.perf_counter(), done)
        rate = speed.rate()
        on_event(LabelProgressEvent(PHASE, done, n, images_per_s=rate, eta_s=((n - done) / rate) if rate > 0 else None,
                                    errors=run.n_errors, cached=run.from_cache))

    try:
        stats = predict_in_batches(classifier, todo, batch_size=batch_size,
                                   load=lambda it: _hash_or_prepare(it, cache, preprocess, side),
                                   lookup=cache.get_many, store=cache.put, on_batch=record,
                                   should_stop=should_stop, workers=workers, prefetch_batches=prefetch_batches)
    finally:
        cache.flush()
        _report_cache(cache, run, on_event)
    run.stopped, run.encoded = stats.stopped, stats.encoded
    run.seconds = time.perf_counter() - t_start
    run.stats = {"encode_seconds": stats.encode_seconds, "images_per_s": (run.n_done / run.seconds) if run.seconds else 0.0}
    return run


def rescore(run: LabelRun, classifier=None, *, text_features: torch.Tensor | None = None,
            class_names: Sequence[str] | None = None, logit_scale: float | None = None,
            cache: EmbeddingCache | None = None, block: int = 4096) -> LabelRun:
    """Probabilities for a new class list from cached embeddings only (the image encoder never runs).

    Pass a classifier (after ``set_classes``/``add_classes``) or ``text_features`` [C, E] with
    ``class_names`` and ``logit_scale``. Returns a new :class:`LabelRun`; rows whose embedding is
    no longer cached become not done (run labeling again to fill them).

    Raises:
        ValueError: the classifier's backbone or adapter differs from the run's.
    """
    if classifier is not None:
        if classifier_identity(classifier) != tuple(run.identity):
            raise ValueError("This classifier uses another backbone or adapter than the labeling run; "
                             "run labeling again instead of re-scoring.")
        text_features = classifier.text_features
        class_names = classifier.class_names
        logit_scale = float(classifier.backbone.logit_scale)
    if text_features is None or class_names is None or logit_scale is None:
        raise ValueError("rescore needs a classifier, or text_features + class_names + logit_scale")
    tf = text_features.detach().float().cpu()
    if cache is None:
        cache = EmbeddingCache(run.identity, root=run.cache_folder.parent if run.cache_folder else None)
    warnings = list(run.warnings) + cache.take_warnings()
    n = len(run)
    probs = np.full((n, len(class_names)), np.nan, dtype=np.float32)
    done = run.done.copy()
    want = [i for i in range(n) if run.done[i] and not run.errors[i] and run.keys[i]]
    for s in range(0, len(want), block):
        idx = want[s:s + block]
        emb, found = cache.get_many([run.keys[i] for i in idx])
        if found.any():
            logits = logit_scale * torch.from_numpy(emb[found]) @ tf.t()
            probs[np.asarray(idx)[found]] = logits.softmax(-1).numpy()
        for i, f in zip(idx, found):
            if not f:
                done[i] = False
    return replace(run, probs=probs, done=done, class_names=list(class_names), keys=list(run.keys),
                   errors=list(run.errors), warnings=warnings)
