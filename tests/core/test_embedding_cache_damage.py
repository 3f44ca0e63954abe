"""A damaged embedding cache is found, dropped and rebuilt, with a warning; it never breaks a run or lies."""
from __future__ import annotations

import itertools
import json
import pickle
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rmadapter_app.core.label.embedding_cache import EmbeddingCache
from rmadapter_app.core.events import StatusEvent
from rmadapter_app.core.classifier import Classifier
from rmadapter_app.core.label.engine import run_labeling
from tests.conftest import write_color_tree

CLASSES = ["red", "green", "blue"]
N_IMAGES, CHUNK = 12, 4          # three chunks of four rows


@pytest.fixture
def no_unpickling(monkeypatch) -> list[str]:
    """Records (and refuses) every unpickling: the cache must never reach pickle."""
    calls: list[str] = []

    def refuse(*_a, **_k):
        calls.append("pickle")
        raise RuntimeError("unpickling attempted")
    monkeypatch.setattr(pickle, "load", refuse)
    monkeypatch.setattr(pickle, "loads", refuse)
    return calls


@pytest.fixture
def clf(tiny_backbone):
    with Classifier(tiny_backbone, None, CLASSES) as c:
        yield c


def _label(clf, tree, root, events=None):
    cache = EmbeddingCache.for_classifier(clf, root=root, chunk_rows=CHUNK)
    return run_labeling(clf, [tree], batch_size=CHUNK, cache=cache, on_event=(events.append if events is not None
                                                                                else None))


def _warnings(events) -> list[str]:
    return [e.text for e in events if isinstance(e, StatusEvent) and e.level == "warning"]


def _victim(folder: Path) -> tuple[Path, Path]:
    emb = sorted(folder.glob("chunk-*.emb.npy"))[0]
    return emb, emb.with_name(emb.name.replace(".emb.npy", ".keys.npy"))


def _meta_garbage(folder):
    (folder / "meta.json").write_bytes(b"\x00{garbage")


def _meta_wrong_width(folder):
    meta = json.loads((folder / "meta.json").read_text())
    meta["dim"] = 64
    (folder / "meta.json").write_text(json.dumps(meta))


def _chunk_wrong_width(folder):
    np.save(_victim(folder)[0], np.zeros((CHUNK, 16), np.float32))


def _chunk_empty(folder):
    _victim(folder)[0].write_bytes(b"")


def _chunk_zero_rows(folder):
    emb, keys = _victim(folder)
    np.save(emb, np.zeros((0, 32), np.float32))
    np.save(keys, np.zeros((0, 32), np.uint8))


def _chunk_nan(folder):
    np.save(_victim(folder)[0], np.full((CHUNK, 32), np.nan, np.float32))


def _chunk_shuffled(folder):
    emb = _victim(folder)[0]
    rows = np.load(emb)
    np.save(emb, rows[[1, 0, 3, 2]])


def _chunk_half_written(folder):
    emb = _victim(folder)[0]
    data = emb.read_bytes()
    emb.write_bytes(data[: len(data) // 2])


def _chunk_not_npy(folder):
    _victim(folder)[0].write_bytes(bytes(range(256)) * 3)


def _chunk_pickle(folder):
    np.save(_victim(folder)[0], np.array([{"rows": 1}, None, 3, "x"], dtype=object), allow_pickle=True)


def _chunk_missing(folder):
    _victim(folder)[0].unlink()


def _keys_missing(folder):
    _victim(folder)[1].unlink()


DAMAGE = {  # name: (damage, images encoded again)
    "meta_garbage": (_meta_garbage, N_IMAGES), "meta_wrong_width": (_meta_wrong_width, N_IMAGES),
    "chunk_wrong_width": (_chunk_wrong_width, CHUNK), "chunk_empty": (_chunk_empty, CHUNK),
    "chunk_zero_rows": (_chunk_zero_rows, CHUNK), "chunk_nan": (_chunk_nan, CHUNK),
    "chunk_shuffled": (_chunk_shuffled, CHUNK), "chunk_half_written": (_chunk_half_written, CHUNK),
    "chunk_not_npy": (_chunk_not_npy, CHUNK), "chunk_pickle": (_chunk_pickle, CHUNK),
    "chunk_missing": (_chunk_missing, CHUNK), "keys_missing": (_keys_missing, CHUNK),
}


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_damaged_cache_is_dropped_rebuilt_and_reported(clf, tmp_path, kind, no_unpickling):
    damage, redo = DAMAGE[kind]
    tree = write_color_tree(tmp_path / "imgs", per_class=N_IMAGES // 3)
    root = tmp_path / "cache"
    clean = _label(clf, tree, root)
    assert clean.encoded == N_IMAGES and not np.isnan(clean.probs).any()
    folder = clean.cache_folder
    assert len(list(folder.glob("chunk-*.emb.npy"))) == N_IMAGES // CHUNK
    damage(folder)

    events: list = []
    rebuilt = _label(clf, tree, root, events)                   # (a) no exception
    np.testing.assert_allclose(rebuilt.probs, clean.probs, atol=1e-5)   # (b) the same labels
    assert rebuilt.n_errors == 0 and rebuilt.encoded == redo and rebuilt.from_cache == N_IMAGES - redo
    said = _warnings(events)                                    # (c) said so
    assert len(said) == 1 and "damaged" in said[0] and "rebuilt" in said[0], said
    assert said == rebuilt.warnings

    events.clear()
    again = _label(clf, tree, root, events)                     # (d) the cache works again
    assert again.encoded == 0 and again.from_cache == N_IMAGES and not _warnings(events)
    np.testing.assert_allclose(again.probs, clean.probs, atol=1e-5)
    assert no_unpickling == []


# ---------------------------------------------------------------------- the reader alone, fuzzed
IDENT = ("bb", "ad")
DIM = 8
_counter = itertools.count()


def _keys(n: int, start: int = 0) -> list[str]:
    return [f"{i:064x}" for i in range(start, start + n)]


def _rows(n: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=(n, DIM)).astype(np.float32)


def _fresh_root(tmp_path: Path) -> Path:
    return tmp_path / f"root{next(_counter)}"


def _valid_cache(root: Path) -> EmbeddingCache:
    cache = EmbeddingCache(IDENT, root=root, chunk_rows=5)
    cache.put(_keys(5), _rows(10)[:5])         # two chunks of five
    cache.put(_keys(5, 5), _rows(10)[5:])
    return cache


def _still_works(root: Path) -> None:
    """Opening and reading never raise; after a put the cache holds the new rows."""
    cache = EmbeddingCache(IDENT, root=root, chunk_rows=5)
    len(cache)
    cache.get_many(_keys(12) + [None])
    cache.put(_keys(3, 100), _rows(3, 1))
    cache.flush()
    got, found = EmbeddingCache(IDENT, root=root).get_many(_keys(3, 100))
    assert found.all()
    np.testing.assert_array_equal(got, _rows(3, 1))


_json = st.recursive(st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats() | st.text(max_size=8),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                    max_size=4), max_leaves=12)
_meta = st.fixed_dictionaries({
    "format_version": st.sampled_from([1, 2, 3, "2", None, 2**64]), "backbone": st.sampled_from(["bb", "x", 0]),
    "adapter": st.sampled_from(["ad", None]), "dim": st.one_of(st.integers(-3, 2**63), st.floats(), st.text()),
    "dtype": st.sampled_from(["float32", "float64", "O"])}) | _json
_doc = _meta.map(lambda d: json.dumps(d).encode()) | st.binary(max_size=300)
_valid_meta = st.just(json.dumps({"format_version": 2, "backbone": "bb", "adapter": "ad", "dim": DIM,
                                  "dtype": "float32"}).encode())
_sidecar = st.fixed_dictionaries({"rows": st.integers(-1, 2**45) | st.sampled_from([1, 2]),
                                  "dim": st.integers(-1, 2**20) | st.just(DIM),
                                  "sha256": st.text(max_size=64)}).map(lambda d: json.dumps(d).encode())


def _npy_bytes(descr: str, shape: tuple, tail: bytes) -> bytes:
    """A .npy header (any dtype and shape) followed by ``tail``, however short or long."""
    header = repr({"descr": descr, "fortran_order": False, "shape": shape}).encode()
    header = header.ljust(118 - 10) + b"\n"
    return b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header + tail


_npy = st.builds(_npy_bytes, st.sampled_from(["<f4", "|u1", "|O", ">f4", "<f8"]),
                 st.tuples(st.integers(0, 2**40) | st.sampled_from([1, 2]), st.sampled_from([DIM, 32, 0, 2**40])),
                 st.binary(max_size=600))


_fixtures_ok = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # fresh root per example


@_fixtures_ok
@given(meta=_valid_meta | _doc, chunks=st.lists(st.tuples(st.sampled_from([".emb.npy", ".keys.npy", ".json"]),
                                                           _sidecar | _npy | _doc), max_size=6))
def test_fuzz_random_meta_and_chunk_files_never_break_the_cache(tmp_path, no_unpickling, meta, chunks):
    root = _fresh_root(tmp_path)
    folder = EmbeddingCache(IDENT, root=root).folder
    (folder / "meta.json").write_bytes(meta)
    for i, (suffix, data) in enumerate(chunks):
        (folder / f"chunk-{i % 2:016x}-1{suffix}").write_bytes(data)       # two stems, files overwritten
    tracemalloc.start()
    try:
        _still_works(root)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 32 * 2**20 and no_unpickling == []


@_fixtures_ok
@given(which=st.integers(0, 10**6), where=st.integers(0, 10**6), xor=st.integers(1, 255))
def test_fuzz_a_flipped_byte_never_gives_a_wrong_row(tmp_path, no_unpickling, which, where, xor):
    root = _fresh_root(tmp_path)
    folder = _valid_cache(root).folder
    files = sorted(p for p in folder.iterdir() if p.is_file())
    victim = files[which % len(files)]
    data = bytearray(victim.read_bytes())
    data[where % len(data)] ^= xor
    victim.write_bytes(bytes(data))
    got, found = EmbeddingCache(IDENT, root=root).get_many(_keys(10))
    if found.any():
        np.testing.assert_array_equal(got[found], _rows(10)[found])     # what is found is right
    _still_works(root)
    assert no_unpickling == []


def test_numbers_in_the_files_never_size_an_allocation(tmp_path, no_unpickling):
    root = tmp_path / "root"
    folder = _valid_cache(root).folder
    meta = json.loads((folder / "meta.json").read_text())
    (folder / "meta.json").write_text(json.dumps({**meta, "dim": 10**12}))
    tracemalloc.start()
    try:
        _still_works(root)
        for side in sorted(folder.glob("chunk-*.json")):          # a chunk that claims to be enormous
            info = json.loads(side.read_text())
            side.write_text(json.dumps({**info, "rows": 10**12, "dim": 10**9}))
        header = b"\x93NUMPY\x01\x00" + b"{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000000, 8), }"
        for emb in folder.glob("chunk-*.emb.npy"):
            emb.write_bytes(header.ljust(118) + b"\n" + b"\0" * 64)
        cache = EmbeddingCache(IDENT, root=root)
        cache.get_many(_keys(3, 100))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 32 * 2**20 and no_unpickling == []


def test_lookups_do_not_rehash_and_stay_fast(tmp_path, monkeypatch):
    import hashlib

    root = tmp_path / "root"
    cache = EmbeddingCache(IDENT, root=root, chunk_rows=64)
    cache.put(_keys(640), np.random.default_rng(0).normal(size=(640, DIM)).astype(np.float32))
    cache.flush()
    opened = EmbeddingCache(IDENT, root=root)
    calls = []
    real = hashlib.sha256
    monkeypatch.setattr(hashlib, "sha256", lambda *a, **k: calls.append(1) or real(*a, **k))
    for _ in range(3):
        got, found = opened.get_many(_keys(640))
        assert found.all()
    assert calls == []                                          # checksums are verified once, at open


def test_a_chunk_changed_after_a_verified_open_is_caught_on_the_next_open(tmp_path):
    import os

    root = tmp_path / "root"
    folder = _valid_cache(root).folder
    assert len(EmbeddingCache(IDENT, root=root)) == 10          # verified (and remembered) once
    emb = sorted(folder.glob("chunk-*.emb.npy"))[0]
    before = emb.stat().st_mtime_ns
    np.save(emb, np.load(emb)[::-1])                            # rows shuffled in place, same size
    os.utime(emb, ns=(before + 10**9, before + 10**9))          # a later mtime even on coarse clocks
    reopened = EmbeddingCache(IDENT, root=root)
    assert len(reopened) == 5 and "damaged" in reopened.take_warnings()[0]


def test_a_cache_that_cannot_be_written_is_a_warning_not_a_failed_run(clf, tmp_path, monkeypatch):
    from rmadapter_app.core.label import embedding_cache
    from rmadapter_app.core.errors import RMAdapterError

    def refuse(path, *_a, **_k):
        raise RMAdapterError(f"Could not write {path}: No space left on device.")
    monkeypatch.setattr(embedding_cache, "atomic_write", refuse)
    monkeypatch.setattr(embedding_cache, "atomic_write_json", refuse)
    tree = write_color_tree(tmp_path / "imgs", per_class=N_IMAGES // 3)
    events: list = []
    run = _label(clf, tree, tmp_path / "cache", events)
    assert run.n_done == N_IMAGES and run.n_errors == 0 and not np.isnan(run.probs).any()
    said = _warnings(events)
    assert len(said) == 1 and "could not be written" in said[0] and "No space left" in said[0]


def test_a_row_gone_from_the_cache_mid_run_is_encoded_not_an_error(clf, tmp_path):
    tree = write_color_tree(tmp_path / "imgs", per_class=N_IMAGES // 3)
    root = tmp_path / "cache"
    clean = _label(clf, tree, root)
    cache = EmbeddingCache.for_classifier(clf, root=root, chunk_rows=CHUNK)
    real = cache.get_many
    cache.get_many = lambda keys: (lambda got: (got[0], np.zeros_like(got[1])))(real(keys))   # all vanished
    run = run_labeling(clf, [tree], batch_size=CHUNK, cache=cache)
    assert run.n_errors == 0 and run.encoded == N_IMAGES
    np.testing.assert_allclose(run.probs, clean.probs, atol=1e-5)


def test_rescore_from_a_damaged_cache_leaves_those_rows_undone_and_says_so(clf, tmp_path):
    from rmadapter_app.core.label.engine import rescore

    tree = write_color_tree(tmp_path / "imgs", per_class=N_IMAGES // 3)
    run = _label(clf, tree, tmp_path / "cache")
    _chunk_shuffled(run.cache_folder)
    again = rescore(run, clf)
    assert again.n_done == N_IMAGES - CHUNK and len(again.warnings) == 1 and "damaged" in again.warnings[0]
    np.testing.assert_allclose(again.probs[again.done], run.probs[again.done], atol=1e-5)
