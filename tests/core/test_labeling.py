"""Batch labeling on the tiny backbone: cache, stop/resume, re-score, bad files, plan/apply/undo, reports."""
from __future__ import annotations

import csv
import json
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
import torch

from rmadapter_app.core.label.embedding_cache import ZERO_SHOT, EmbeddingCache, adapter_identity
from rmadapter_app.core.events import LabelProgressEvent
from rmadapter_app.core.images import MAX_PIXELS
from rmadapter_app.core.classifier import Classifier
from rmadapter_app.core.label.engine import rescore, run_labeling
from rmadapter_app.core.label.journal import read_journal
from rmadapter_app.core.label.reports import write_csv, write_json
from rmadapter_app.core.label.write import apply_plan, last_journal, undo
from rmadapter_app.core.label.plan import (UNCERTAIN, bucket_counts, confidence_histogram, plan_labeling,
                                           portable_folder_name)
from rmadapter_app.core.prediction import Prediction

CLASSES = ["red", "green", "blue"]


@pytest.fixture
def clf(tiny_backbone):
    with Classifier(tiny_backbone, None, CLASSES) as c:
        yield c


def _count_encoder(classifier) -> list[int]:
    """Wrap classifier.embed so tests can count image-encoder calls (images per call)."""
    calls: list[int] = []
    original = classifier.embed

    def counting(images):
        calls.append(int(images.shape[0]))
        return original(images)
    classifier.embed = counting
    return calls


def _adapter_file(backbone, path: Path, seed: int) -> Path:
    from rmadapter_app.core.model.adapter import AdapterSet
    from rmadapter_app.core.model.adapter_file import save_adapter
    from rmadapter_app.core.config import AdapterConfig

    info = backbone.info
    cfg = AdapterConfig(alpha=0.5).resolve_layers(info.vision_layers, info.text_layers)
    torch.manual_seed(seed)
    adapters = AdapterSet(cfg, info.vision_width, info.text_width)
    with torch.no_grad():
        for p in adapters.parameters():
            p.normal_(0, 0.2)
    return save_adapter(path, state=adapters.inference_state_dict(), adapter_config=cfg, backbone=info,
                        class_names=CLASSES, prompts=[f"a photo of a {c}." for c in CLASSES])


def _png_with_size(path: Path, width: int, height: int) -> Path:
    """A PNG whose header claims width x height (no real pixel data)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 16))
                     + chunk(b"IEND", b""))
    return path


def _results(specs) -> list[Prediction]:
    """Labeling records from (path, label, confidence) triples."""
    return [Prediction(Path(p), lab, conf, [(lab, conf)] if lab else [], None if lab else "broken") for p, lab, conf in specs]


# ---------------------------------------------------------------------- labeling runs
def test_run_labels_every_image_with_progress_and_speed(clf, image_tree):
    events = []
    run = run_labeling(clf, [image_tree], batch_size=5, on_event=events.append)
    assert len(run) == 24 and run.n_done == 24 and run.n_errors == 0 and not run.stopped
    assert run.encoded == 24 and run.from_cache == 0
    np.testing.assert_allclose(run.probs.sum(axis=1), 1.0, atol=1e-5)
    progress = [e for e in events if isinstance(e, LabelProgressEvent)]
    assert [e.done for e in progress] == [5, 10, 15, 20, 24] and progress[-1].total == 24
    assert progress[-1].images_per_s > 0 and progress[-1].eta_s == 0
    # same numbers as the classifier's own path
    res = {r.path: r for r in run.results(top_k=3)}
    direct = clf.classify_paths(sorted(res), top_k=3)
    for p in direct:
        assert res[p.path].label == p.label and res[p.path].confidence == pytest.approx(p.confidence, abs=1e-5)
        assert len(res[p.path].top) == 3 and res[p.path].sha256


def test_bad_files_become_reasons_and_good_ones_are_labeled(clf, tmp_path, image_tree):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.png").write_bytes(b"")
    good = image_tree / "red" / "red_0.png"
    data = good.read_bytes()
    (bad / "truncated.png").write_bytes(data[: len(data) // 2])
    (bad / "notes.jpg").write_text("this is not a picture")
    side = int(MAX_PIXELS ** 0.5) + 1000
    _png_with_size(bad / "huge.png", side, side)
    (bad / "fine.png").write_bytes(data)
    (bad / "readme.txt").write_text("ignored: not an image name")
    run = run_labeling(clf, [bad, tmp_path / "missing-folder"])
    reasons = {Path(r.path).name: r.error for r in run.results()}
    assert reasons["fine.png"] is None
    assert "empty" in reasons["empty.png"]
    assert "truncated" in reasons["truncated.png"] or "damaged" in reasons["truncated.png"]
    assert "not an image" in reasons["notes.jpg"]
    assert "large" in reasons["huge.png"]
    assert "does not exist" in reasons["missing-folder"]
    assert "readme.txt" not in reasons
    assert run.n_errors == 5 and run.encoded == 1
    # nothing in the source folder changed
    assert sorted(p.name for p in bad.iterdir()) == ["empty.png", "fine.png", "huge.png", "notes.jpg",
                                                     "readme.txt", "truncated.png"]


def test_no_images_is_a_clear_error(clf, tmp_path):
    (tmp_path / "a.txt").write_text("x")
    from rmadapter_app.core.errors import RMAdapterError
    with pytest.raises(RMAdapterError, match="No image files"):
        run_labeling(clf, [tmp_path])


def test_stop_keeps_results_and_a_rerun_resumes_from_the_cache(clf, image_tree, tmp_path):
    fresh = run_labeling(clf, [image_tree], cache=EmbeddingCache.for_classifier(clf, root=tmp_path / "fresh"))
    calls = _count_encoder(clf)
    seen = []

    def stop_after_first_batch():
        return len(seen) >= 1
    run = run_labeling(clf, [image_tree], batch_size=4, on_event=lambda e: seen.append(e)
                       if isinstance(e, LabelProgressEvent) else None, should_stop=stop_after_first_batch)
    assert run.stopped and run.n_done == 4 and calls == [4]
    assert len(run.results()) == 4
    np.testing.assert_allclose(run.probs[run.done], fresh.probs[run.done], atol=1e-5)

    calls.clear()
    resumed = run_labeling(clf, [image_tree], batch_size=4)
    assert not resumed.stopped and resumed.n_done == 24
    assert resumed.from_cache == 4 and resumed.encoded == 20 and sum(calls) == 20
    np.testing.assert_allclose(resumed.probs, fresh.probs, atol=1e-5)

    calls.clear()
    again = run_labeling(clf, [image_tree])
    assert again.from_cache == 24 and calls == []


def test_rescore_new_and_renamed_classes_without_the_image_encoder(clf, image_tree, tmp_path):
    run = run_labeling(clf, [image_tree])
    calls = _count_encoder(clf)
    clf.add_classes(["purple"])
    added = rescore(run, clf)
    assert added.class_names == CLASSES + ["purple"] and added.probs.shape == (24, 4)
    np.testing.assert_allclose(added.probs.sum(axis=1), 1.0, atol=1e-5)
    clf.set_classes(["crimson", "green", "blue"])
    renamed = rescore(run, clf)
    assert renamed.class_names[0] == "crimson" and calls == []
    # identical to labeling from scratch with that class list
    check = run_labeling(clf, [image_tree], cache=EmbeddingCache.for_classifier(clf, root=tmp_path / "check"))
    np.testing.assert_allclose(renamed.probs, check.probs, atol=1e-5)
    # a different adapter's embeddings would be wrong: refused
    clf.is_zero_shot = False
    with pytest.raises(ValueError, match="another backbone or adapter"):
        rescore(run, clf)


def test_cache_is_keyed_by_content_backbone_and_adapter(tiny_backbone, image_tree, tmp_path):
    a = _adapter_file(tiny_backbone, tmp_path / "a.rmadapter.safetensors", seed=1)
    b = _adapter_file(tiny_backbone, tmp_path / "b.rmadapter.safetensors", seed=2)
    with Classifier.from_adapter_file(a, backbone=tiny_backbone) as ca:
        assert adapter_identity(ca) != ZERO_SHOT
        first = run_labeling(ca, [image_tree / "red"])
        assert first.encoded == 8
    with Classifier.from_adapter_file(b, backbone=tiny_backbone) as cb:
        other = run_labeling(cb, [image_tree / "red"])
        assert other.encoded == 8 and first.identity != other.identity
        assert not np.allclose(first.probs, other.probs)
    with Classifier.from_adapter_file(a, backbone=tiny_backbone) as ca:
        again = run_labeling(ca, [image_tree / "red"])
        assert again.encoded == 0 and again.from_cache == 8
        np.testing.assert_allclose(again.probs, first.probs, atol=1e-6)
    # same content under another name is a cache hit; a changed file is not
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "renamed.png").write_bytes((image_tree / "red" / "red_0.png").read_bytes())
    from PIL import Image
    Image.new("RGB", (40, 40), (1, 2, 3)).save(copy / "new.png")
    with Classifier.from_adapter_file(a, backbone=tiny_backbone) as ca:
        mixed = run_labeling(ca, [copy])
        assert mixed.from_cache == 1 and mixed.encoded == 1


def test_cache_chunks_persist_and_a_damaged_chunk_is_ignored(tmp_path):
    ident = ("bb", "ad")
    keys = [f"{i:064x}" for i in range(10)]
    emb = np.random.default_rng(0).normal(size=(10, 8)).astype(np.float32)
    cache = EmbeddingCache(ident, root=tmp_path, chunk_rows=4)
    cache.put(keys[:6], emb[:6])            # one chunk of 6 written (>= 4 rows), nothing buffered
    cache.put(keys[6:], emb[6:])
    cache.flush()
    assert len(list(cache.folder.glob("chunk-*.keys.npy"))) == 2
    reopened = EmbeddingCache(ident, root=tmp_path)
    got, found = reopened.get_many(keys + [f"{99:064x}", None])
    assert found.tolist() == [True] * 10 + [False, False]
    np.testing.assert_array_equal(got[:10], emb)
    victim = sorted(cache.folder.glob("chunk-*.emb.npy"))[0]
    victim.write_bytes(b"garbage")
    damaged = EmbeddingCache(ident, root=tmp_path)
    assert len(damaged) == 4                 # the intact chunk only
    assert EmbeddingCache(("bb", "other"), root=tmp_path).folder != cache.folder


# ---------------------------------------------------------------------- planning (pure)
def test_threshold_bucket_counts_and_histogram(tmp_path):
    src = tmp_path / "src"
    res = _results([(src / "a.jpg", "cat", 0.9), (src / "b.jpg", "cat", 0.4), (src / "c.jpg", "dog", 0.55),
                    (src / "d.jpg", None, 0.0)])
    plan = plan_labeling(res, threshold=0.5, out_dir=None, mode="none", class_names=["cat", "dog", "bird"])
    assert plan.counts == {"cat": 1, "dog": 1, "bird": 0, UNCERTAIN: 1} and plan.n_errors == 1
    assert [e.bucket for e in plan.entries] == ["cat", UNCERTAIN, "dog", None]
    looser = plan_labeling(res, threshold=0.0, out_dir=None, mode="none")
    assert looser.counts == {"cat": 2, "dog": 1, UNCERTAIN: 0}
    corrected = plan_labeling(res, threshold=0.5, out_dir=None, mode="none",
                              overrides={src / "b.jpg": "dog", src / "a.jpg": UNCERTAIN})
    assert [e.bucket for e in corrected.entries][:2] == [UNCERTAIN, "dog"]
    assert corrected.entries[1].corrected
    edges, counts = confidence_histogram([r.confidence for r in res if not r.error], bins=10)
    assert len(edges) == 11 and counts.sum() == 3 and counts[9] == 1 and counts[4] == 1 and counts[5] == 1
    assert bucket_counts(["a", UNCERTAIN, None], ["a", "b"]) == {"a": 1, "b": 0, UNCERTAIN: 1}
    assert portable_folder_name('a/b:c?') == "a_b_c_" and portable_folder_name("..") == "_"
    with pytest.raises(ValueError, match="threshold"):
        plan_labeling(res, threshold=1.5, out_dir=None, mode="none")


def _tree(root: Path) -> list[Path]:
    files = []
    for rel in ("day1/a.jpg", "day1/b.jpg", "day2/a.jpg", "c.jpg"):
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(rel.encode() * 10)
        files.append(p)
    return files


def test_copy_with_structure_leaves_sources_untouched(tmp_path):
    src, out = tmp_path / "card", tmp_path / "out"
    files = _tree(src)
    res = _results([(files[0], "cat", 0.9), (files[1], "dog", 0.9), (files[2], "cat", 0.2), (files[3], "cat", 0.8)])
    plan = plan_labeling(res, threshold=0.5, out_dir=out, mode="copy", keep_structure=True, source_roots=[src])
    journal = apply_plan(plan)
    assert journal.done == 4 and not journal.failed and journal.path.parent == out
    assert (out / "cat" / "day1" / "a.jpg").read_bytes() == files[0].read_bytes()
    assert (out / "dog" / "day1" / "b.jpg").exists()
    assert (out / UNCERTAIN / "day2" / "a.jpg").read_bytes() == files[2].read_bytes()
    assert (out / "cat" / "c.jpg").exists()
    assert all(f.exists() for f in files)
    flat = plan_labeling(res, threshold=0.5, out_dir=tmp_path / "flat", mode="copy", source_roots=[src])
    assert {e.dest.parent.name for e in flat.entries} == {"cat", "dog", UNCERTAIN}
    # undo removes the copies only; the sources stay
    result = undo(journal.path)
    assert result.removed == 4 and not result.left
    assert not (out / "cat").exists() and all(f.exists() for f in files)
    assert read_journal(journal.path).undone is True


def test_output_inside_a_source_folder_is_refused(tmp_path):
    src = tmp_path / "src"
    files = _tree(src)
    with pytest.raises(ValueError, match="inside the source folder"):
        plan_labeling(_results([(files[0], "cat", 0.9)]), threshold=0, out_dir=src / "sorted",
                      mode="copy", source_roots=[src])


def test_move_and_undo_puts_every_file_back(tmp_path):
    src, out = tmp_path / "card", tmp_path / "out"
    files = _tree(src)
    before = {f: f.read_bytes() for f in files}
    res = _results([(f, lab, 0.9) for f, lab in zip(files, ["cat", "dog", "cat", "dog"])])
    plan = plan_labeling(res, threshold=0.5, out_dir=out, mode="move", keep_structure=True, source_roots=[src])
    events = []
    journal = apply_plan(plan, on_event=events.append)
    assert journal.done == 4 and not any(f.exists() for f in files)
    assert events[-1].done == 4 and events[-1].phase == "Moving files"
    assert last_journal(out) == journal.path
    recorded = read_journal(journal.path)
    assert recorded.complete and all(e.state == "done" and e.sha256 for e in recorded.entries.values())
    result = undo(journal.path)
    assert result.restored == 4 and not result.left
    assert {f: f.read_bytes() for f in files} == before
    assert not (out / "cat").exists() and last_journal(out) is None
    from rmadapter_app.core.errors import RMAdapterError
    with pytest.raises(RMAdapterError, match="already undone"):
        undo(journal.path)


def test_undo_leaves_changed_files_and_taken_places_alone(tmp_path):
    src, out = tmp_path / "card", tmp_path / "out"
    files = _tree(src)
    res = _results([(f, "cat", 0.9) for f in files])
    journal = apply_plan(plan_labeling(res, threshold=0, out_dir=out, mode="move", keep_structure=True,
                                       source_roots=[src]))
    (out / "cat" / "day1" / "a.jpg").write_bytes(b"edited by the user")
    files[1].write_bytes(b"a new file where b.jpg was")
    result = undo(journal.path)
    assert result.restored == 2 and len(result.left) == 2
    assert (out / "cat" / "day1" / "a.jpg").read_bytes() == b"edited by the user"
    assert files[1].read_bytes() == b"a new file where b.jpg was"
    assert (out / "cat" / "day1" / "b.jpg").exists() and files[2].exists() and files[3].exists()
    assert read_journal(journal.path).undone is False


def test_name_clashes_are_renamed_or_skipped_never_overwritten(tmp_path):
    a, b, out = tmp_path / "a", tmp_path / "b", tmp_path / "out"
    for folder in (a, b):
        folder.mkdir()
        (folder / "img.jpg").write_bytes(folder.name.encode())
    (out / "cat").mkdir(parents=True)
    (out / "cat" / "IMG.jpg").write_bytes(b"already there")
    res = _results([(a / "img.jpg", "cat", 0.9), (b / "img.jpg", "cat", 0.9)])
    plan = plan_labeling(res, threshold=0, out_dir=out, mode="copy", source_roots=[a, b])
    assert [e.dest.name for e in plan.entries] == ["img (1).jpg", "img (2).jpg"]
    assert all(e.clash == "renamed" and "renamed" in e.note for e in plan.entries) and plan.n_renamed == 2
    apply_plan(plan)
    assert (out / "cat" / "IMG.jpg").read_bytes() == b"already there"
    assert (out / "cat" / "img (1).jpg").read_bytes() == b"a" and (out / "cat" / "img (2).jpg").read_bytes() == b"b"
    skip = plan_labeling(res, threshold=0, out_dir=out, mode="copy", on_clash="skip", source_roots=[a, b])
    assert [e.action for e in skip.entries] == ["skip", "skip"] and skip.n_skipped == 2
    journal = apply_plan(skip)
    assert journal.done == 0 and len(list((out / "cat").iterdir())) == 3
    # a file that appears between planning and applying is not overwritten either
    late = plan_labeling(_results([(a / "img.jpg", "dog", 0.9)]), threshold=0, out_dir=out, mode="copy")
    (out / "dog").mkdir()
    (out / "dog" / "img.jpg").write_bytes(b"late arrival")
    apply_plan(late)
    assert (out / "dog" / "img.jpg").read_bytes() == b"late arrival" and (out / "dog" / "img (1).jpg").exists()


def test_apply_stops_between_files(tmp_path):
    src, out = tmp_path / "card", tmp_path / "out"
    files = _tree(src)
    plan = plan_labeling(_results([(f, "cat", 0.9) for f in files]), threshold=0, out_dir=out, mode="move",
                         keep_structure=True, source_roots=[src])
    done = []
    journal = apply_plan(plan, on_event=done.append, should_stop=lambda: len(done) >= 2)
    assert journal.stopped and journal.done == 2 and sum(f.exists() for f in files) == 2
    log = read_journal(journal.path)
    assert [e.state for e in log.entries.values()] == ["done", "done"] and log.ended and not log.complete
    assert undo(journal.path).restored == 2 and all(f.exists() for f in files)


def test_reports_written(clf, image_tree, tmp_path):
    (image_tree / "red" / "broken.jpg").write_text("nope")
    run = run_labeling(clf, [image_tree])
    results = run.results(top_k=2)
    plan = plan_labeling(results, threshold=0.99, out_dir=tmp_path / "out", mode="copy",
                         class_names=run.class_names)
    table = write_csv(tmp_path / "r.csv", results, plan)
    rows = list(csv.DictReader(table.open(encoding="utf-8")))
    assert len(rows) == 25
    broken = [r for r in rows if r["path"].endswith("broken.jpg")][0]
    assert broken["label"] == "" and "not an image" in broken["error"] and broken["destination"] == ""
    ok = [r for r in rows if not r["error"]]
    assert all(r["bucket"] == UNCERTAIN and "_uncertain" in r["destination"] for r in ok)
    assert all(len(r["top_k"].split("; ")) == 2 for r in ok)
    report = json.loads(write_json(tmp_path / "r.json", results, plan, {"adapter": None}).read_text())
    assert report["summary"]["counts"][UNCERTAIN] == 24 and report["summary"]["errors"] == 1
    first = [im for im in report["images"] if not im["error"]][0]
    assert first["top_k"][0]["label"] == first["label"] and 0 < first["confidence"] <= 1
    assert not (tmp_path / "out").exists()   # planning and reports never touch the output folder


def test_random_backbone_identity_ignores_attached_adapters(tiny_backbone, tmp_path):
    from rmadapter_app.core.label.embedding_cache import backbone_identity

    bare = backbone_identity(tiny_backbone)
    tiny_backbone.forget_identity()                             # computed again below, with adapters on
    with Classifier.from_adapter_file(_adapter_file(tiny_backbone, tmp_path / "a.rmadapter.safetensors", 1),
                              backbone=tiny_backbone):
        assert backbone_identity(tiny_backbone) == bare
    with torch.no_grad():
        tiny_backbone.visual.proj.add_(0.01)
    tiny_backbone.forget_identity()
    assert backbone_identity(tiny_backbone) != bare            # other weights, other cache
