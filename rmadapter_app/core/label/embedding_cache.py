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
encoded again; :meth:`EmbeddingCache.take_warnings` says so. Nothing is unpickled; no number read
from a file sizes an allocation unchecked. Chunks are memory-mapped, so memory stays bounded.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import stat
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch

from rmadapter_app.core import paths
from rmadapter_app.core.errors import RMAdapterError
from rmadapter_app.core.fileio import atomic_write, atomic_write_json

logger = logging.getLogger(__name__)

FORMAT_VERSION = 2               # 2: a checksum per chunk (version-1 caches are started afresh)
ZERO_SHOT = "zero-shot"
MAX_DIM = 1 << 16                # no CLIP embedding is wider
_HASH_BYTES = 32
_MAX_JSON_BYTES = 1 << 16        # meta.json and chunk sidecars are a few hundred bytes
_ORPHAN_SECONDS = 3600.0         # chunk files without a sidecar this old were left by a crash
_F32, _U8 = np.dtype("<f4"), np.dtype("|u1")
_VERIFIED: set[tuple] = set()   # chunk files (path, size, mtime, inode) verified by this process: a
#                                 cache opened again (each rescore) does not hash its embeddings again


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
    from rmadapter_app.core.model.inject import AdaptedBlock

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


# ---------------------------------------------------------------------- reading files safely
def _regular_file(path: Path) -> os.stat_result:
    """Stat of a plain file (not a link, FIFO or device: opening one could block or read elsewhere)."""
    st = os.lstat(path)
    if not stat.S_ISREG(st.st_mode):
        raise ValueError("not a regular file")
    return st


def _read_small_json(path: Path) -> Any:
    if _regular_file(path).st_size > _MAX_JSON_BYTES:
        raise ValueError("far too large")
    return json.loads(path.read_bytes().decode("utf-8"))


def _int_in(value: Any, high: int) -> int | None:
    return value if type(value) is int and 0 < value <= high else None


def _npy_offset(fh, dtype: np.dtype, shape: tuple[int, int]) -> int:
    """Where the data starts in an open .npy file holding exactly ``shape`` of ``dtype``.

    Reads the header only (no pickle, no allocation from its numbers). Raises ValueError otherwise.
    """
    version = np.lib.format.read_magic(fh)
    if version == (1, 0):
        got_shape, fortran, got_dtype = np.lib.format.read_array_header_1_0(fh)
    elif version == (2, 0):
        got_shape, fortran, got_dtype = np.lib.format.read_array_header_2_0(fh)
    else:
        raise ValueError(f".npy version {version} is not one this app writes")
    if got_dtype != dtype or fortran or tuple(got_shape) != shape:
        raise ValueError(f"holds {got_dtype} {tuple(got_shape)}, expected {dtype} {shape}")
    offset = fh.tell()
    if os.fstat(fh.fileno()).st_size != offset + shape[0] * shape[1] * dtype.itemsize:
        raise ValueError("its size does not match its header (cut short or padded)")
    return offset


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

    def _stems(self) -> tuple[list[str], list[str]]:
        """Chunk stems with a sidecar (complete), and stems with data files only."""
        complete, partial = set(), set()
        for entry in os.scandir(self.folder):
            name = entry.name
            if name.startswith("chunk-") and name.endswith(".json"):
                complete.add(name[:-len(".json")])
            elif name.startswith("chunk-") and name.endswith((".emb.npy", ".keys.npy")):
                partial.add(name.rsplit(".", 2)[0])
        return sorted(complete), sorted(partial - complete)

    def _open(self) -> None:
        meta_path = self.folder / "meta.json"
        complete, partial = self._stems()
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
                keys, emb = self._read_chunk(stem)
            except Exception as exc:  # any damage at all: the chunk goes, its images are encoded again
                self._damaged(stem, f"is damaged ({str(exc)[:120] or type(exc).__name__})")
                self._delete(stem)
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
                    self._delete(stem)
            except OSError:
                continue

    def _read_meta(self, meta_path: Path) -> int | None:
        """The embedding width from meta.json, or None (after saying why) when it does not fit."""
        try:
            meta = _read_small_json(meta_path)
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
        dim = _int_in(meta.get("dim"), MAX_DIM)
        if (version != FORMAT_VERSION or meta.get("backbone") != self.identity[0]
                or meta.get("adapter") != self.identity[1] or meta.get("dtype") != "float32" or dim is None):
            self._damaged("meta.json", "does not match this backbone and adapter or is incomplete")
            return None
        return dim

    def _read_chunk(self, stem: str) -> tuple[np.ndarray, np.ndarray]:
        """(keys [n, 32], memory-mapped embeddings [n, E]) of a chunk whose checksum matches; raises otherwise."""
        info = _read_small_json(self.folder / f"{stem}.json")
        info = info if isinstance(info, dict) else {}
        rows, dim, digest = _int_in(info.get("rows"), 1 << 40), _int_in(info.get("dim"), MAX_DIM), info.get("sha256")
        if rows is None or dim is None or not isinstance(digest, str):
            raise ValueError("its record is incomplete")
        if dim != self.dim:
            raise ValueError(f"its width is {dim}, the cache's is {self.dim}")
        keys_path, emb_path = self.folder / f"{stem}.keys.npy", self.folder / f"{stem}.emb.npy"
        stamp = (str(emb_path), digest) + tuple((st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev)
                                                for st in (_regular_file(keys_path), _regular_file(emb_path)))
        with open(keys_path, "rb") as fh:
            _npy_offset(fh, _U8, (rows, _HASH_BYTES))
            raw = fh.read(rows * _HASH_BYTES)          # the size was checked against the file's
        with open(emb_path, "rb") as fh:
            offset = _npy_offset(fh, _F32, (rows, dim))
            if stamp not in _VERIFIED:
                h = hashlib.sha256(raw)
                for block in iter(lambda: fh.read(1 << 20), b""):
                    h.update(block)
                if h.hexdigest() != digest:
                    raise ValueError("its checksum does not match (changed after it was written)")
                _VERIFIED.add(stamp)
        keys = np.frombuffer(raw, dtype=np.uint8).reshape(rows, _HASH_BYTES)
        return keys, np.memmap(emb_path, dtype=_F32, mode="r", offset=offset, shape=(rows, dim))

    def _delete(self, stem: str) -> None:
        for suffix in (".json", ".keys.npy", ".emb.npy"):      # the sidecar first: never a half-valid chunk
            try:
                (self.folder / f"{stem}{suffix}").unlink(missing_ok=True)
            except OSError as exc:
                logger.warning("could not remove %s%s from the embedding cache: %s", stem, suffix, exc)

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
        if embeddings.ndim != 2 or embeddings.shape[0] != len(keys) or not 0 < embeddings.shape[1] <= MAX_DIM:
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
            keys = np.frombuffer(b"".join(self._buf_keys), dtype=np.uint8).reshape(-1, _HASH_BYTES)
            emb = np.ascontiguousarray(np.stack(self._buf_rows), dtype=_F32)
            digest = hashlib.sha256(keys.tobytes())
            digest.update(emb.tobytes())
            stem = f"chunk-{time.time_ns():016x}-{os.getpid()}"
            emb_file = self.folder / f"{stem}.emb.npy"

            def _saver(arr):
                def write(tmp: Path) -> None:
                    with open(tmp, "wb") as fh:
                        np.save(fh, arr, allow_pickle=False)
                return write

            if not self._write(lambda: (atomic_write(emb_file, _saver(emb)),
                                        atomic_write(self.folder / f"{stem}.keys.npy", _saver(keys)),
                                        atomic_write_json(self.folder / f"{stem}.json", {
                                            "rows": len(keys), "dim": int(emb.shape[1]),
                                            "sha256": digest.hexdigest()}))):
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
