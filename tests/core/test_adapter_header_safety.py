"""Adapter files of the wrong shape or size: one AdapterFileError, before anything is built.

Every case that could eat memory runs under ``alloc_guard``: a torch tensor factory asked for more
than a few hundred MB (or many small ones adding up to that) raises ``BigAllocation``, a
BaseException no ``except Exception`` in the app can swallow, so a regression fails fast instead
of swapping the machine.
"""
from __future__ import annotations

import json
import math
import struct

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from rmadapter_app.core.model.adapter import AdapterSet
from rmadapter_app.core.model.adapter_file import load_adapter, read_adapter_header, save_adapter
from rmadapter_app.core.model.backbone import BackboneInfo
from rmadapter_app.core.config import AdapterConfig
from rmadapter_app.core.errors import AdapterFileError, RMAdapterError

TINY_INFO = BackboneInfo("tiny-vit", None, None, 32, 4, 32, 4, 32, 32)
MAX_ELEMENTS = 50_000_000          # 200 MB of fp32 in one tensor, or in all of them together


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
                if n > MAX_ELEMENTS or total[0] > MAX_ELEMENTS:
                    raise BigAllocation(f"asked for a tensor of {n:,} elements ({total[0]:,} so far)")
            return fn(*size, **kw)
        return guarded

    for name in ("empty", "zeros", "ones", "rand", "randn"):
        monkeypatch.setattr(torch, name, guard(getattr(torch, name)))
    return total


# ----------------------------------------------------------------------------- helpers
def _valid(path, n_classes=3, cfg=None, info=TINY_INFO, train=None):
    torch.manual_seed(0)
    cfg = cfg or AdapterConfig().resolve_layers(info.vision_layers, info.text_layers)
    state = AdapterSet(cfg, info.vision_width, info.text_width).inference_state_dict()
    names = [f"class {i}" for i in range(n_classes)]
    return save_adapter(path, state=state, adapter_config=cfg, backbone=info, class_names=names,
                        prompts=[f"a photo of a {n}." for n in names],
                        train=train if train is not None else {"template": "a photo of a {}.",
                                                               "metrics": {"val_accuracy": 0.5}})


def _split(path):
    raw = path.read_bytes()
    n = struct.unpack("<Q", raw[:8])[0]
    return json.loads(raw[8:8 + n]), raw[8 + n:]


def _write(path, header, data=b""):
    body = json.dumps(header).encode()
    body += b" " * (-len(body) % 8)
    path.write_bytes(struct.pack("<Q", len(body)) + body + data)
    return path


def _rewrite(src, dst, **fields):
    """Copy an adapter file, replacing metadata fields (dict/list values are JSON-encoded)."""
    header, data = _split(src)
    for key, value in fields.items():
        key = "rmadapter." + key
        header["__metadata__"][key] = value if isinstance(value, str) else json.dumps(value)
    return _write(dst, header, data)


def _meta(src):
    header, _ = _split(src)
    return {k.removeprefix("rmadapter."): (json.loads(v) if k.startswith("rmadapter.") and v[:1] in "{[" else v)
            for k, v in header["__metadata__"].items()}


@pytest.fixture
def good(tmp_path):
    return _valid(tmp_path / "good.rmadapter.safetensors")


def _refused(path, match=None):
    """Both readers refuse the file with one plain sentence."""
    for reader in (read_adapter_header, load_adapter):
        with pytest.raises(AdapterFileError, match=match) as info:
            reader(path)
        msg = str(info.value)
        assert "\n" not in msg and len(msg) < 400 and "Traceback" not in msg
    return msg


# ----------------------------------------------------------------------------- the reported bugs
def test_deeply_nested_metadata_is_refused(good, tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    for field in ("train", "backbone", "classes", "adapter_config"):
        _refused(_rewrite(good, tmp_path / f"{field}.safetensors", **{field: deep}))
    train = _meta(good)["train"]
    nested: object = 1
    for _ in range(200):
        nested = {"x": nested}
    train["extra"] = nested
    _refused(_rewrite(good, tmp_path / "deep-dict.safetensors", train=train))
    header, data = _split(good)                       # deep nesting in the raw safetensors header itself
    header["deep"] = json.loads("[" * 500 + "]" * 500)
    _refused(_write(tmp_path / "raw.safetensors", header, data))


def test_a_list_where_an_object_belongs_is_refused(good, tmp_path):
    meta = _meta(good)
    for field in ("backbone", "adapter_config", "classes", "train"):
        _refused(_rewrite(good, tmp_path / f"{field}.safetensors", **{field: [1, 2, 3]}))
    _refused(_rewrite(good, tmp_path / "names.safetensors", classes={"names": {"a": 1}, "prompts": ["x"]}))
    _refused(_rewrite(good, tmp_path / "metrics.safetensors", train={**meta["train"], "metrics": [0.5]}))
    _refused(_rewrite(good, tmp_path / "acc.safetensors", train={**meta["train"], "metrics": {"val_accuracy": "x"}}))
    header, data = _split(good)
    header["__metadata__"] = ["not", "an", "object"]
    _refused(_write(tmp_path / "meta-list.safetensors", header, data))
    _refused(_write(tmp_path / "header-list.safetensors", [1, 2], data))


def test_class_names_that_are_numbers_or_null_are_refused(good, tmp_path):
    for names in ([1, 2, 3], [None, "b", "c"], ["a", 2.5, "c"], ["a", ["b"], "c"], ["", "b", "c"]):
        _refused(_rewrite(good, tmp_path / "n.safetensors", classes={"names": names, "prompts": ["x", "y", "z"]}),
                 match="class")
    _refused(_rewrite(good, tmp_path / "p.safetensors", classes={"names": ["a", "b", "c"], "prompts": [1, None, 3]}),
             match="prompt")
    _refused(_rewrite(good, tmp_path / "len.safetensors", classes={"names": ["a", "b", "c"], "prompts": ["x"]}))
    _refused(_rewrite(good, tmp_path / "none.safetensors", classes={"names": [], "prompts": []}))


def test_a_template_with_two_fields_is_refused_before_an_extra_class_uses_it(good, tmp_path, tiny_backbone):
    from rmadapter_app.core.classifier import Classifier
    meta = _meta(good)
    for template in ("a {} of {}", "{0} and {1}", "a {name}", "{:>1000000000}", "{!r}", "no field", "{", 3, None):
        bad = _rewrite(good, tmp_path / "t.safetensors", train={**meta["train"], "template": template})
        _refused(bad, match="template")
        with pytest.raises(AdapterFileError, match="template"):
            Classifier.from_adapter_file(bad, backbone=tiny_backbone, extra_classes=["purple"])
    ok = _rewrite(good, tmp_path / "ok.safetensors", train={**meta["train"], "template": "{0}, a kind of {{thing}}"})
    assert read_adapter_header(ok).train["template"] == "{0}, a kind of {{thing}}"


def test_two_hundred_thousand_adapter_layers_are_refused_before_building(good, tmp_path, alloc_guard):
    cfg = _meta(good)["adapter_config"]
    cfg["vision_layers"] = list(range(200_000))
    _refused(_rewrite(good, tmp_path / "layers.safetensors", adapter_config=cfg), match="layer")
    cfg = _meta(good)["adapter_config"]
    cfg["text_layers"] = [0, 1, 7]                   # past the tower's 4 blocks
    _refused(_rewrite(good, tmp_path / "past.safetensors", adapter_config=cfg), match="layer")
    backbone = _meta(good)["backbone"]
    backbone["vision_layers"] = 200_000              # a tower deeper than any there is
    _refused(_rewrite(good, tmp_path / "deep.safetensors", backbone=backbone))
    assert alloc_guard[0] < 1_000_000


def test_a_huge_reconstruction_width_or_bottleneck_is_refused_before_allocating(good, tmp_path, alloc_guard):
    for key, value in (("recon_hidden", 10**9), ("recon_hidden", 0), ("recon_hidden", -5),
                       ("bottleneck", 10**9), ("bottleneck", 10**30), ("bottleneck", 33.5), ("bottleneck", True)):
        cfg = {**_meta(good)["adapter_config"], key: value}
        _refused(_rewrite(good, tmp_path / "wide.safetensors", adapter_config=cfg), match=key)
    for key in ("vision_width", "text_width"):
        backbone = {**_meta(good)["backbone"], key: 10**9}
        _refused(_rewrite(good, tmp_path / "bb.safetensors", backbone=backbone), match=key)
    assert alloc_guard[0] < 1_000_000


def test_a_hundred_thousand_class_names_are_refused(good, tmp_path):
    names = [f"c{i}" for i in range(100_000)]
    _refused(_rewrite(good, tmp_path / "many.safetensors", classes={"names": names, "prompts": names}),
             match="classes")
    long = ["x" * 100_000, "b", "c"]
    _refused(_rewrite(good, tmp_path / "long.safetensors", classes={"names": long, "prompts": long}),
             match="characters")


def test_generous_limits_fit_real_use(tmp_path):
    from rmadapter_app.core import config as C
    from rmadapter_app.core.model.adapter_file import check_header
    assert C.MAX_CLASSES >= 2000 and C.MAX_CLASS_NAME_CHARS >= 200 and C.MAX_TOWER_LAYERS >= 48
    names = [f"{i} " + "n" * (C.MAX_CLASS_NAME_CHARS - 8) for i in range(C.MAX_CLASSES)]
    torch.manual_seed(0)
    cfg = AdapterConfig().resolve_layers(4, 4)
    path = save_adapter(tmp_path / "many.safetensors", state=AdapterSet(cfg, 32, 32).inference_state_dict(),
                        adapter_config=cfg, backbone=TINY_INFO, class_names=names,
                        prompts=[f"a photo of a {n}, which is a kind of thing." for n in names],
                        train={"template": "a photo of a {}.", "metrics": {"val_accuracy": None}})
    assert len(load_adapter(path, TINY_INFO)[0].class_names) == C.MAX_CLASSES
    # the biggest open_clip ViT with adapters in every block, as wide as the towers (header schema only)
    info = BackboneInfo("ViT-bigG-14", "laion2b_s39b_b160k", "a" * 64, 1664, 48, 1280, 32, 1280, 224)
    cfg = AdapterConfig(bottleneck=1280, recon_hidden=1664, vision_layers=tuple(range(48)),
                        text_layers=tuple(range(32)))
    meta = {"format": "pt", "rmadapter.format_version": "1",
            "rmadapter.backbone": json.dumps(info.to_dict()),
            "rmadapter.adapter_config": json.dumps(cfg.to_dict()),
            "rmadapter.classes": json.dumps({"names": names[:10], "prompts": names[:10]})}
    header = check_header(meta, 1)
    assert header.adapter_config == cfg and header.backbone == info


def test_a_header_length_claiming_gigabytes_is_refused_without_reading(tmp_path, monkeypatch):
    path = tmp_path / "claims.rmadapter.safetensors"
    path.write_bytes(struct.pack("<Q", 3 * 10**9) + b"{}")
    _refused(path, match="header")
    sparse = tmp_path / "sparse.rmadapter.safetensors"   # the file really is that long (sparse, all zeros)
    with open(sparse, "wb") as fh:
        fh.write(struct.pack("<Q", 60_000_000))
        fh.truncate(60_000_100)
    import builtins
    real_open = builtins.open
    reads = []

    class Spy:
        def __init__(self, fh):
            self.fh = fh

        def read(self, n=-1):
            reads.append(n)
            return self.fh.read(n)

        def __getattr__(self, name):
            return getattr(self.fh, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

    monkeypatch.setattr(builtins, "open", lambda f, *a, **k: Spy(real_open(f, *a, **k)) if str(f) == str(sparse)
                        else real_open(f, *a, **k))
    _refused(sparse, match="header")
    assert reads and all(0 <= n <= 8 for n in reads)


def test_tensors_must_match_the_metadata(good, tmp_path):
    header, data = _split(good)
    name = sorted(k for k in header if k != "__metadata__")[0]
    h = json.loads(json.dumps(header))
    h[name]["dtype"] = "I32"                          # same byte size as F32, wrong type
    with pytest.raises(AdapterFileError, match="dtype"):
        load_adapter(_write(tmp_path / "dtype.safetensors", h, data))
    h = json.loads(json.dumps(header))
    h[name]["shape"] = list(reversed(h[name]["shape"])) + [1]
    with pytest.raises(AdapterFileError):
        load_adapter(_write(tmp_path / "shape.safetensors", h, data))
    h = json.loads(json.dumps(header))
    h["visual.layer99.down.weight"] = h.pop(name)
    with pytest.raises(AdapterFileError, match="unexpected|missing"):
        load_adapter(_write(tmp_path / "names.safetensors", h, data))
    begin, end = header[name]["data_offsets"]          # a NaN inside a real tensor
    nan = bytearray(data)
    nan[begin:begin + 4] = struct.pack("<f", float("nan"))
    with pytest.raises(AdapterFileError, match="NaN"):
        load_adapter(_write(tmp_path / "nan.safetensors", header, bytes(nan)))
    h = json.loads(json.dumps(header))
    h[name]["data_offsets"] = [begin, end + 10**12]  # points far past the end of the file
    with pytest.raises(AdapterFileError):
        load_adapter(_write(tmp_path / "offsets.safetensors", h, data))


def test_expected_shapes_are_those_of_a_real_adapter_set():
    from rmadapter_app.core.model.adapter_file import expected_tensor_shapes
    for cfg, vw, tw in ((AdapterConfig().resolve_layers(4, 4), 32, 32),
                        (AdapterConfig(bottleneck=8, recon_hidden=5).resolve_layers(12, 6), 48, 24),
                        (AdapterConfig(vision_layers=(0, 3, 5), text_layers=(1,)), 16, 40)):
        real = {k: tuple(v.shape) for k, v in AdapterSet(cfg, vw, tw).inference_state_dict().items()}
        assert expected_tensor_shapes(cfg, vw, tw) == real


def test_the_round_trip_still_works(good):
    header, adapters = load_adapter(good, TINY_INFO)
    assert header.class_names == ["class 0", "class 1", "class 2"] and header.backbone == TINY_INFO
    assert set(adapters.inference_state_dict()) == set(k for k in _split(good)[0] if k != "__metadata__")


# ----------------------------------------------------------------------------- property / fuzz tests
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=30)

FIELDS = {"backbone": list(TINY_INFO.to_dict()),
          "adapter_config": list(AdapterConfig().to_dict()),
          "classes": ["names", "prompts"],
          "train": ["template", "metrics", "config", "stopped_early"]}


def _outcome(path):
    """Loading either works or raises RMAdapterError; anything else fails the test."""
    try:
        read_adapter_header(path)
        load_adapter(path)
    except RMAdapterError:
        pass


@given(key=st.sampled_from(["format_version", *FIELDS, "app_version", "created", "unknown"]),
       value=json_values, encode=st.booleans())
def test_fuzz_any_json_in_any_metadata_field(tmp_path, alloc_guard, key, value, encode):
    good = tmp_path / "good.safetensors"
    if not good.exists():
        _valid(good)
    try:
        text = json.dumps(value) if encode else str(value)
    except ValueError:
        text = str(value)
    _outcome(_rewrite(good, tmp_path / "fuzz.safetensors", **{key: text}))


@given(field=st.sampled_from(sorted(FIELDS)), data=st.data(),
       value=json_values | st.integers(min_value=2**31, max_value=10**40) | st.integers(-10, 300)
       | st.lists(st.integers(-3, 10**6), max_size=50) | st.just("[" * 5000 + "]" * 5000))
def test_fuzz_random_types_in_each_known_field(tmp_path, alloc_guard, field, data, value):
    good = tmp_path / "good.safetensors"
    if not good.exists():
        _valid(good)
    content = _meta(good)[field]
    content[data.draw(st.sampled_from(FIELDS[field]))] = value
    _outcome(_rewrite(good, tmp_path / "fuzz.safetensors", **{field: content}))


@given(blob=st.binary(max_size=2000) | st.builds(lambda n, rest: struct.pack("<Q", n) + rest,
                                                 st.integers(0, 2**64 - 1), st.binary(max_size=200)))
def test_fuzz_random_bytes_as_a_whole_file(tmp_path, alloc_guard, blob):
    path = tmp_path / "random.safetensors"
    path.write_bytes(blob)
    _outcome(path)


@given(flips=st.lists(st.tuples(st.integers(0, 4000) | st.integers(0, 10**6), st.integers(0, 255)), max_size=8),
       cut=st.none() | st.integers(0, 10**6))
def test_fuzz_byte_flips_and_truncation_of_a_valid_file(tmp_path, alloc_guard, flips, cut):
    good = tmp_path / "good.safetensors"
    if not good.exists():
        _valid(good)
    raw = bytearray(good.read_bytes())
    for pos, byte in flips:
        raw[pos % len(raw)] = byte
    if cut is not None:
        raw = raw[:cut % (len(raw) + 1)]
    path = tmp_path / "flipped.safetensors"
    path.write_bytes(bytes(raw))
    _outcome(path)
