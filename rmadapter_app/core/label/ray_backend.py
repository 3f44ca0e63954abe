"""Labeling on a Ray cluster: Ray Data streams the images through a pool of model-holding actors.

The driver (this process) does everything a local run does except reading and encoding images:
it lists the files, answers what it can from the embedding cache, scores, and returns the same
:class:`~rmadapter_app.core.label.engine.LabelRun`, so planning, copying or moving, the journal and
the reports (``plan.py``, ``write.py``, ``reports.py``) run on it exactly as after a local run.
The cluster gets one Ray Data pipeline::

    rows (index, path)  ->  [read_on_driver: bytes + hash, pinned to this node; --ray-send-bytes only]
                        ->  ImageEncoder actors (read + hash, decode at the model's size, encode)
                        ->  back to the driver as (index, key, error, embedding), in any order

**Resume without reading.** The embedding cache is keyed by the hash of each file's bytes, and the
driver reads no image; the workers hash, and the driver remembers each answer by path, size and
times (:mod:`~rmadapter_app.core.label.hash_index`). Before submitting, the driver stats every listed
file: one whose stamp is unchanged and whose hash is in the cache is scored from the cache and never
sent. Finished embeddings go into the cache as they arrive, so a stopped or failed run resumes.

**Exactly once.** Every submitted file must come back exactly once (by its row index): Ray retries
the work of a lost worker, and the driver fails loudly on a row that comes back twice, on a row it
never sent, and on a row missing at the end.

**Stop** closes the stream (Ray Data cancels the rest) and keeps every row received so far.
"""
from __future__ import annotations

import logging
import math
import os
import queue
import threading
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch

from rmadapter_app.core.errors import RMAdapterError
from rmadapter_app.core.events import EventHook, LabelProgressEvent, StatusEvent, StopHook, never_stop, no_event
from rmadapter_app.core.label.cluster import RayOptions, WorkerPlan, connect, plan_workers, short_ray_error
from rmadapter_app.core.label.embedding_cache import EmbeddingCache, classifier_identity
from rmadapter_app.core.label.engine import PHASE, LabelRun, _list_sources, _report_cache, _Speed
from rmadapter_app.core.label.hash_index import HashIndex, stamp_of
from rmadapter_app.core.label.ray_worker import ImageEncoder, ModelRecipe, read_on_driver

logger = logging.getLogger(__name__)

MAX_BLOCKS = 2000          # input blocks (a block is one Ray task's share); larger runs get larger blocks
_END = object()


def _blocks(n: int, batch_size: int) -> int:
    """Rows per input block: one batch, or several when the run is large (at most MAX_BLOCKS blocks)."""
    per = max(batch_size, math.ceil(n / MAX_BLOCKS))
    return math.ceil(per / batch_size) * batch_size


def _build_dataset(ray, todo: list[int], paths: list[Path], recipe: ModelRecipe, plan: WorkerPlan,
                   options: RayOptions, batch_size: int):
    """The Ray Data pipeline for rows ``todo`` (see the module docstring); nothing runs until it is iterated."""
    import pyarrow as pa

    per = _blocks(len(todo), batch_size)
    tables = [pa.table({"index": pa.array(todo[s:s + per], pa.int64()),
                        "path": pa.array([str(paths[i]) for i in todo[s:s + per]], pa.string())})
              for s in range(0, len(todo), per)]
    ds = ray.data.from_arrow(tables)
    if options.send_bytes:
        here = f"node:{ray.util.get_node_ip_address()}"      # every Ray node has this resource (1.0)
        two_readers = ({"compute": ray.data.TaskPoolStrategy(size=2)} if hasattr(ray.data, "TaskPoolStrategy")
                       else {"concurrency": 2})                     # Ray < 2.51 has only ``concurrency``
        ds = ds.map_batches(read_on_driver, batch_size=batch_size, batch_format="numpy", num_cpus=0,
                            resources={here: 0.01}, **two_readers)
    return ds.map_batches(ImageEncoder, batch_size=batch_size, batch_format="numpy",
                          compute=ray.data.ActorPoolStrategy(size=plan.workers),
                          fn_constructor_kwargs={"recipe": recipe, "device": plan.device, "threads": plan.threads},
                          num_cpus=plan.cpus, num_gpus=plan.gpus or None)


def _consume(ds, out: queue.Queue, stop: threading.Event) -> None:
    """Iterate the dataset on a helper thread: each output block into ``out``, then _END (or the exception)."""
    it = None
    try:
        it = iter(ds.iter_batches(batch_size=None, batch_format="numpy", prefetch_batches=2))
        for batch in it:
            if stop.is_set():
                break
            out.put(batch)
    except BaseException as exc:  # handed to the driver thread, which raises it
        out.put(exc)
    finally:
        close = getattr(it, "close", None)
        if close is not None:
            try:
                close()           # shuts the streaming executor down: Ray Data cancels what is left
            except Exception:     # pragma: no cover - a closing failure must not hide the run's result
                logger.debug("closing the Ray Data iterator failed", exc_info=True)
        out.put(_END)


class _Driver:
    """The driver's side of one run: its rows, the cache, the hash index and progress."""

    def __init__(self, classifier, run: LabelRun, cache: EmbeddingCache, hashes: HashIndex, on_event: EventHook):
        self.classifier, self.run, self.cache, self.hashes, self.on_event = classifier, run, cache, hashes, on_event
        n = len(run)
        self.sent = np.zeros(n, dtype=bool)        # rows submitted to the cluster
        self.back = np.zeros(n, dtype=bool)        # rows the cluster answered
        self.stamps: list = [None] * n
        self.speed = _Speed()
        self.speed.add(time.perf_counter(), run.n_done)
        self.per_worker: Counter[str] = Counter()

    def _score(self, emb: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            return self.classifier.probabilities(torch.from_numpy(np.ascontiguousarray(emb))).cpu().numpy()

    def progress(self) -> None:
        run, n = self.run, len(self.run)
        done = run.n_done
        self.speed.add(time.perf_counter(), done)
        rate = self.speed.rate()
        self.on_event(LabelProgressEvent(PHASE, done, n, images_per_s=rate,
                                         eta_s=((n - done) / rate) if rate > 0 else None,
                                         errors=run.n_errors, cached=run.from_cache))

    def from_cache(self, todo: list[int], block: int = 4096) -> list[int]:
        """Score the rows whose unchanged files' hashes are cached; returns the rows left to send."""
        run = self.run
        for i in todo:
            self.stamps[i] = stamp_of(run.paths[i])
        known = self.hashes.lookup([(os.path.abspath(run.paths[i]), self.stamps[i]) for i in todo])
        rest = []
        for s in range(0, len(todo), block):
            rows, keys = todo[s:s + block], known[s:s + block]
            emb, found = self.cache.get_many(keys)
            hit = [r for r, f in zip(rows, found) if f]
            if hit:
                run.probs[hit] = self._score(emb[found])
                for r, k, f in zip(rows, keys, found):
                    if f:
                        run.keys[r], run.done[r] = k, True
                run.from_cache += len(hit)
                self.progress()
            rest += [r for r, f in zip(rows, found) if not f]
        return rest

    def record(self, batch: dict) -> None:
        """One block from the cluster: check its rows, cache and remember their hashes, score, report."""
        run = self.run
        index = np.asarray(batch["index"], dtype=np.int64)
        for i in index:
            if not (0 <= i < len(run)) or not self.sent[i]:
                raise RMAdapterError(f"The Ray cluster returned row {int(i)}, which this run never sent; "
                                     "labeling was stopped so that nothing is written from a mixed-up run.")
            if self.back[i]:
                raise RMAdapterError(f"The Ray cluster returned {run.paths[i]} twice; labeling was stopped so that "
                                     "no image is labeled twice. Run it again: finished images come from the cache.")
        self.back[index] = True
        keys = [str(k) for k in batch["key"]]
        errors = [str(e) for e in batch["error"]]
        good = [r for r, e in enumerate(errors) if not e]
        if good:
            emb = np.asarray(batch["embedding"], dtype=np.float32)[good]
            rows = index[good]
            good_keys = [keys[r] for r in good]
            self.cache.put(good_keys, emb)
            self.hashes.record((os.path.abspath(run.paths[i]), self.stamps[i], k) for i, k in zip(rows, good_keys))
            run.probs[rows] = self._score(emb)
            for i, k in zip(rows, good_keys):
                run.keys[i] = k
            run.encoded += len(good)
        for r, e in enumerate(errors):
            if e:
                run.errors[index[r]] = e
                run.keys[index[r]] = keys[r] or None
        run.done[index] = True
        self.per_worker.update(str(w) for w in batch["worker"])
        self.progress()

    def check_complete(self) -> None:
        missing = np.flatnonzero(self.sent & ~self.back)
        if len(missing):
            names = ", ".join(str(self.run.paths[i]) for i in missing[:3])
            raise RMAdapterError(f"The Ray cluster finished without answering for {len(missing)} of "
                                 f"{int(self.sent.sum())} images (e.g. {names}); nothing was written. Run it again: "
                                 "finished images come from the cache.")


def label_on_ray(classifier, sources: Sequence[Path | str], recipe: ModelRecipe, options: RayOptions | None = None,
                 *, recursive: bool = True, batch_size: int = 32, cache: EmbeddingCache | None = None,
                 hashes: HashIndex | None = None, on_event: EventHook | None = None,
                 should_stop: StopHook | None = None) -> LabelRun:
    """Label every image under ``sources`` on a Ray cluster; the same :class:`LabelRun` as ``run_labeling``.

    ``classifier`` is the driver's (it scores); ``recipe`` tells the workers how to build the same
    one (:meth:`ModelRecipe.of`). Stops when ``should_stop()`` is True and returns the rows received
    so far (``LabelRun.stopped``); their embeddings are already in the cache.

    Raises:
        RMAdapterError: no image files; Ray missing or no cluster at the address; a worker that could
            not build the model (the reason it gave); a row lost or returned twice.
        ValueError: ``cache`` or ``recipe`` belongs to another backbone or adapter.
    """
    options = options or RayOptions()
    on_event = on_event or no_event
    should_stop = should_stop or never_stop
    t_start = time.perf_counter()
    cache = cache if cache is not None else EmbeddingCache.for_classifier(classifier)
    identity = classifier_identity(classifier)
    if tuple(cache.identity) != tuple(identity) or tuple(recipe.identity) != tuple(identity):
        raise ValueError("the embedding cache or the workers' recipe belongs to another backbone or adapter")
    src_list = [Path(s) for s in sources]
    paths, errors = _list_sources(src_list, recursive)
    if not any(e is None for e in errors):
        detail = f" ({errors[0]})" if errors else ""
        raise RMAdapterError(f"No image files found in the given folders or files{detail}.")
    n, c = len(paths), len(classifier.class_names)
    run = LabelRun(src_list, paths, [None] * n, list(errors), np.array([e is not None for e in errors]),
                   np.full((n, c), np.nan, dtype=np.float32), list(classifier.class_names), identity, cache.folder)
    own_index = hashes is None
    hashes = hashes if hashes is not None else HashIndex()
    driver = _Driver(classifier, run, cache, hashes, on_event)
    _report_cache(cache, run, on_event)
    try:
        todo = driver.from_cache([i for i in range(n) if errors[i] is None])
        run.stats["from_hash_index"] = float(run.from_cache)
        if todo and not should_stop():
            _run_on_cluster(driver, todo, recipe, options, batch_size, on_event, should_stop)
        elif todo:
            run.stopped = True
    finally:
        cache.flush()
        _report_cache(cache, run, on_event)
        for text in hashes.take_warnings():
            run.warnings.append(text)
            on_event(StatusEvent(text, "warning"))
        if own_index:
            hashes.close()
    run.seconds = time.perf_counter() - t_start
    run.stats.update({"images_per_s": (run.n_done / run.seconds) if run.seconds else 0.0,
                      "workers_used": float(len(driver.per_worker))})
    return run


def _run_on_cluster(driver: _Driver, todo: list[int], recipe: ModelRecipe, options: RayOptions, batch_size: int,
                    on_event: EventHook, should_stop: StopHook) -> None:
    """Send ``todo`` through the cluster and record what comes back (the driver thread polls for Stop)."""
    run = driver.run
    address = connect(options.address)
    ray = __import__("ray")
    resources = ray.cluster_resources()
    plan = plan_workers(resources, options)
    nodes = sum(1 for nd in ray.nodes() if nd.get("Alive"))
    run.stats.update({"nodes": float(nodes), "workers": float(plan.workers), "cpus_per_worker": plan.cpus,
                      "gpus_per_worker": plan.gpus})
    on_event(StatusEvent(f"Labeling {len(todo)} images on the Ray cluster at {address}: {nodes} node(s), "
                         f"{plan.workers} worker(s) with {plan.cpus:g} CPU and {plan.gpus:g} GPU each"
                         + (f" ({run.from_cache} from the cache)" if run.from_cache else "")))
    driver.sent[todo] = True
    ds = _build_dataset(ray, todo, run.paths, recipe, plan, options, batch_size)
    out: queue.Queue = queue.Queue()
    stop = threading.Event()
    thread = threading.Thread(target=_consume, args=(ds, out, stop), name="ray-data-consumer", daemon=True)
    thread.start()
    try:
        while True:
            if should_stop():
                run.stopped = True
                return
            try:
                got = out.get(timeout=0.05)
            except queue.Empty:
                continue
            if got is _END:
                break
            if isinstance(got, BaseException):
                if isinstance(got, RMAdapterError):
                    raise got
                raise RMAdapterError(f"Labeling on the Ray cluster failed: {short_ray_error(got)}") from got
            driver.record(got)
        driver.check_complete()
    finally:
        stop.set()     # the consumer closes the stream at its next block; rows after this are not recorded
        thread.join(timeout=0.5 if run.stopped else 10.0)
