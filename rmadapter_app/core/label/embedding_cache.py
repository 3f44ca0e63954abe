"""On-disk cache of adapted, L2-normalised image embeddings for labeling.

Embeddings are keyed by the image's content SHA-256 inside a namespace folder named for the
backbone identity (architecture + weights hash, or a hash of random weights) and the adapter
identity (a hash of its tensors and config, or ``zero-shot``). A new threshold, added or
renamed classes, or a resumed run then re-score without running the image encoder.

Layout under ``paths.cache_dir()/embeddings/<namespace>/``::

    meta.json                     identity, embedding width, format version (atomic)
    chunk-<id>.emb.npy            float32 [n, E] embeddings   (written first, atomically)
    chunk-<id>.keys.npy           uint8 [n, 32] content hashes
    chunk-<id>.json               rows, width and SHA-256 of keys + rows (written last: the chunk is complete)

Damage is found once per chunk when the cache is opened (lookups cost nothing extra): a bad
meta.json starts the namespace afresh; a chunk with missing, cut-short, reshaped or non-.npy files,
or a checksum that differs (NaN written over it, rows shuffled), is deleted and its images are
encoded again; :meth:`EmbeddingCache.take_warnings` says so. The chunk file format and its safe
reader are :mod:`cache_chunks`. Chunks are memory-mapped, so memory stays bounded.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from rmadapter_app.core import paths
from rmadapter_app.core.errors import RMAdapterError
from rmadapter_app.core.fileio import atomic_write, atomic_write_json
from rmadapter_app.core.label import cache_chunks as chunks
from rmadapter_app.core.model.identity import tensors_sha256

logger = logging.getLogger(__name__)

FORMAT_VERSION = 2               # 2: a checksum per chunk (version-1 caches are started afresh)
ZERO_SHOT = "zero-shot"
_ORPHAN_SECONDS = 3600.0         # chunk files without a sidecar this old were left by a crash


# ---------------------------------------------------------------------- identities
def backbone_identity(backbone) -> str:
    """Name + image size + weights hash; for random weights, a hash of the image tower's tensors."""
    return backbone.identity()


def adapter_identity(classifier) -> str:
    """``zero-shot``, or a hash of the adapter's inference tensors and its config."""
    if classifier.is_zero_shot:
        return ZERO_SHOT
    adapters = classifier.handle.adapters
    cfg = json.dumps(adapters.cfg.to_dict(), sort_keys=True, default=str)
    return "adapter:" + hashlib.sha256((cfg + tensors_sha256(adapters.inference_state_dict())).encode()).hexdigest()


def classifier_identity(classifier) -> tuple[str, str]:
    """(backbone identity, adapter identity) of a :class:`~rmadapter_app.core.classifier.Classifier`."""
    return backbone_identity(classifier.backbone), adapter_identity(classifier)


def cache_root() -> Path:
    """Parent folder of every embedding namespace."""
    path = paths.cache_dir() / "embeddings"
    path.mkdir(parents=True, exist_ok=True)
    return path


# ---------------------------------------------------------------------- the cache
class EmbeddingCache:
    """Embeddings of one (backbone, adapter) pair, in chunk files under one folder.

    Thread-safe: a prefetch thread may ask :meth:`contains` while the model thread writes.
    Call :meth:`flush` (or use as a context manager) so buffered rows reach the disk. Damage
    dropped on opening, and a cache that cannot be written, are reported by :meth:`take_warnings`.
    """

    def __init__(self, identity: tuple[str, str], *, root: Path | None = None, chunk_rows: int = 1024,
                 flush_seconds: float = 30.0):
        self.identity = (str(identity[0]), str(identity[1]))
        ns = hashlib.sha256("\n".join(self.identity).encode()).hexdigest()[:32]
        self.folder = Path(root or cache_root()) / ns
        self.folder.mkdir(parents=True, exist_ok=True)
        self.chunk_rows = max(1, int(chunk_rows))
        self.flush_seconds = flush_seconds
        self._lock = threading.RLock()
        self._index: dict[bytes, tuple[int, int]] = {}
        self._chunks: list[Path] = []          # emb file per chunk number
        self._maps: dict[int, np.ndarray] = {}
        self._buf_keys: list[bytes] = []
        self._buf_rows: list[np.ndarray] = []
        self._buf_pos: dict[bytes, int] = {}
        self._last_flush = time.monotonic()
        self._damage: list[str] = []           # what was dropped, not yet reported
        self._write_error: str | None = None   # the first failed write; reported once
        self._write_reported = False
        self.dim: int | None = None
        self._open()

    @classmethod
    def for_classifier(cls, classifier, **kwargs) -> EmbeddingCache:
        """The cache for a classifier's backbone and adapter."""
        return cls(classifier_identity(classifier), **kwargs)

    # ------------------------------------------------------------------ opening
    def _damaged(self, what: str, why: str) -> None:
        logger.warning("embedding cache %s: %s %s; dropped, it is rebuilt", self.folder, what, why)
        self._damage.append(f"{what} {why}")

    def _open(self) -> None:
        meta_path = self.folder / "meta.json"
        complete, partial = chunks.chunk_stems(self.folder)
        if not os.path.lexists(meta_path):
            if complete:
                self._damaged("meta.json", "is missing")
                self.clear()
            return
        self.dim = self._read_meta(meta_path)
        if self.dim is None:
            self.clear()
            return
        for stem in complete:
            try:
                keys, emb = chunks.read_chunk(self.folder, stem, self.dim)
            except Exception as exc:  # any damage at all: the chunk goes, its images are encoded again
                self._damaged(stem, f"is damaged ({str(exc)[:120] or type(exc).__name__})")
                chunks.delete_chunk(self.folder, stem)
                continue
            number = len(self._chunks)
            self._chunks.append(self.folder / f"{stem}.emb.npy")
            self._maps[number] = emb
            for row, key in enumerate(keys):
                self._index.setdefault(key.tobytes(), (number, row))
        for stem in partial:          # a crash between a chunk's files (or another process writing one now)
            try:
                if all(time.time() - p.stat().st_mtime > _ORPHAN_SECONDS for p in self.folder.glob(f"{stem}.*")):
                    logger.info("embedding cache %s: removing %s, left incomplete by a crash", self.folder, stem)
                    chunks.delete_chunk(self.folder, stem)
            except OSError:
                continue

    def _read_meta(self, meta_path: Path) -> int | None:
        """The embedding width from meta.json, or None (after saying why) when it does not fit."""
        try:
            meta = chunks.read_small_json(meta_path)
        except Exception as exc:
            self._damaged("meta.json", f"cannot be read ({type(exc).__name__})")
            return None
        if not isinstance(meta, dict):
            self._damaged("meta.json", "is not a JSON object")
            return None
        version = meta.get("format_version")
        if type(version) is int and version != FORMAT_VERSION:
            logger.info("embedding cache %s has format %s; starting it afresh", self.folder, version)
            return None
        dim = chunks.int_in(meta.get("dim"), chunks.MAX_DIM)
        if (version != FORMAT_VERSION or meta.get("backbone") != self.identity[0]
                or meta.get("adapter") != self.identity[1] or meta.get("dtype") != "float32" or dim is None):
            self._damaged("meta.json", "does not match this backbone and adapter or is incomplete")
            return None
        return dim

    def take_warnings(self) -> list[str]:
        """Sentences about damage dropped (and writes that failed) since the last call; [] when none."""
        with self._lock:
            out = []
            if self._damage:
                shown = "; ".join(self._damage[:3]) + (f"; and {len(self._damage) - 3} more"
                                                       if len(self._damage) > 3 else "")
                out.append(f"The embedding cache in {self.folder} was damaged ({shown}). The damaged part was "
                           "dropped and is rebuilt: those images are encoded again.")
                self._damage = []
            if self._write_error and not self._write_reported:
                out.append(f"The embedding cache could not be written ({self._write_error}); labeling goes on, "
                           "but these embeddings are not kept for the next run.")
                self._write_reported = True
            return out

    # ------------------------------------------------------------------ queries
    def __len__(self) -> int:
        with self._lock:
            return len(self._index) + len(self._buf_keys)

    def contains(self, key: str) -> bool:
        k = bytes.fromhex(key)
        with self._lock:
            return k in self._index or k in self._buf_pos

    def get(self, key: str) -> np.ndarray | None:
        """One embedding (float32 [E]) or None."""
        emb, found = self.get_many([key])
        return emb[0] if found[0] else None

    def get_many(self, keys: Sequence[str | None]) -> tuple[np.ndarray, np.ndarray]:
        """Embeddings [n, E] (zeros where missing) and a boolean ``found`` mask [n]."""
        n = len(keys)
        with self._lock:
            dim = self.dim or 0
            out = np.zeros((n, dim), dtype=np.float32)
            found = np.zeros(n, dtype=bool)
            by_chunk: dict[int, tuple[list[int], list[int]]] = {}
            for i, key in enumerate(keys):
                if not key:
                    continue
                k = bytes.fromhex(key)
                hit = self._index.get(k)
                if hit is not None:
                    rows = by_chunk.setdefault(hit[0], ([], []))
                    rows[0].append(i)
                    rows[1].append(hit[1])
                    found[i] = True
                elif k in self._buf_pos:
                    out[i] = self._buf_rows[self._buf_pos[k]]
                    found[i] = True
            for number, (dst, src) in by_chunk.items():
                order = np.argsort(src)                      # sequential reads of the memory map
                out[np.asarray(dst)[order]] = self._maps[number][np.asarray(src)[order]]
        return out, found

    # ------------------------------------------------------------------ writes
    def put(self, keys: Sequence[str], embeddings: np.ndarray) -> None:
        """Add rows (already-known keys and rows with NaN or inf are left out); flushes a full chunk to disk.

        Raises:
            ValueError: ``embeddings`` is not [len(keys), E], or E differs from the rows already held.
        """
        embeddings = np.asarray(embeddings, dtype=np.float32)
        if embeddings.ndim != 2 or embeddings.shape[0] != len(keys) or not 0 < embeddings.shape[1] <= chunks.MAX_DIM:
            raise ValueError("embeddings must be [len(keys), E]")
        with self._lock:
            width = int(embeddings.shape[1])
            if width != self.dim:
                if self.dim is not None and (self._index or self._buf_keys):
                    raise ValueError(f"embedding width {width} does not match the cache's {self.dim}")
                self.dim = width           # a new namespace, or one whose meta.json was dropped as damaged
                self._write(lambda: atomic_write_json(self.folder / "meta.json", {
                    "format_version": FORMAT_VERSION, "backbone": self.identity[0],
                    "adapter": self.identity[1], "dim": self.dim, "dtype": "float32"}))
            finite = np.isfinite(embeddings).all(axis=1)
            for key, row, ok in zip(keys, embeddings, finite):
                k = bytes.fromhex(key)
                if not ok or k in self._index or k in self._buf_pos:
                    continue
                self._buf_pos[k] = len(self._buf_keys)
                self._buf_keys.append(k)
                self._buf_rows.append(row.copy())
            if (len(self._buf_keys) >= self.chunk_rows
                    or (self._buf_keys and time.monotonic() - self._last_flush >= self.flush_seconds)):
                self.flush()

    def _write(self, action) -> bool:
        """Run a write; a failure (read-only folder, full disk) is kept for take_warnings, not raised."""
        try:
            action()
            return True
        except RMAdapterError as exc:
            logger.warning("embedding cache %s not written: %s", self.folder, exc)
            self._write_error = str(exc)
            self._buf_keys, self._buf_rows, self._buf_pos = [], [], {}
            return False

    def flush(self) -> None:
        """Write buffered rows as one new chunk: embeddings, keys, then the record with their checksum."""
        with self._lock:
            self._last_flush = time.monotonic()
            if self._write_error:  # writing failed once: rows are not kept (memory stays bounded)
                self._buf_keys, self._buf_rows, self._buf_pos = [], [], {}
            if not self._buf_keys:
                return
            stem, keys, emb, record = chunks.new_chunk(self._buf_keys, self._buf_rows)
            emb_file = self.folder / f"{stem}.emb.npy"
            if not self._write(lambda: (atomic_write(emb_file, chunks.npy_writer(emb)),
                                        atomic_write(self.folder / f"{stem}.keys.npy", chunks.npy_writer(keys)),
                                        atomic_write_json(self.folder / f"{stem}.json", record))):
                return
            number = len(self._chunks)
            self._chunks.append(emb_file)
            self._maps[number] = np.load(emb_file, mmap_mode="r", allow_pickle=False)
            for row, k in enumerate(self._buf_keys):
                self._index[k] = (number, row)
            self._buf_keys, self._buf_rows, self._buf_pos = [], [], {}

    close = flush

    def __enter__(self) -> EmbeddingCache:
        return self

    def __exit__(self, *exc) -> None:
        self.flush()

    # ------------------------------------------------------------------ housekeeping
    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.folder.glob("chunk-*") if p.is_file())

    def clear(self) -> None:
        """Delete this namespace's files (the cache is rebuilt as images are labeled again)."""
        with self._lock:
            self._maps.clear()
            self._index.clear()
            self._chunks.clear()
            self._buf_keys, self._buf_rows, self._buf_pos = [], [], {}
            self.dim = None
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder.mkdir(parents=True, exist_ok=True)
