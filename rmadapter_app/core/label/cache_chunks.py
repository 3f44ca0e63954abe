"""The embedding cache's chunk files: their names, reading one safely, and what writing one produces.

A chunk ``chunk-<id>`` is three files in the cache's namespace folder::

    chunk-<id>.emb.npy     float32 [n, E] embeddings
    chunk-<id>.keys.npy    uint8 [n, 32] content hashes (SHA-256 digests)
    chunk-<id>.json        {"rows": n, "dim": E, "sha256": hash of keys + rows}, written last

Reading checks every ``.npy`` header against the sidecar and the file's real size before any data
is read (nothing is unpickled; no number from a file sizes an allocation unchecked), then the
checksum once per chunk: a process remembers the chunks it verified by path, size, mtime and
inode, so reopening a cache (each re-score) does not hash its embeddings again.
:class:`~rmadapter_app.core.label.embedding_cache.EmbeddingCache` does the writing (atomically).
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import stat
import time
from pathlib import Path
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)

MAX_DIM = 1 << 16                # no CLIP embedding is wider
HASH_BYTES = 32
F32, U8 = np.dtype("<f4"), np.dtype("|u1")
_MAX_JSON_BYTES = 1 << 16        # meta.json and chunk sidecars are a few hundred bytes
_VERIFIED: set[tuple] = set()    # chunk files (path, size, mtime, inode) verified by this process


def regular_file(path: Path) -> os.stat_result:
    """Stat of a plain file (not a link, FIFO or device: opening one could block or read elsewhere)."""
    st = os.lstat(path)
    if not stat.S_ISREG(st.st_mode):
        raise ValueError("not a regular file")
    return st


def read_small_json(path: Path) -> Any:
    """A small JSON file (meta.json, a sidecar); raises ValueError/OSError when it is not one."""
    if regular_file(path).st_size > _MAX_JSON_BYTES:
        raise ValueError("far too large")
    return json.loads(path.read_bytes().decode("utf-8"))


def int_in(value: Any, high: int) -> int | None:
    """``value`` when it is a whole number in 1..high (not a bool), else None."""
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


def chunk_stems(folder: Path) -> tuple[list[str], list[str]]:
    """Chunk stems with a sidecar (complete), and stems with data files only (a crash, or a write now)."""
    complete, partial = set(), set()
    for entry in os.scandir(folder):
        name = entry.name
        if name.startswith("chunk-") and name.endswith(".json"):
            complete.add(name[:-len(".json")])
        elif name.startswith("chunk-") and name.endswith((".emb.npy", ".keys.npy")):
            partial.add(name.rsplit(".", 2)[0])
    return sorted(complete), sorted(partial - complete)


def read_chunk(folder: Path, stem: str, dim: int) -> tuple[np.ndarray, np.ndarray]:
    """(keys [n, 32], memory-mapped embeddings [n, E]) of a chunk whose checksum matches.

    Raises:
        ValueError, OSError: anything wrong with the chunk (the caller drops it).
    """
    info = read_small_json(folder / f"{stem}.json")
    info = info if isinstance(info, dict) else {}
    rows, width, digest = int_in(info.get("rows"), 1 << 40), int_in(info.get("dim"), MAX_DIM), info.get("sha256")
    if rows is None or width is None or not isinstance(digest, str):
        raise ValueError("its record is incomplete")
    if width != dim:
        raise ValueError(f"its width is {width}, the cache's is {dim}")
    keys_path, emb_path = folder / f"{stem}.keys.npy", folder / f"{stem}.emb.npy"
    stamp = (str(emb_path), digest) + tuple((st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev)
                                            for st in (regular_file(keys_path), regular_file(emb_path)))
    with open(keys_path, "rb") as fh:
        _npy_offset(fh, U8, (rows, HASH_BYTES))
        raw = fh.read(rows * HASH_BYTES)          # the size was checked against the file's
    with open(emb_path, "rb") as fh:
        offset = _npy_offset(fh, F32, (rows, width))
        if stamp not in _VERIFIED:
            h = hashlib.sha256(raw)
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
            if h.hexdigest() != digest:
                raise ValueError("its checksum does not match (changed after it was written)")
            _VERIFIED.add(stamp)
    keys = np.frombuffer(raw, dtype=np.uint8).reshape(rows, HASH_BYTES)
    return keys, np.memmap(emb_path, dtype=F32, mode="r", offset=offset, shape=(rows, width))


def delete_chunk(folder: Path, stem: str) -> None:
    """Remove a chunk's files, the sidecar first (never a half-valid chunk); failures are logged."""
    for suffix in (".json", ".keys.npy", ".emb.npy"):
        try:
            (folder / f"{stem}{suffix}").unlink(missing_ok=True)
        except OSError as exc:
            logger.warning("could not remove %s%s from the embedding cache: %s", stem, suffix, exc)


def new_chunk(keys: list[bytes], rows: list[np.ndarray]) -> tuple[str, np.ndarray, np.ndarray, dict[str, Any]]:
    """(stem, keys array, embeddings array, sidecar record) of a chunk about to be written."""
    keys_arr = np.frombuffer(b"".join(keys), dtype=np.uint8).reshape(-1, HASH_BYTES)
    emb = np.ascontiguousarray(np.stack(rows), dtype=F32)
    digest = hashlib.sha256(keys_arr.tobytes())
    digest.update(emb.tobytes())
    stem = f"chunk-{time.time_ns():016x}-{os.getpid()}"
    return stem, keys_arr, emb, {"rows": len(keys_arr), "dim": int(emb.shape[1]), "sha256": digest.hexdigest()}


def npy_writer(arr: np.ndarray):
    """A ``writer(tmp_path)`` for ``fileio.atomic_write`` that saves ``arr`` as .npy (no pickle)."""
    def write(tmp: Path) -> None:
        with open(tmp, "wb") as fh:
            np.save(fh, arr, allow_pickle=False)
    return write
