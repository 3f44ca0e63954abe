"""The adapter file: round trip, header without tensors, clear refusals."""
from __future__ import annotations

import json
import struct
from dataclasses import replace

import pytest
import torch

from rmadapter_app.core.model.adapter_file import (FORMAT_VERSION, load_adapter, read_adapter_header,
                                             save_adapter)
from rmadapter_app.core.config import TrainConfig
from rmadapter_app.core.train.data import scan_class_folders
from rmadapter_app.core.errors import AdapterFileError
from rmadapter_app.core.classifier import Classifier
from rmadapter_app.core.train.loop import train


@pytest.fixture
def trained(tiny_backbone, image_tree):
    data = scan_class_folders(image_tree)
    return train(tiny_backbone, data.samples, data.class_names,
                 config=TrainConfig(epochs=2, batch_size=4, lr=0.01))


def _save(path, result, bb, **over):
    kw = dict(state=result.adapter_state, adapter_config=result.adapter_config, backbone=bb.info,
              class_names=result.class_names, prompts=result.prompts,
              train={"config": result.train_config.to_dict(), "metrics": result.metrics})
    kw.update(over)
    return save_adapter(path, **kw)


def test_roundtrip_gives_identical_logits(tmp_path, tiny_backbone, trained, image_tree):
    path = _save(tmp_path / "a.rmadapter.safetensors", trained, tiny_backbone)
    files = sorted(image_tree.glob("*/*.png"))[:6]
    from rmadapter_app.core.model.adapter import AdapterSet
    direct = AdapterSet(trained.adapter_config, 32, 32)
    direct.load_state_dict(trained.adapter_state, strict=False)
    with Classifier(tiny_backbone, direct, trained.class_names, trained.prompts) as clf:
        before = [p.top for p in clf.classify_paths(files)]
    with Classifier.from_adapter_file(path, backbone=tiny_backbone) as clf:
        after = [p.top for p in clf.classify_paths(files)]
    assert before == after


def test_header_reads_without_tensors_and_is_small(tmp_path, tiny_backbone, trained, monkeypatch):
    path = _save(tmp_path / "a.rmadapter.safetensors", trained, tiny_backbone)
    import safetensors.torch
    monkeypatch.setattr(safetensors.torch, "load_file", lambda *a, **k: pytest.fail("tensors loaded"))
    header = read_adapter_header(path)
    assert header.class_names == trained.class_names and header.prompts == trained.prompts
    assert header.backbone == tiny_backbone.info and header.format_version == FORMAT_VERSION
    assert header.metrics["val_accuracy"] == trained.metrics["val_accuracy"]
    assert header.adapter_config.vision_layers == (1, 2, 3)


def test_vit_b16_adapter_stays_under_4_mb(tmp_path):
    from rmadapter_app.core.model.adapter import AdapterSet
    from rmadapter_app.core.model.backbone import BackboneInfo
    from rmadapter_app.core.config import AdapterConfig
    cfg = AdapterConfig().resolve_layers(12, 12)
    info = BackboneInfo("ViT-B-16", "openai", "0" * 64, 768, 12, 512, 12, 512, 224)
    state = AdapterSet(cfg, 768, 512).inference_state_dict()
    path = save_adapter(tmp_path / "b16.rmadapter.safetensors", state=state, adapter_config=cfg, backbone=info,
                        class_names=[f"class {i}" for i in range(100)],
                        prompts=[f"a photo of a class {i}." for i in range(100)])
    assert path.stat().st_size < 4 * 1024 * 1024


def test_damaged_and_foreign_files_are_refused(tmp_path, tiny_backbone, trained):
    garbage = tmp_path / "garbage.safetensors"
    garbage.write_bytes(b"\x00" * 100)
    with pytest.raises(AdapterFileError, match="not a readable adapter file"):
        read_adapter_header(garbage)
    foreign = tmp_path / "foreign.safetensors"
    import safetensors.torch
    safetensors.torch.save_file({"w": torch.zeros(2)}, str(foreign))
    with pytest.raises(AdapterFileError, match="not an RMAdapter adapter"):
        load_adapter(foreign)
    good = _save(tmp_path / "good.rmadapter.safetensors", trained, tiny_backbone)
    data = good.read_bytes()
    truncated = tmp_path / "truncated.rmadapter.safetensors"
    truncated.write_bytes(data[: len(data) - 500])
    with pytest.raises(AdapterFileError):
        load_adapter(truncated)
    with pytest.raises(AdapterFileError, match="not found"):
        read_adapter_header(tmp_path / "missing.safetensors")


def test_missing_key_and_newer_format_and_wrong_backbone(tmp_path, tiny_backbone, trained):
    state = dict(trained.adapter_state)
    dropped = sorted(state)[0]
    del state[dropped]
    path = _save(tmp_path / "missing.rmadapter.safetensors", trained, tiny_backbone, state=state)
    with pytest.raises(AdapterFileError, match="missing 1 tensors"):
        load_adapter(path)

    path = _save(tmp_path / "new.rmadapter.safetensors", trained, tiny_backbone)
    raw = path.read_bytes()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    header["__metadata__"]["rmadapter.format_version"] = str(FORMAT_VERSION + 1)
    body = json.dumps(header).encode()
    body += b" " * (-len(body) % 8)
    path.write_bytes(struct.pack("<Q", len(body)) + body + raw[8 + n:])
    with pytest.raises(AdapterFileError, match="newer"):
        read_adapter_header(path)

    path = _save(tmp_path / "ok.rmadapter.safetensors", trained, tiny_backbone)
    other = replace(tiny_backbone.info, model_name="ViT-B-32", vision_width=768)
    with pytest.raises(AdapterFileError, match="model_name.*vision_width"):
        load_adapter(path, other)
    hashed = replace(tiny_backbone.info, weights_sha256="a" * 64)
    path = _save(tmp_path / "hashed.rmadapter.safetensors", trained, tiny_backbone, backbone=hashed)
    with pytest.raises(AdapterFileError, match="weights"):
        load_adapter(path, replace(tiny_backbone.info, weights_sha256="b" * 64))


def test_save_is_atomic_on_failure(tmp_path, tiny_backbone, trained, monkeypatch):
    out = tmp_path / "out"
    path = _save(out / "a.rmadapter.safetensors", trained, tiny_backbone)
    before = path.read_bytes()
    import safetensors.torch

    def full_disk(*a, **k):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(safetensors.torch, "save_file", full_disk)
    from rmadapter_app.core.errors import RMAdapterError
    with pytest.raises(RMAdapterError, match="No space left"):
        _save(path, trained, tiny_backbone)
    assert path.read_bytes() == before
    assert [p.name for p in out.iterdir()] == ["a.rmadapter.safetensors"]


def test_extra_classes_by_name_at_classification_time(tmp_path, tiny_backbone, trained, image_tree):
    path = _save(tmp_path / "a.rmadapter.safetensors", trained, tiny_backbone)
    with Classifier.from_adapter_file(path, backbone=tiny_backbone, extra_classes=["purple", "Red"]) as clf:
        assert clf.class_names == trained.class_names + ["purple"]  # "Red" duplicates "red"
        preds = clf.classify_paths(sorted(image_tree.glob("*/*.png"))[:3], top_k=4)
    assert all(len(p.top) == 4 and abs(sum(v for _, v in p.top) - 1) < 1e-4 for p in preds)
