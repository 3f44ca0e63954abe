"""The one batch loop from image files to class probabilities.

:func:`predict_in_batches` reads and preprocesses images on a prefetch thread with a small
decode pool, while this thread runs the image encoder on whole batches and scores them against
the class text features. ``Classifier.classify_paths`` and the labeling engine both use it; the
engine adds content hashes and its embedding cache through the ``load``, ``lookup`` and
``store`` hooks (an image whose embedding is known skips decoding and the encoder).

The classifier is used through ``backbone.preprocess``, ``embed`` and ``probabilities`` only.
"""
from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from rmadapter_app.core.errors import ImageLoadError
from rmadapter_app.core.events import StopHook, never_stop
from rmadapter_app.core.images import decode_bytes, load_rgb


@dataclass
class ImageItem:
    """One image on its way through the loop; the hooks and the loop fill it in."""

    index: int                          # the caller's row for this image
    path: Path
    key: str | None = None              # content hash (set by a labeling ``load`` hook)
    error: str | None = None            # why it could not be read or prepared
    tensor: torch.Tensor | None = None  # preprocessed image, for the encoder (dropped once encoded)
    cached: bool = False                # ``lookup`` should have its embedding: no decoding needed
    probs: np.ndarray | None = None     # class probabilities [C], once scored
    from_cache: bool = False            # its embedding came from ``lookup``, not the encoder


@dataclass
class LoopStats:
    """What one :func:`predict_in_batches` call did."""

    stopped: bool = False          # should_stop ended it before every image was scored
    encoded: int = 0               # images that went through the image encoder
    from_cache: int = 0            # images whose embeddings came from ``lookup``
    encode_seconds: float = 0.0    # time spent in the image encoder


def input_side(backbone) -> int:
    """The short side an image needs for this backbone's input (its image size): decode no larger."""
    return int(backbone.info.image_size)


def prepare(item: ImageItem, preprocess: Callable, min_side: int | None = None, data: bytes | None = None) -> ImageItem:
    """Decode (at ``min_side``: JPEG draft) + preprocess ``item.path`` into ``item.tensor``, or set
    ``item.error`` (never raises). ``data``: the file's bytes when they were already read."""
    try:
        if data is not None:
            image = decode_bytes(data, item.path, min_side=min_side)[0]
        else:
            image = load_rgb(item.path, min_side=min_side)   # load_rgb refuses huge files before reading
        item.tensor = preprocess(image)
    except ImageLoadError as exc:
        item.error = str(exc)
    except Exception as exc:  # a preprocessing failure on one odd image must not end the run
        item.error = f"{item.path.name}: could not be prepared ({type(exc).__name__}: {exc})"
    return item


def default_workers() -> int:
    """Decode threads: one per core, at least 2, at most 16 (Pillow releases the GIL while decoding,
    so threads decode in parallel; on a GPU machine they must keep the GPU fed)."""
    return max(2, min(16, os.cpu_count() or 2))


def _producer(items: Sequence[ImageItem], load: Callable[[ImageItem], ImageItem], batch_size: int,
              workers: int, out: queue.Queue, stop: threading.Event) -> None:
    """Fill ``out`` with lists of loaded items, one list per batch, then None (or the exception raised)."""
    try:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="image-decode") as pool:
            for start in range(0, len(items), batch_size):
                if stop.is_set():
                    break
                batch = list(pool.map(load, items[start:start + batch_size]))
                while not stop.is_set():
                    try:
                        out.put(batch, timeout=0.1)
                        break
                    except queue.Full:
                        continue
    except BaseException as exc:  # handed to the model thread, which raises it
        out.put(exc)
        return
    out.put(None)


_STOPPED = object()


def _next_batch(q: queue.Queue, should_stop: StopHook):
    """The next batch from the prefetch queue, or _STOPPED as soon as a stop is asked for."""
    while True:
        if should_stop():
            return _STOPPED
        try:
            return q.get(timeout=0.05)
        except queue.Empty:
            continue


def _score(classifier, emb: np.ndarray) -> np.ndarray:
    """Class probabilities [n, C] for embeddings [n, E]."""
    with torch.no_grad():
        return classifier.probabilities(torch.from_numpy(np.ascontiguousarray(emb))).cpu().numpy()


def _run_batch(classifier, items: list[ImageItem], lookup, store, stats: LoopStats) -> None:
    """Embed and score one batch in place: known embeddings from ``lookup``, the rest through the encoder."""
    known = [it for it in items if it.cached]
    if known:
        emb, found = lookup([it.key for it in known])
        hits = [it for it, f in zip(known, found) if f]
        if hits:
            for it, row in zip(hits, _score(classifier, emb[found])):
                it.probs, it.from_cache = row, True
        stats.from_cache += len(hits)
        for it, f in zip(known, found):
            if not f:            # gone from the cache since it was listed: encode it after all
                it.cached = False
                prepare(it, classifier.backbone.preprocess, input_side(classifier.backbone))
    fresh = [it for it in items if it.tensor is not None]
    if fresh:
        t0 = time.perf_counter()
        emb = classifier.embed(torch.stack([it.tensor for it in fresh])).cpu().numpy()
        stats.encode_seconds += time.perf_counter() - t0
        if store is not None:
            store([it.key for it in fresh], emb)
        for it, row in zip(fresh, _score(classifier, emb)):
            it.probs, it.tensor = row, None
        stats.encoded += len(fresh)


def predict_in_batches(classifier, items: Sequence[ImageItem], *, batch_size: int = 32,
                       load: Callable[[ImageItem], ImageItem] | None = None,
                       lookup: Callable[[list], tuple[np.ndarray, np.ndarray]] | None = None,
                       store: Callable[[list, np.ndarray], None] | None = None,
                       on_batch: Callable[[list[ImageItem]], None] | None = None,
                       should_stop: StopHook | None = None, workers: int | None = None,
                       prefetch_batches: int = 2) -> LoopStats:
    """Score ``items`` in batches of ``batch_size``, in order; ``on_batch(items)`` after each batch.

    Args:
        load: runs on the decode pool for each item: fill ``tensor`` (or ``error``), or set
            ``cached`` (with ``key``) when ``lookup`` has its embedding. Default: :func:`prepare`.
        lookup: ``keys -> (embeddings [n, E], found [n])`` for cached items (an EmbeddingCache's get_many).
        store: ``(keys, embeddings)`` of freshly encoded items (an EmbeddingCache's put).
        on_batch: called on this thread with the batch's items, each with ``probs`` or ``error`` set.
        should_stop: checked before each batch; the batches done so far are kept.

    Exceptions from ``load``, the encoder or the hooks are raised here after the prefetch thread ended.
    """
    should_stop = should_stop or never_stop
    batch_size = max(1, int(batch_size))
    preprocess, side = classifier.backbone.preprocess, input_side(classifier.backbone)
    load = load or (lambda it: prepare(it, preprocess, side))
    stats = LoopStats()
    q: queue.Queue = queue.Queue(maxsize=max(1, prefetch_batches))
    stop = threading.Event()
    thread = threading.Thread(target=_producer, name="image-prefetch", daemon=True,
                              args=(list(items), load, batch_size, workers or default_workers(), q, stop))
    thread.start()
    try:
        while True:
            got = _next_batch(q, should_stop)
            if got is _STOPPED:
                stats.stopped = True
                break
            if got is None:
                break
            if isinstance(got, BaseException):
                raise got
            _run_batch(classifier, got, lookup, store, stats)
            if on_batch is not None:
                on_batch(got)
    finally:
        stop.set()
        while thread.is_alive():     # unblock a producer waiting on a full queue
            try:
                q.get(timeout=0.05)
            except queue.Empty:
                pass
        thread.join()
    return stats
