"""Model configs and weights files the user picks: checked before anything is built or read.

Memory cases run under ``alloc_guard`` (a tensor factory asked for more than 200 MB raises a
BaseException that no ``except Exception`` in the app can swallow), so a regression fails fast.
"""
from __future__ import annotations

import json
import math
import os
import pickle
import stat
import zipfile

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from rmadapter_app.core.model import backbone as B
from rmadapter_app.core.model.backbone import load_backbone
from rmadapter_app.core.errors import BackboneUnavailableError, RMAdapterError, UnsupportedBackboneError
from tests.conftest import TINY_CONFIG

MAX_ELEMENTS = 50_000_000
KNOWN_COUNTS = {"ViT-B-32": 151_277_313, "ViT-B-16": 149_620_737, "ViT-L-14": 427_616_513}


class BigAllocation(BaseException):
    """A tensor factory was asked for more memory than any test here should need."""


@pytest.fixture
def alloc_guard(monkeypatch):
    total = [0]

    def guard(fn):
        def guarded(*size, **kw):
            shape = size[0] if len(size) == 1 and isinstance(size[0], (tuple, list, torch.Size)) else size
            if all(isinstance(s, int) for s in shape):
                n = math.prod(shape)
                total[0] += n
                if n > MAX_ELEMENTS or total[0] > 4 * MAX_ELEMENTS:
                    raise BigAllocation(f"asked for a tensor of {n:,} elements ({total[0]:,} so far)")
            return fn(*size, **kw)
        return guarded

    for name in ("empty", "zeros", "ones", "rand", "randn"):
        monkeypatch.setattr(torch, name, guard(getattr(torch, name)))
    return total


def _config(tmp_path, cfg, name="custom-vit"):
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(cfg) if not isinstance(cfg, str) else cfg)
    return path


def _one_sentence(exc_info):
    msg = str(exc_info.value)
    assert "\n" not in msg and len(msg) < 500 and "Traceback" not in msg
    return msg


def _meta_count(model_name):
    import open_clip
    with torch.device("meta"):
        model = open_clip.create_model(model_name, pretrained=None, device="meta")
    return sum(p.numel() for p in model.parameters())


# ----------------------------------------------------------------------------- parameter estimate
@pytest.mark.parametrize("name", ["ViT-B-32", "ViT-B-16", "ViT-L-14", "ViT-bigG-14", "tiny", "toy", "odd"])
def test_parameter_estimate_is_close_to_open_clip(name, tmp_path):
    import open_clip

    from rmadapter_app.testing.toyclip import toy_model_config
    local = {"tiny": TINY_CONFIG, "toy": toy_model_config(),
             "odd": {"embed_dim": 24, "quick_gelu": True,
                     "vision_cfg": {"image_size": [48, 32], "layers": 3, "width": 40, "patch_size": 8,
                                    "head_width": 20, "mlp_ratio": 2.5},
                     "text_cfg": {"context_length": 20, "vocab_size": 1000, "width": 24, "heads": 3, "layers": 2}}}
    if name in local:
        cfg = local[name]
        model_name = B.register_model_config(_config(tmp_path, cfg, f"est-{name}"))
    else:
        cfg, model_name = open_clip.get_model_config(name), name
    real = _meta_count(model_name)           # built on the meta device: no memory is used
    estimate = B.estimate_parameters(cfg)
    assert abs(estimate - real) / real < 0.02, (estimate, real)
    if name in KNOWN_COUNTS:
        assert real == KNOWN_COUNTS[name]
        assert abs(estimate - KNOWN_COUNTS[name]) / KNOWN_COUNTS[name] < 0.2


# ----------------------------------------------------------------------------- bug 8: absurd sizes
def test_an_absurd_model_config_is_refused_before_allocating(tmp_path, alloc_guard, monkeypatch):
    monkeypatch.setattr(B, "available_memory", lambda: 512 << 30)   # even a big machine says no
    cfg = {"embed_dim": 1024,
           "vision_cfg": {"image_size": 224, "layers": 24, "width": 8192, "patch_size": 14},
           "text_cfg": {"context_length": 77, "vocab_size": 49408, "width": 8192, "heads": 64, "layers": 24}}
    with pytest.raises(UnsupportedBackboneError, match="parameters") as info:
        load_backbone(model_config=_config(tmp_path, cfg, "absurd"))
    assert "absurd" in _one_sentence(info)
    assert alloc_guard[0] < 1_000_000


def test_a_model_that_does_not_fit_in_available_memory_is_refused_first(tmp_path, alloc_guard, monkeypatch):
    monkeypatch.setattr(B, "available_memory", lambda: 1 << 30)     # 1 GB free
    with pytest.raises(UnsupportedBackboneError, match="memory") as info:
        load_backbone("ViT-L-14")                                   # ~428M parameters = 1.7 GB in fp32
    msg = _one_sentence(info)
    assert "ViT-L-14" in msg and "GB" in msg
    cfg = dict(TINY_CONFIG, vision_cfg=dict(TINY_CONFIG["vision_cfg"], width=4096, head_width=64, layers=12))
    with pytest.raises(UnsupportedBackboneError, match="memory"):
        load_backbone(model_config=_config(tmp_path, cfg, "wide"))
    assert alloc_guard[0] < 1_000_000
    monkeypatch.setattr(B, "available_memory", lambda: 64 << 30)
    B.check_model_memory(B.model_config_of("ViT-L-14"), "ViT-L-14")    # fits: no error
    monkeypatch.setattr(B, "available_memory", lambda: None)       # unknown: never refuse for memory
    B.check_model_memory(B.model_config_of("ViT-L-14"), "ViT-L-14")


def test_available_memory_is_a_positive_number_here():
    mem = B.available_memory()
    assert mem is None or (isinstance(mem, int) and mem > 0)


# ----------------------------------------------------------------------------- config shape and types
def _bad_configs():
    v, t = TINY_CONFIG["vision_cfg"], TINY_CONFIG["text_cfg"]
    return {
        "a list": ([1, 2], "object"),
        "null": (None, "object"),
        "a number": (7, "object"),
        "text": ('"ViT"', "object"),
        "vision not an object": (dict(TINY_CONFIG, vision_cfg=[1]), "vision_cfg"),
        "negative width": (dict(TINY_CONFIG, vision_cfg=dict(v, width=-32)), "vision_cfg.width"),
        "zero layers": (dict(TINY_CONFIG, text_cfg=dict(t, layers=0)), "text_cfg.layers"),
        "fractional width": (dict(TINY_CONFIG, vision_cfg=dict(v, width=32.5)), "vision_cfg.width"),
        "text width": (dict(TINY_CONFIG, text_cfg=dict(t, width="32")), "text_cfg.width"),
        "bool layers": (dict(TINY_CONFIG, vision_cfg=dict(v, layers=True)), "vision_cfg.layers"),
        "huge embed": (dict(TINY_CONFIG, embed_dim=10**30), "embed_dim"),
        "missing embed": ({k: x for k, x in TINY_CONFIG.items() if k != "embed_dim"}, "embed_dim"),
        "missing width": (dict(TINY_CONFIG, vision_cfg={k: x for k, x in v.items() if k != "width"}),
                          "vision_cfg.width"),
        "missing heads": (dict(TINY_CONFIG, text_cfg={k: x for k, x in t.items() if k != "heads"}),
                          "text_cfg.heads"),
        "heads do not divide": (dict(TINY_CONFIG, text_cfg=dict(t, heads=5)), "heads"),
        "head width does not divide": (dict(TINY_CONFIG, vision_cfg=dict(v, head_width=7)), "head_width"),
        "patch larger than image": (dict(TINY_CONFIG, vision_cfg=dict(v, patch_size=64)), "patch_size"),
        "too many patches": (dict(TINY_CONFIG, vision_cfg=dict(v, image_size=4096, patch_size=1)), "patches"),
        "nan mlp ratio": (dict(TINY_CONFIG, vision_cfg=dict(v, mlp_ratio=float("nan"))), "mlp_ratio"),
        "deep": ("[" * 100_000 + "]" * 100_000, "nested|read"),
        "not json": ("{embed_dim: 3", "read"),
    }


@pytest.mark.parametrize("case", list(_bad_configs()))
def test_a_malformed_model_config_gets_one_sentence(tmp_path, alloc_guard, case):
    cfg, words = _bad_configs()[case]
    with pytest.raises(UnsupportedBackboneError, match=words) as info:
        load_backbone(model_config=_config(tmp_path, cfg, "bad"))
    assert "bad" in _one_sentence(info)


def test_a_huge_model_config_file_is_not_read(tmp_path, monkeypatch):
    path = tmp_path / "huge.json"
    with open(path, "wb") as fh:
        fh.write(b'{"embed_dim": 1, ')
        fh.truncate(500_000_000)                                    # sparse: no disk used
    for method in ("read_text", "read_bytes", "open"):
        real = getattr(type(path), method)

        def guarded(self, *a, _real=real, **k):
            assert self != path, "read the whole file"
            return _real(self, *a, **k)
        monkeypatch.setattr(type(path), method, guarded)
    with pytest.raises(UnsupportedBackboneError, match="MB|KB|bytes") as info:
        load_backbone(model_config=path)
    _one_sentence(info)


def test_resnet_and_timm_and_hf_towers_are_refused_by_name(tmp_path):
    v, t = TINY_CONFIG["vision_cfg"], TINY_CONFIG["text_cfg"]
    for cfg in (dict(TINY_CONFIG, vision_cfg=dict(v, layers=[1, 1, 1, 1])),
                dict(TINY_CONFIG, vision_cfg={"timm_model_name": "convnext_base", "image_size": 224}),
                dict(TINY_CONFIG, text_cfg={"hf_model_name": "roberta-base"})):
        with pytest.raises(UnsupportedBackboneError, match="ViT|text tower|not supported") as info:
            load_backbone(model_config=_config(tmp_path, cfg, "other-tower"))
        _one_sentence(info)


@given(section=st.sampled_from(["vision_cfg", "text_cfg", None]), data=st.data(),
       value=st.none() | st.booleans() | st.integers(-(10**20), 10**20) | st.floats() | st.text(max_size=5)
       | st.lists(st.integers(-2, 100), max_size=4) | st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))
def test_fuzz_model_config_fields(section, data, value):
    cfg = json.loads(json.dumps(TINY_CONFIG))
    target = cfg[section] if section else cfg
    key = data.draw(st.sampled_from(sorted(target) + ["mlp_ratio", "head_width", "extra"]))
    target[key] = value
    try:
        checked = B.check_model_config(cfg, "fuzz")
    except RMAdapterError:
        return
    assert 0 < B.estimate_parameters(checked) < 10**13


# ----------------------------------------------------------------------------- weights files
def _tiny_state(tiny_backbone):
    return {k: v.contiguous() for k, v in tiny_backbone.model.state_dict().items()}


def test_the_weights_hash_is_cached_in_the_app_cache_never_beside_the_file(tmp_path, tiny_config, tiny_backbone,
                                                                           monkeypatch):
    from safetensors.torch import save_file

    from rmadapter_app.core import fileio, paths
    folder = tmp_path / "users-folder"
    folder.mkdir()
    save_file(_tiny_state(tiny_backbone), str(folder / "mine.safetensors"))
    torch.save(_tiny_state(tiny_backbone), folder / "mine.bin")
    before = sorted(os.listdir(folder))
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)                       # read-only (root can still write)
    calls = []
    real = fileio.sha256_of_file
    monkeypatch.setattr(fileio, "sha256_of_file", lambda p: calls.append(p) or real(p))
    try:
        first = load_backbone(model_config=tiny_config, weights=folder / "mine.safetensors")
        again = load_backbone(model_config=tiny_config, weights=folder / "mine.safetensors")
        load_backbone(model_config=tiny_config, weights=folder / "mine.bin")
    finally:
        folder.chmod(stat.S_IRWXU)
    assert sorted(os.listdir(folder)) == before
    assert first.info.weights_sha256 == again.info.weights_sha256 and len(calls) == 2   # cached once per file
    assert any(paths.cache_dir().rglob("*.json"))
    os.utime(folder / "mine.safetensors", ns=(1, 1))                # changed mtime: hashed again
    load_backbone(model_config=tiny_config, weights=folder / "mine.safetensors")
    assert len(calls) == 3


def test_bad_weights_files_get_one_sentence_and_are_not_read_whole(tmp_path, tiny_config, tiny_backbone,
                                                                   alloc_guard):
    from safetensors.torch import save_file
    state = _tiny_state(tiny_backbone)
    cases = {}
    for suffix in (".bin", ".safetensors", ".pt"):                   # 3 GB of garbage, sparse on disk
        path = tmp_path / f"huge{suffix}"
        with open(path, "wb") as fh:
            fh.write(os.urandom(64))
            fh.truncate(3 * 10**9)
        cases[path] = "GB|larger"
    claims = tmp_path / "claims.safetensors"                         # header length claims 2 GB
    claims.write_bytes((2 * 10**9).to_bytes(8, "little") + b"{}" + b"\0" * 100)
    cases[claims] = "damaged|truncated"
    save_file(state, str(tmp_path / "ok.safetensors"))
    raw = (tmp_path / "ok.safetensors").read_bytes()
    (tmp_path / "cut.safetensors").write_bytes(raw[: len(raw) // 2])
    cases[tmp_path / "cut.safetensors"] = "damaged|truncated"
    torch.save(state, tmp_path / "ok.bin")
    raw = (tmp_path / "ok.bin").read_bytes()
    (tmp_path / "cut.bin").write_bytes(raw[: len(raw) // 2])
    cases[tmp_path / "cut.bin"] = "damaged|truncated"
    with open(tmp_path / "plain.pkl", "wb") as fh:
        pickle.dump({"visual.proj": [1, 2, 3]}, fh)
    cases[tmp_path / "plain.pkl"] = "never loaded, for safety|damaged"
    (tmp_path / "empty.bin").write_bytes(b"")
    cases[tmp_path / "empty.bin"] = "empty"
    import numpy as np
    np.savez(tmp_path / "big_vision.npz", a=np.zeros(3))
    cases[tmp_path / "big_vision.npz"] = "safetensors|PyTorch"
    with zipfile.ZipFile(tmp_path / "zip.bin", "w") as zf:
        zf.writestr("archive/data.pkl", b"garbage")
    cases[tmp_path / "zip.bin"] = "damaged|truncated|never loaded"
    for path, words in cases.items():
        with pytest.raises(BackboneUnavailableError, match=words) as info:
            load_backbone(model_config=tiny_config, weights=path)
        assert path.name in _one_sentence(info), path


def test_checkpoints_are_only_read_with_safetensors_or_weights_only():
    from pathlib import Path

    import rmadapter_app
    root = Path(rmadapter_app.__file__).parent
    for source in root.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert "pickle.load" not in text and "load_checkpoint(" not in text, source
        for i, line in enumerate(text.splitlines()):
            if "torch.load(" in line:
                assert "weights_only=True" in line, f"{source}:{i + 1}"
            assert "allow_pickle=True" not in line, f"{source}:{i + 1}"
