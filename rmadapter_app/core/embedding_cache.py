"""On-disk cache of adapted, L2-normalised image embeddings for labeling.

Embeddings are keyed by the image's content SHA-256 inside a namespace folder named for the
backbone identity (architecture + weights hash, or a hash of random weights) and the adapter
identity (a hash of its tensors and config, or ``zero-shot``). A new threshold, added or
renamed classes, or a resumed run then re-score without running the image encoder.

Layout under ``paths.cache_dir()/embeddings/<namespace>/``::

    meta.json                     identity, embedding width, format version (atomic)
    chunk-<id>.emb.npy            float32 [n, E] embeddings   (written first, atomically)
    chunk-<id>.keys.npy           uint8 [n, 32] content hashes (written last: marks the chunk complete)

Chunks are memory-mapped when read, so memory stays bounded for tens of thousands of images;
a chunk whose two files disagree (a crash between them) is ignored.
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
from typing import Any

import numpy as np
import torch

from . import paths
from .fileio import atomic_write, atomic_write_json

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1
ZERO_SHOT = "zero-shot"
_HASH_BYTES = 32


# ---------------------------------------------------------------------- identities
def _tensors_sha256(tensors: dict[str, Any]) -> str:
    h = hashlib.sha256()
    for name in sorted(tensors):
        t = tensors[name].detach().cpu().contiguous()
        h.update(name.encode())
        h.update(str(tuple(t.shape)).encode())
        h.update(str(t.dtype).encode())
        h.update(t.reshape(-1).view(torch.uint8).numpy().tobytes())
    return h.hexdigest()


def _frozen_visual_state(visual) -> dict[str, Any]:
    """The image tower's own tensors, with any attached adapters left out (same keys as unadapted)."""
    from .inject import AdaptedBlock

    wrapped = {f"transformer.resblocks.{i}." for i, blk in enumerate(visual.transformer.resblocks)
               if isinstance(blk, AdaptedBlock)}
    out = {}
    for name, tensor in visual.state_dict().items():
        prefix = next((w for w in wrapped if name.startswith(w)), None)
        if prefix is not None:
            rest = name[len(prefix):]
            if not rest.startswith("block."):
                continue                         # the adapter's own tensors
            name = prefix + rest[len("block."):]
        out[name] = tensor
    return out


def backbone_identity(backbone) -> str:
    """Name + image size + weights hash; for random weights, a hash of the image tower's tensors."""
    cached = getattr(backbone, "_rmadapter_identity", None)
    if cached:
        return cached
    info = backbone.info
    if info.weights_sha256:
        ident = f"{info.model_name}|{info.image_size}|{info.embed_dim}|{info.weights_sha256}"
    else:
        weights = _tensors_sha256(_frozen_visual_state(backbone.visual))
        ident = f"{info.model_name}|{info.image_size}|{info.embed_dim}|random:{weights}"
    try:
        backbone._rmadapter_identity = ident
    except AttributeError:  # a frozen stand-in: just recompute next time
        pass
    return ident


def adapter_identity(classifier) -> str:
    """``zero-shot``, or a hash of the adapter's inference tensors and its config."""
    if getattr(classifier, "zero_shot", False):
        return ZERO_SHOT
    adapters = classifier.handle.adapters
    cfg = json.dumps(adapters.cfg.to_dict(), sort_keys=True, default=str)
    return "adapter:" + hashlib.sha256((cfg + _tensors_sha256(adapters.inference_state_dict())).encode()).hexdigest()


def classifier_identity(classifier) -> tuple[str, str]:
    """(backbone identity, adapter identity) of a :class:`~.inference.Classifier`."""
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
    Call :meth:`flush` (or use as a context manager) so buffered rows reach the disk.
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
        self.dim: int | None = None
        self._open()

    @classmethod
    def for_classifier(cls, classifier, **kwargs) -> EmbeddingCache:
        """The cache for a classifier's backbone and adapter."""
        return cls(classifier_identity(classifier), **kwargs)

    # ------------------------------------------------------------------ opening
    def _open(self) -> None:
        meta_path = self.folder / "meta.json"
        meta = None
        if meta_path.exists():
            try:
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                meta = None
        if meta is not None and (meta.get("format_version") != FORMAT_VERSION
                                 or meta.get("backbone") != self.identity[0]
                                 or meta.get("adapter") != self.identity[1]):
            logger.warning("embedding cache %s does not match its identity; starting it afresh", self.folder)
            self.clear()
            meta = None
        if meta is not None:
            self.dim = meta.get("dim")
        for keys_file in sorted(self.folder.glob("chunk-*.keys.npy")):
            emb_file = keys_file.with_name(keys_file.name.replace(".keys.npy", ".emb.npy"))
            try:
                keys = np.load(keys_file, allow_pickle=False)
                emb = np.load(emb_file, mmap_mode="r", allow_pickle=False)
            except (OSError, ValueError) as exc:
                logger.warning("ignoring damaged embedding chunk %s: %s", keys_file.name, exc)
                continue
            if (keys.ndim != 2 or keys.shape[1] != _HASH_BYTES or emb.ndim != 2 or emb.shape[0] != keys.shape[0]
                    or (self.dim is not None and emb.shape[1] != self.dim)):
                logger.warning("ignoring inconsistent embedding chunk %s", keys_file.name)
                continue
            self.dim = int(emb.shape[1])
            number = len(self._chunks)
            self._chunks.append(emb_file)
            self._maps[number] = emb
            for row, key in enumerate(keys):
                self._index.setdefault(key.tobytes(), (number, row))

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
        """Add rows (already-known keys are ignored); flushes a full chunk to disk."""
        embeddings = np.asarray(embeddings, dtype=np.float32)
        if embeddings.ndim != 2 or embeddings.shape[0] != len(keys):
            raise ValueError("embeddings must be [len(keys), E]")
        with self._lock:
            if self.dim is None:
                self.dim = int(embeddings.shape[1])
                atomic_write_json(self.folder / "meta.json", {
                    "format_version": FORMAT_VERSION, "backbone": self.identity[0],
                    "adapter": self.identity[1], "dim": self.dim, "dtype": "float32"})
            elif embeddings.shape[1] != self.dim:
                raise ValueError(f"embedding width {embeddings.shape[1]} does not match the cache's {self.dim}")
            for key, row in zip(keys, embeddings):
                k = bytes.fromhex(key)
                if k in self._index or k in self._buf_pos:
                    continue
                self._buf_pos[k] = len(self._buf_keys)
                self._buf_keys.append(k)
                self._buf_rows.append(row.copy())
            if (len(self._buf_keys) >= self.chunk_rows
                    or (self._buf_keys and time.monotonic() - self._last_flush >= self.flush_seconds)):
                self.flush()

    def flush(self) -> None:
        """Write buffered rows as one new chunk (embeddings first, then the keys that validate it)."""
        with self._lock:
            self._last_flush = time.monotonic()
            if not self._buf_keys:
                return
            keys = np.frombuffer(b"".join(self._buf_keys), dtype=np.uint8).reshape(-1, _HASH_BYTES)
            emb = np.stack(self._buf_rows).astype(np.float32, copy=False)
            stem = f"chunk-{time.time_ns():016x}-{os.getpid()}"
            emb_file = self.folder / f"{stem}.emb.npy"
            keys_file = self.folder / f"{stem}.keys.npy"

            def _saver(arr):
                def write(tmp: Path) -> None:
                    with open(tmp, "wb") as fh:
                        np.save(fh, arr, allow_pickle=False)
                return write

            atomic_write(emb_file, _saver(emb))
            atomic_write(keys_file, _saver(keys))
            number = len(self._chunks)
            self._chunks.append(emb_file)
            self._maps[number] = np.load(emb_file, mmap_mode="r", allow_pickle=False)
            for row, k in enumerate(self._buf_keys):
                self._index[k] = (number, row)
            self._buf_keys, self._buf_rows, self._buf_pos = [], [], {}

    def close(self) -> None:
        self.flush()

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
