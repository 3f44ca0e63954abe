"""Labeling on a Ray cluster: a local Ray head on 127.0.0.1 inside the test, compared with a local run.

Tests marked ``needs_ray`` skip when Ray is not installed (the ``cluster`` extra); the others (the
file-hash index, the worker pool plan, the driver's exactly-once check, the actor class run
without Ray, the CLI's refusals) run everywhere.
"""
from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import numpy as np
import pytest
import torch

from rmadapter_app.core.classifier import Classifier
from rmadapter_app.core.errors import RMAdapterError
from rmadapter_app.core.events import LabelProgressEvent, StatusEvent
from rmadapter_app.core.label import cluster
from rmadapter_app.core.label.cluster import RayOptions, plan_workers, ray_installed, short_ray_error
from rmadapter_app.core.label.embedding_cache import EmbeddingCache
from rmadapter_app.core.label.engine import run_labeling
from rmadapter_app.core.label.hash_index import HashIndex, stamp_of
from rmadapter_app.core.label.ray_worker import ImageEncoder, ModelRecipe
from rmadapter_app.core.model.spec import BackboneSpec

CLASSES = ["red", "green", "blue"]
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:ray")   # Ray's own settings, not ours
needs_ray = pytest.mark.skipif(not ray_installed(), reason="Ray is not installed (pip install -e '.[cluster]')")


# ---------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def ray_head():
    """A one-node Ray cluster on 127.0.0.1 only (2 CPUs, a small object store), shut down after the module."""
    if not ray_installed():
        pytest.skip("Ray is not installed")
    import ray
    from ray._private import ray_constants

    before = os.environ.get("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER")
    os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"     # loopback only: Ray binds and talks on 127.0.0.1
    ray_constants.ENABLE_RAY_CLUSTER = False
    ray.init(address="local", include_dashboard=False, num_cpus=2, object_store_memory=100 * 2**20,
             _node_ip_address="127.0.0.1", log_to_driver=False)
    try:
        assert {n["NodeManagerAddress"] for n in ray.nodes()} == {"127.0.0.1"}
        yield ray
    finally:
        ray.shutdown()
        ray_constants.ENABLE_RAY_CLUSTER = True
        if before is None:
            os.environ.pop("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", None)
        else:
            os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = before


@pytest.fixture(scope="module")
def tiny_files(tiny_config, tmp_path_factory):
    """The tiny backbone's weights saved to a file (workers must load the very same weights) and an adapter."""
    from safetensors.torch import save_file

    from rmadapter_app.core.config import AdapterConfig
    from rmadapter_app.core.model.adapter import AdapterSet
    from rmadapter_app.core.model.adapter_file import save_adapter
    from rmadapter_app.core.model.backbone import load_backbone

    folder = tmp_path_factory.mktemp("tiny-weights")
    torch.manual_seed(0)
    backbone = load_backbone(model_config=tiny_config)
    weights = folder / "tiny-vit.safetensors"
    save_file({k: v.detach().clone().contiguous() for k, v in backbone.model.state_dict().items()}, str(weights))
    info = backbone.info
    cfg = AdapterConfig(alpha=0.5).resolve_layers(info.vision_layers, info.text_layers)
    torch.manual_seed(1)
    adapters = AdapterSet(cfg, info.vision_width, info.text_width)
    with torch.no_grad():
        for p in adapters.parameters():
            p.normal_(0, 0.2)
    adapter = save_adapter(folder / "colours.rmadapter.safetensors", state=adapters.inference_state_dict(),
                           adapter_config=cfg, backbone=info, class_names=CLASSES,
                           prompts=[f"a photo of a {c}." for c in CLASSES])
    return BackboneSpec("tiny-vit", None, weights=weights, model_config=tiny_config), adapter


@pytest.fixture
def adapted(tiny_files):
    spec, adapter = tiny_files
    with Classifier.from_adapter_file(adapter, spec, device="cpu") as clf:
        yield clf, ModelRecipe.of(clf, spec, adapter)


def _with_bad_files(tree: Path) -> Path:
    good = (tree / "red" / "red_0.png").read_bytes()
    (tree / "red" / "empty.png").write_bytes(b"")
    (tree / "green" / "truncated.png").write_bytes(good[: len(good) // 2])
    (tree / "blue" / "notes.jpg").write_text("not a picture")
    return tree


def _same_rows(a, b) -> None:
    """Two LabelRuns label the same files the same way (labels, probabilities, hashes, reasons)."""
    assert [str(p) for p in a.paths] == [str(p) for p in b.paths]
    assert a.errors == b.errors and a.keys == b.keys
    assert (a.top()[0] == b.top()[0]).all() and a.done.all() and b.done.all()
    np.testing.assert_allclose(a.probs, b.probs, atol=1e-5)


def _local(clf, tree, root):
    return run_labeling(clf, [tree], batch_size=5, cache=EmbeddingCache.for_classifier(clf, root=root))


# ---------------------------------------------------------------------- through a local Ray head
@needs_ray
@pytest.mark.parametrize("send_bytes", [False, True], ids=["shared-paths", "bytes-from-driver"])
def test_ray_run_equals_the_local_run_with_the_same_adapter(ray_head, adapted, image_tree, tmp_path, send_bytes):
    from rmadapter_app.core.label.ray_backend import label_on_ray

    clf, recipe = adapted
    tree = _with_bad_files(image_tree)
    local = _local(clf, tree, tmp_path / "local-cache")
    events = []
    run = label_on_ray(clf, [tree], recipe, RayOptions("local", send_bytes=send_bytes), batch_size=5,
                       cache=EmbeddingCache.for_classifier(clf, root=tmp_path / "ray-cache"),
                       hashes=HashIndex(tmp_path / "hashes.sqlite3"), on_event=events.append)
    _same_rows(run, local)
    assert run.encoded == 24 and run.n_errors == 3 and run.from_cache == 0 and not run.stopped
    assert run.stats["nodes"] == 1 and run.stats["workers"] == 1 and run.stats["cpus_per_worker"] == 2
    reasons = {p.name: e for p, e in zip(run.paths, run.errors) if e}
    assert set(reasons) == {"empty.png", "truncated.png", "notes.jpg"} and "empty" in reasons["empty.png"]
    progress = [e for e in events if isinstance(e, LabelProgressEvent)]
    assert progress and progress[-1].done == progress[-1].total == 27 and progress[-1].errors == 3
    assert [e.done for e in progress] == sorted(e.done for e in progress)
    assert any(isinstance(e, StatusEvent) and "on the Ray cluster at local" in e.text for e in events)


@needs_ray
def test_stop_keeps_what_finished_and_a_rerun_resumes_without_resending(ray_head, adapted, image_tree, tmp_path):
    from rmadapter_app.core.label.ray_backend import label_on_ray

    clf, recipe = adapted
    local = _local(clf, image_tree, tmp_path / "local-cache")
    cache_root, index = tmp_path / "ray-cache", tmp_path / "hashes.sqlite3"
    progress = []

    def go(should_stop=None):
        progress.clear()
        return label_on_ray(clf, [image_tree], recipe, RayOptions("local"), batch_size=4,
                            cache=EmbeddingCache.for_classifier(clf, root=cache_root), hashes=HashIndex(index),
                            on_event=lambda e: progress.append(e) if isinstance(e, LabelProgressEvent) else None,
                            should_stop=should_stop)

    stopped = go(should_stop=lambda: len(progress) >= 1)
    assert stopped.stopped and 4 <= stopped.n_done < 24
    kept = stopped.done.copy()
    np.testing.assert_allclose(stopped.probs[kept], local.probs[kept], atol=1e-5)
    assert len(stopped.results()) == stopped.n_done

    finished = [stopped.paths[i] for i in np.flatnonzero(kept)]
    finished[0].touch()                                        # same bytes, new times: sent again, same hash
    donor = image_tree / "green" / "green_0.png"
    finished[1].write_bytes(donor.read_bytes())                # new content under an old name: sent again
    resumed = go()
    assert not resumed.stopped and resumed.n_done == 24
    assert resumed.from_cache == stopped.n_done - 2 and resumed.encoded == 24 - stopped.n_done + 2
    row = {str(p): i for i, p in enumerate(resumed.paths)}
    assert resumed.keys[row[str(finished[1])]] == resumed.keys[row[str(donor)]]
    assert resumed.keys[row[str(finished[0])]] == local.keys[row[str(finished[0])]]

    again = go()                         # everything known by path + size + times: nothing is sent at all
    assert again.from_cache == 24 and again.encoded == 0 and "workers" not in again.stats
    _same_rows(again, resumed)
    changed = np.array([str(p) != str(finished[1]) for p in local.paths])
    np.testing.assert_allclose(again.probs[changed], local.probs[changed], atol=1e-5)


class _CrashOnce(ImageEncoder):
    """Kills its worker process on the first batch it is given (once per test, by a marker file)."""

    marker = ""                      # set on a subclass by the test; travels with the pickled class

    def __call__(self, batch):
        marker = Path(self.marker)
        if not marker.exists():
            marker.write_text(str(os.getpid()))
            os._exit(1)
        return super().__call__(batch)


@needs_ray
def test_a_lost_worker_is_retried_and_every_image_comes_back_exactly_once(ray_head, adapted, image_tree, tmp_path,
                                                                          monkeypatch):
    import cloudpickle

    from rmadapter_app.core.label import ray_backend

    clf, recipe = adapted
    local = _local(clf, image_tree, tmp_path / "local-cache")
    marker = tmp_path / "crashed"
    crashing = type("CrashOnceHere", (_CrashOnce,), {"marker": str(marker)})
    cloudpickle.register_pickle_by_value(__import__(__name__))         # workers need not import this test module
    monkeypatch.setattr(ray_backend, "ImageEncoder", crashing)
    try:
        run = ray_backend.label_on_ray(clf, [image_tree], recipe, RayOptions("local"), batch_size=6,
                                       cache=EmbeddingCache.for_classifier(clf, root=tmp_path / "ray-cache"),
                                       hashes=HashIndex(tmp_path / "hashes.sqlite3"))
    finally:
        cloudpickle.unregister_pickle_by_value(__import__(__name__))
    assert marker.exists() and int(marker.read_text()) != os.getpid()    # a worker really died
    _same_rows(run, local)
    assert run.encoded == 24


@needs_ray
def test_cli_label_on_ray_writes_the_same_files_and_reports_as_a_local_run(ray_head, tiny_files, image_tree,
                                                                          tmp_path, capsys):
    from rmadapter_app.cli import main

    spec, adapter = tiny_files
    common = ["--adapter", str(adapter), "--weights", str(spec.weights), "--model-config", str(spec.model_config),
              "--batch-size", "5", "--threshold", "0.5"]
    outputs = {}
    for name, extra in (("local", []), ("ray", ["--ray", "local"])):
        out, table = tmp_path / f"sorted-{name}", tmp_path / f"{name}.csv"
        assert main(["label", str(image_tree), "--out", str(out), "--csv", str(table), *common, *extra]) == 0
        summary = json.loads(capsys.readouterr().out)
        rows = [{k: v for k, v in r.items() if k != "destination"} for r in csv.DictReader(table.open())]
        files = sorted(str(p.relative_to(out)) for p in out.rglob("*.png"))
        outputs[name] = (summary, rows, files)
    local, ray_run = outputs["local"], outputs["ray"]
    assert ray_run[0]["ray"] == {"address": "local", "send_bytes": False, "nodes": 1, "workers": 1}
    assert ray_run[0]["counts"] == local[0]["counts"] and ray_run[0]["written"] == local[0]["written"] == 24
    assert ray_run[2] == local[2] and len(ray_run[2]) == 24
    for a, b in zip(ray_run[1], local[1]):
        assert (a["path"], a["label"], a["bucket"], a["action"]) == (b["path"], b["label"], b["bucket"], b["action"])
        assert float(a["confidence"]) == pytest.approx(float(b["confidence"]), abs=1e-4)


@needs_ray
def test_a_worker_that_cannot_build_the_model_fails_the_run_with_its_reason(ray_head, adapted, image_tree,
                                                                           tmp_path):
    from dataclasses import replace

    from rmadapter_app.core.label.ray_backend import label_on_ray

    clf, recipe = adapted
    broken = replace(recipe, spec=replace(recipe.spec, weights=tmp_path / "only-on-the-laptop.safetensors"))
    with pytest.raises(RMAdapterError, match="Weights file not found"):
        label_on_ray(clf, [image_tree], broken, RayOptions("local"),
                     cache=EmbeddingCache.for_classifier(clf, root=tmp_path / "ray-cache"),
                     hashes=HashIndex(tmp_path / "hashes.sqlite3"))


# ---------------------------------------------------------------------- without Ray
def test_the_actor_class_encodes_as_the_local_engine_from_paths_or_sent_bytes(adapted, image_tree, tmp_path):
    clf, recipe = adapted
    files = sorted((image_tree / "red").glob("*.png"))[:3] + [tmp_path / "missing.png"]
    local = _local(clf, image_tree / "red", tmp_path / "cache")
    enc = ImageEncoder(recipe, threads=2)
    from_paths = enc({"index": np.arange(4), "path": np.array([str(f) for f in files], dtype=object)})
    assert "missing.png" in from_paths["error"][3] and from_paths["key"][3] == ""
    cache = EmbeddingCache.for_classifier(clf, root=tmp_path / "cache")
    want, found = cache.get_many(list(from_paths["key"][:3]))
    assert found.all()
    np.testing.assert_allclose(from_paths["embedding"][:3], want, atol=1e-6)
    assert list(from_paths["key"][:3]) == [local.keys[i] for i in range(3)]
    # bytes sent by the driver: decoded as sent, the path is never opened
    import hashlib
    data = [f.read_bytes() for f in files[:3]]
    sent = enc({"index": np.arange(3), "path": np.array([str(tmp_path / f"gone-{i}.png") for i in range(3)], dtype=object),
                "data": np.array(data, dtype=object), "key": np.array([hashlib.sha256(d).hexdigest() for d in data],
                                                                      dtype=object),
                "error": np.array(["", "", ""], dtype=object)})
    assert list(sent["error"]) == ["", "", ""]
    np.testing.assert_allclose(sent["embedding"], from_paths["embedding"][:3], atol=1e-6)


def test_workers_refuse_a_model_that_differs_from_the_drivers(adapted, tiny_config, image_tree):
    from dataclasses import replace

    clf, recipe = adapted
    with pytest.raises(RMAdapterError, match="another adapter than the driver"):
        ImageEncoder(replace(recipe, identity=(recipe.identity[0], "adapter:0000")))
    with pytest.raises(RMAdapterError, match="another backbone than the driver"):
        ImageEncoder(replace(recipe, identity=("tiny-vit|other-weights", recipe.identity[1])))
    torch.manual_seed(0)
    with Classifier.zero_shot(BackboneSpec("tiny-vit", None, model_config=tiny_config), CLASSES, device="cpu") as rnd:
        with pytest.raises(RMAdapterError, match="random weights"):
            ModelRecipe.of(rnd, BackboneSpec("tiny-vit", None, model_config=tiny_config), None)


def test_the_driver_fails_loudly_on_a_row_twice_or_never(adapted, image_tree, tmp_path):
    from rmadapter_app.core.label.engine import LabelRun
    from rmadapter_app.core.label.ray_backend import _Driver

    clf, _ = adapted
    paths = sorted(image_tree.rglob("*.png"))[:4]
    run = LabelRun([image_tree], paths, [None] * 4, [None] * 4, np.zeros(4, bool), np.full((4, 3), np.nan, np.float32),
                   CLASSES, ("b", "a"))
    driver = _Driver(clf, run, EmbeddingCache(("b", "a"), root=tmp_path / "c"), HashIndex(tmp_path / "h.sqlite3"),
                     lambda e: None)
    driver.sent[[0, 1, 2]] = True
    emb = np.eye(3, 32, dtype=np.float32)[:2]

    def batch(rows):
        return {"index": np.array(rows), "key": np.array([f"{r:064x}" for r in rows], dtype=object),
                "error": np.array([""] * len(rows), dtype=object), "embedding": emb[:len(rows)],
                "worker": np.array(["w"] * len(rows), dtype=object)}
    driver.record(batch([0, 1]))
    assert run.done[:2].all() and run.keys[1] == f"{1:064x}"
    with pytest.raises(RMAdapterError, match="twice"):
        driver.record(batch([1]))
    with pytest.raises(RMAdapterError, match="never sent"):
        driver.record(batch([3]))
    with pytest.raises(RMAdapterError, match="without answering for 1 of 3 images"):
        driver.check_complete()


def test_hash_index_trusts_only_unchanged_files_and_survives_damage(tmp_path):
    f = tmp_path / "a.jpg"
    f.write_bytes(b"one")
    db = tmp_path / "index.sqlite3"
    key = "ab" * 32
    with HashIndex(db) as index:
        assert index.lookup([(str(f), stamp_of(f))]) == [None]
        index.record([(str(f), stamp_of(f), key)])
        assert index.lookup([(str(f), stamp_of(f)), (str(tmp_path / "b.jpg"), None)]) == [key, None]
        os.utime(f, ns=(1, 1))
        assert index.lookup([(str(f), stamp_of(f))]) == [None]
    db.write_bytes(b"this is not a database" * 100)
    with HashIndex(db) as index:
        assert any("damaged" in w for w in index.take_warnings())
        assert len(index) == 0 and index.lookup([(str(f), stamp_of(f))]) == [None]
        index.record([(str(f), stamp_of(f), key)])
        assert index.lookup([(str(f), stamp_of(f))]) == [key]


def test_worker_plan_from_cluster_resources():
    assert plan_workers({"CPU": 64.0, "GPU": 8.0}, RayOptions()) == cluster.WorkerPlan(8, 8.0, 1.0)
    assert plan_workers({"CPU": 2.0}, RayOptions()) == cluster.WorkerPlan(1, 2.0, 0.0)
    assert plan_workers({"CPU": 16.0}, RayOptions()) == cluster.WorkerPlan(4, 4.0, 0.0)
    assert plan_workers({"CPU": 16.0}, RayOptions(workers=2, cpus_per_worker=1)) == cluster.WorkerPlan(2, 1.0, 0.0)
    assert plan_workers({"CPU": 16.0, "GPU": 4.0}, RayOptions(gpus_per_worker=0)).device == "cpu"
    with pytest.raises(RMAdapterError, match="asks for 1 GPU, but the Ray cluster has 0"):
        plan_workers({"CPU": 8.0}, RayOptions(gpus_per_worker=1))
    with pytest.raises(RMAdapterError, match="asks for 8 CPUs"):
        plan_workers({"CPU": 2.0}, RayOptions(cpus_per_worker=8))


def test_short_ray_error_keeps_the_workers_sentence():
    wrapped = ("ray.exceptions.ActorDiedError: The actor died because of an error raised in its creation task\n"
               "  File \"x.py\", line 1, in __init__\n"
               "rmadapter_app.core.errors.RMAdapterError: The Ray worker on n1 built another backbone than the driver")
    assert short_ray_error(RuntimeError(wrapped)) == "The Ray worker on n1 built another backbone than the driver"
    assert short_ray_error(RuntimeError("plain words")) == "plain words"


def test_cli_ray_flags_are_checked_before_anything_runs(tmp_path, image_tree, monkeypatch):
    from rmadapter_app.cli import main

    base = ["label", str(image_tree), "--class", "a", "--class", "b", "--csv", str(tmp_path / "r.csv")]
    with pytest.raises(SystemExit, match="--ray-send-bytes needs --ray ADDRESS"):
        main([*base, "--ray-send-bytes"])
    with pytest.raises(SystemExit, match="--ray-workers must be at least 1"):
        main([*base, "--ray", "local", "--ray-workers", "0"])
    monkeypatch.setattr(cluster, "ray_installed", lambda: False)
    with pytest.raises(SystemExit, match=r'pip install "rmadapter-studio\[cluster\]"'):
        main([*base, "--ray", "local"])
    assert not (tmp_path / "r.csv").exists()


@needs_ray
def test_no_cluster_at_the_address_is_one_clear_sentence(monkeypatch):
    import ray

    def refuse(*args, **kwargs):
        raise ConnectionError("Could not find any running Ray instance. Please specify the one to connect to.")
    monkeypatch.setattr(ray, "is_initialized", lambda: False)
    monkeypatch.setattr(ray, "init", refuse)
    with pytest.raises(RMAdapterError, match=r"No Ray cluster answered at 'auto' .*ray start --head.*'local'"):
        cluster.connect("auto")
