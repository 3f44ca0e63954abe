"""One way to build a classifier: the backbone spec, the backbone cache, the three entry points, the
shared batch loop, the labeling record and the free-name helper (issue 12)."""
from __future__ import annotations

import argparse
import json
import os
import threading
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import torch

from rmadapter_app.core.classifier import Classifier
from rmadapter_app.core.errors import AdapterFileError
from rmadapter_app.core.model.cache import BackboneCache
from rmadapter_app.core.model.spec import BackboneSpec
from tests.conftest import TINY_CONFIG
from tests.core.test_labeling import CLASSES, _adapter_file


def _args(**kw) -> argparse.Namespace:
    base = {"model": None, "pretrained": None, "weights": None, "model_config": None}
    return argparse.Namespace(**{**base, **kw})


@pytest.fixture
def counted_loads(monkeypatch) -> list[str]:
    """Every real backbone load (backbone.load_backbone), by model name."""
    from rmadapter_app.core.model import backbone
    calls: list[str] = []
    real = backbone.load_backbone

    def counting(model_name=backbone.DEFAULT_MODEL, **kw):
        calls.append(model_name)
        return real(model_name, **kw)
    monkeypatch.setattr(backbone, "load_backbone", counting)
    return calls


@pytest.fixture
def entry_points(monkeypatch) -> dict[str, int]:
    """Counts the three entry points and Classifier.__init__ (every construction, however it happens)."""
    counts = {"from_adapter_file": 0, "from_training": 0, "zero_shot": 0, "__init__": 0}
    for name in ("from_adapter_file", "from_training", "zero_shot"):
        real = getattr(Classifier, name).__func__

        def counting(cls, *a, _real=real, _name=name, **k):
            counts[_name] += 1
            return _real(cls, *a, **k)
        monkeypatch.setattr(Classifier, name, classmethod(counting))
    real_init = Classifier.__init__

    def init(self, *a, **k):
        counts["__init__"] += 1
        real_init(self, *a, **k)
    monkeypatch.setattr(Classifier, "__init__", init)
    return counts


# ---------------------------------------------------------------------- the backbone choice
def test_one_backbone_spec_with_one_set_of_defaults(tmp_path):
    from rmadapter_app.core.model import backbone

    assert BackboneSpec() == BackboneSpec("ViT-B-16", "openai") == BackboneSpec.from_cli_args(_args())
    assert backbone.DEFAULT_MODEL == BackboneSpec().model_name and backbone.DEFAULT_PRETRAINED == "openai"
    # local files: no tag unless one is asked for; the CLI's flags give the same shape the GUI stores
    cfg = tmp_path / "mine.json"
    assert BackboneSpec.from_cli_args(_args(model_config=cfg)).pretrained is None
    assert BackboneSpec.from_cli_args(_args(model_config=cfg, pretrained="tag")).pretrained == "tag"
    spec = BackboneSpec.from_cli_args(_args(model="ViT-B-32", weights=tmp_path / "w.safetensors"))
    assert spec == BackboneSpec("ViT-B-32", None, weights=tmp_path / "w.safetensors") and spec.is_random is False
    assert BackboneSpec.from_dict(spec.to_dict()) == spec and BackboneSpec.from_dict({}).model_name == "ViT-B-16"
    assert BackboneSpec("tiny", None, model_config=cfg).label() == "mine (local config)"
    # an adapter file names its model and tag; --weights / --model-config still say where the files are
    header = SimpleNamespace(backbone=SimpleNamespace(model_name="ViT-L-14", pretrained="openai"))
    assert BackboneSpec.from_cli_args(_args(model="ViT-B-32", weights=tmp_path / "w"), header) == \
        BackboneSpec("ViT-L-14", "openai", weights=tmp_path / "w")
    assert BackboneSpec().for_adapter(header) == BackboneSpec("ViT-L-14", "openai")
    assert BackboneSpec("ViT-L-14", "laion").for_adapter(header) == BackboneSpec("ViT-L-14", "laion")


def test_the_backbone_cache_loads_each_spec_once_and_shares_it(tiny_config, tmp_path, counted_loads):
    spec = BackboneSpec("tiny-vit", None, model_config=tiny_config)
    cache = BackboneCache()
    assert cache.get(spec) is None and len(cache) == 0
    got: list = []
    threads = [threading.Thread(target=lambda: got.append(cache.load(spec))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(counted_loads) == 1 and all(b is got[0] for b in got)           # four jobs, one load
    assert cache.get(spec) is got[0] and cache.load(spec, device="cpu") is got[0] and len(counted_loads) == 1
    # an equal spec is the same backbone; another spec replaces it (one in memory at a time)
    assert cache.load(BackboneSpec("tiny-vit", None, model_config=Path(str(tiny_config)))) is got[0]
    other = tmp_path / "tiny-two.json"
    other.write_text(json.dumps(TINY_CONFIG))
    second = cache.load(BackboneSpec("tiny-two", None, model_config=other))
    assert second is not got[0] and cache.get(spec) is None and len(cache) == 1 and len(counted_loads) == 2
    # classifiers built through the cache share its backbone
    cache.clear()
    a = Classifier.zero_shot(spec, CLASSES, backbones=cache, device="cpu")
    a.close()
    b = Classifier.zero_shot(spec, ["x", "y"], backbones=cache, device="cpu")
    b.close()
    assert a.backbone is b.backbone is cache.get(spec) and len(counted_loads) == 3


# ---------------------------------------------------------------------- the three entry points
def test_every_cli_command_builds_its_classifier_through_the_entry_points(tmp_path, tiny_config, tiny_backbone,
                                                                          image_tree, entry_points, capsys):
    from rmadapter_app.cli import main

    adapter = _adapter_file(tiny_backbone, tmp_path / "a.rmadapter.safetensors", seed=1)
    base = ["--model-config", str(tiny_config)]
    assert main(["classify", str(image_tree / "red"), "--class", "red", "--class", "blue", *base]) == 0
    assert main(["classify", str(image_tree / "red"), "--adapter", str(adapter), *base]) == 0
    assert main(["label", str(image_tree / "blue"), "--adapter", str(adapter), "--csv", str(tmp_path / "r.csv"),
                 *base]) == 0
    assert main(["label", str(image_tree / "blue"), "--class", "a", "--class", "b", "--json",
                 str(tmp_path / "r.json"), *base]) == 0
    capsys.readouterr()
    assert entry_points == {"from_adapter_file": 2, "from_training": 0, "zero_shot": 2, "__init__": 4}


def test_adapter_file_checks_the_backbone_and_keeps_its_own_classes(tmp_path, tiny_backbone, tiny_config):
    adapter = _adapter_file(tiny_backbone, tmp_path / "a.rmadapter.safetensors", seed=1)
    with Classifier.from_adapter_file(adapter, backbone=tiny_backbone, extra_classes=["purple", "RED"]) as clf:
        assert clf.class_names == CLASSES + ["purple"] and clf.base_classes[0] == CLASSES
        clf.set_added_classes(["Blue", "cyan"])                  # "Blue" is a base class already
        assert clf.class_names == CLASSES + ["cyan"]
        features = clf.text_features
        clf.set_added_classes(["cyan"])                          # nothing changed: no text tower run
        assert clf.text_features is features
    # the file names its backbone: without a spec it is loaded from the file's own model and tag
    cfg = dict(TINY_CONFIG, vision_cfg=dict(TINY_CONFIG["vision_cfg"], width=48), embed_dim=24)
    other = tmp_path / "other-vit.json"
    other.write_text(json.dumps(cfg))
    with pytest.raises(AdapterFileError, match="does not fit this backbone"):
        Classifier.from_adapter_file(adapter, BackboneSpec("other-vit", None, model_config=other), device="cpu")


def test_a_training_result_is_loaded_exactly_or_refused_in_words(tmp_path, tiny_backbone, tiny_config, image_tree):
    from rmadapter_app.core.config import AdapterConfig
    from rmadapter_app.core.model.adapter import AdapterSet
    from rmadapter_app.core.model.backbone import load_backbone

    info = tiny_backbone.info
    cfg = AdapterConfig(alpha=0.5).resolve_layers(info.vision_layers, info.text_layers)
    torch.manual_seed(4)
    adapters = AdapterSet(cfg, info.vision_width, info.text_width)
    with torch.no_grad():
        for p in adapters.parameters():
            p.normal_(0, 0.2)
    prompts = [f"a photo of a {c}." for c in CLASSES]
    result = SimpleNamespace(adapter_state=adapters.inference_state_dict(), adapter_config=cfg,
                             class_names=list(CLASSES), prompts=prompts)
    files = sorted(image_tree.glob("*/*.png"))[:5]
    with Classifier.from_training(result, backbone=tiny_backbone) as trained:
        from_memory = [p.top for p in trained.classify_paths(files)]
    from rmadapter_app.core.model.adapter_file import save_adapter
    path = save_adapter(tmp_path / "same.rmadapter.safetensors", state=result.adapter_state, adapter_config=cfg,
                        backbone=info, class_names=list(CLASSES), prompts=prompts)
    with Classifier.from_adapter_file(path, backbone=tiny_backbone) as saved:
        from_file = [p.top for p in saved.classify_paths(files)]
    for a, b in zip(from_memory, from_file):
        assert [n for n, _ in a] == [n for n, _ in b] and np.allclose([p for _, p in a], [p for _, p in b], atol=1e-6)

    # trained on another backbone: refused with a sentence, nothing loaded loosely, the backbone left clean
    cfg_other = dict(TINY_CONFIG, vision_cfg=dict(TINY_CONFIG["vision_cfg"], width=48), embed_dim=24)
    other_path = tmp_path / "other-vit.json"
    other_path.write_text(json.dumps(cfg_other))
    other = load_backbone(model_config=other_path)
    with pytest.raises(AdapterFileError, match="does not fit this backbone"):
        Classifier.from_training(result, backbone=other)
    missing = SimpleNamespace(**{**vars(result), "adapter_state": dict(list(result.adapter_state.items())[1:])})
    with pytest.raises(AdapterFileError, match="1 missing"):
        Classifier.from_training(missing, backbone=tiny_backbone)
    from rmadapter_app.core.model.inject import AdaptedBlock
    assert not any(isinstance(b, AdaptedBlock) for b in other.visual.transformer.resblocks)


# ---------------------------------------------------------------------- one loop, one record
def test_classify_paths_and_labeling_run_the_same_batch_loop(tiny_backbone, image_tree, tmp_path, monkeypatch):
    from rmadapter_app.core import batches
    from rmadapter_app.core.label.embedding_cache import EmbeddingCache
    from rmadapter_app.core.label.engine import run_labeling

    batches_run: list[int] = []
    real = batches._run_batch

    def counting(classifier, items, *a, **k):
        batches_run.append(len(items))
        return real(classifier, items, *a, **k)
    monkeypatch.setattr(batches, "_run_batch", counting)
    (image_tree / "red" / "broken.png").write_bytes(b"not a png")
    files = sorted(image_tree.glob("red/*.png"))
    with Classifier.zero_shot(None, CLASSES, backbone=tiny_backbone) as clf:
        preds = clf.classify_paths(files, batch_size=4)
        assert batches_run == [4, 4, 1]
        assert [p.path for p in preds] == files                               # in the order given
        assert [p.path.name for p in preds if p.error] == ["broken.png"]
        batches_run.clear()
        run = run_labeling(clf, [image_tree / "red"], batch_size=4,
                           cache=EmbeddingCache.for_classifier(clf, root=tmp_path / "cache"))
        assert batches_run == [4, 4, 1] and run.n_done == 9
    assert not hasattr(tiny_backbone, "_rmadapter_identity")          # the identity is the backbone's own
    assert tiny_backbone.identity() == run.identity[0] and "|random:" in run.identity[0]


def test_one_record_flows_from_the_run_through_the_plan_to_the_reports(tiny_backbone, image_tree, tmp_path):
    import csv

    from rmadapter_app.core.label.engine import run_labeling
    from rmadapter_app.core.label.plan import PlanEntry, plan_labeling
    from rmadapter_app.core.label.reports import write_csv, write_json
    from rmadapter_app.core.prediction import Prediction

    (image_tree / "green" / "broken.png").write_bytes(b"")
    with Classifier.zero_shot(None, CLASSES, backbone=tiny_backbone) as clf:
        run = run_labeling(clf, [image_tree / "green"])
    records = run.results(top_k=2)
    assert all(type(r) is Prediction and (r.sha256 or r.error) for r in records)
    plan = plan_labeling(records, threshold=0.0, out_dir=tmp_path / "out", mode="copy")
    assert [e.record for e in plan.entries] == records and all(a is b for a, b in zip(
        (e.record for e in plan.entries), records))
    entry = next(e for e in plan.entries if not e.record.error)
    assert (entry.source, entry.predicted, entry.sha256) == (entry.record.path, entry.record.label,
                                                              entry.record.sha256)
    assert entry.confidence == pytest.approx(entry.record.confidence)
    broken = next(e for e in plan.entries if e.record.error)
    assert broken.action == "error" and broken.predicted is None and broken.confidence == 0.0
    # without a plan every record is still a row, with nothing planned
    rows = list(csv.DictReader(write_csv(tmp_path / "r.csv", records).open(encoding="utf-8")))
    assert len(rows) == 9 and {r["action"] for r in rows} == {""} and {r["corrected"] for r in rows} == {"False"}
    images = json.loads(write_json(tmp_path / "r.json", records).read_text())["images"]
    assert [im["path"] for im in images] == [str(r.path) for r in records]
    assert PlanEntry.unplanned(records[0]).bucket is None


# ---------------------------------------------------------------------- free names
def test_one_free_name_helper_in_two_styles(tmp_path):
    from rmadapter_app.core.fileio import DASH, PARENS, free_name, free_path, unique_path

    taken = {"photo.jpg", "photo (1).jpg", "a.rmadapter.safetensors"}
    assert free_name("new.jpg", taken.__contains__) == "new.jpg"
    assert free_name("photo.jpg", taken.__contains__, style=PARENS) == "photo (2).jpg"
    assert free_name("photo.jpg", taken.__contains__, style=DASH) == "photo-2.jpg"
    assert free_name("a.rmadapter.safetensors", taken.__contains__, style=DASH,
                     suffix=".rmadapter.safetensors") == "a-2.rmadapter.safetensors"
    with pytest.raises(ValueError, match="style"):
        free_name("x", taken.__contains__, style="other")
    (tmp_path / "labels.csv").write_text("mine")
    os.symlink(tmp_path / "nowhere", tmp_path / "labels (1).csv")          # a dangling link counts as taken
    assert free_path(tmp_path / "labels.csv") == tmp_path / "labels (2).csv"
    (tmp_path / "m.rmadapter.safetensors").write_text("x")
    assert unique_path(tmp_path, "m", ".rmadapter.safetensors") == tmp_path / "m-2.rmadapter.safetensors"
    assert unique_path(tmp_path, "n", ".x") == tmp_path / "n.x"
