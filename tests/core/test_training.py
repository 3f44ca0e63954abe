"""Training loop behaviour: events, stop, bad images, validation schemes, reproducibility."""
from __future__ import annotations

import pytest
import torch

from rmadapter_app.core import events as E
from rmadapter_app.core.config import TrainConfig, ladder_loss
from rmadapter_app.core.errors import DatasetError
from rmadapter_app.core.train.data import make_split, scan_class_folders
from rmadapter_app.core.train.loop import train

FAST = dict(batch_size=4, lr=0.01)


def test_events_arrive_in_order(tiny_backbone, image_tree):
    """8 images per class: the adapter is trained on all 24 and handed out before the folds estimate it."""
    from rmadapter_app.core.train.loop import AdapterReadyEvent, LearningRateEvent

    data = scan_class_folders(image_tree)
    seen = []
    result = train(tiny_backbone, data.samples, data.class_names, config=TrainConfig(epochs=2, **FAST),
                   on_event=seen.append)
    kinds = [type(e).__name__ for e in seen]
    assert kinds[0] == "DeviceEvent"
    assert (kinds.index("ZeroShotEvent") < kinds.index("LearningRateEvent") < kinds.index("StepEvent")
            < kinds.index("EpochEvent") < kinds.index("AdapterReadyEvent") < kinds.index("FoldEvent"))
    assert kinds.count("AdapterReadyEvent") == 1
    lr_event = next(e for e in seen if isinstance(e, LearningRateEvent))
    assert lr_event.lr == FAST["lr"] and not lr_event.auto and lr_event.groups["other"] == FAST["lr"]
    steps = [e for e in seen if isinstance(e, E.StepEvent) and e.fit == 0]
    assert [e.step for e in steps] == list(range(1, len(steps) + 1))
    assert set(steps[0].losses) == {"ce", "consistency", "recon_v", "recon_t", "total"}
    assert steps[-1].step == steps[-1].total_steps == result.metrics["steps"]
    epochs = [e for e in seen if isinstance(e, E.EpochEvent)]
    assert [e.epoch for e in epochs if e.fold is None] == [1, 2]
    assert all(e.val_accuracy is None for e in epochs if e.fold is None)        # the kept adapter saw every image
    assert all(e.val_accuracy is not None for e in epochs if e.fold is not None)
    ready = next(e for e in seen if isinstance(e, AdapterReadyEvent)).result
    assert ready.report.evaluation == "pending" and ready.report.val_accuracy is None
    assert all(torch.equal(ready.adapter_state[k], v) for k, v in result.adapter_state.items())
    assert result.metrics["zero_shot_accuracy"] is not None and not result.stopped_early
    assert result.report.evaluation == "done" and result.report.verdict is not None


def test_stop_within_one_step_keeps_partial_result(tiny_backbone, image_tree):
    data = scan_class_folders(image_tree)
    steps = []

    def on_event(ev):
        if isinstance(ev, E.StepEvent):
            steps.append(ev.step)

    result = train(tiny_backbone, data.samples, data.class_names, config=TrainConfig(epochs=50, **FAST),
                   on_event=on_event, should_stop=lambda: len(steps) >= 3)
    assert steps == [1, 2, 3]
    assert result.stopped_early and result.metrics["steps"] == 3 < result.metrics["planned_steps"]
    assert result.adapter_state  # the partial adapter can be saved


def test_bad_images_are_reported_and_skipped(tiny_backbone, image_tree):
    (image_tree / "red" / "empty.png").write_bytes(b"")
    (image_tree / "red" / "text.jpg").write_text("not an image")
    good = (image_tree / "green" / "green_0.png").read_bytes()
    (image_tree / "green" / "truncated.png").write_bytes(good[: len(good) // 2])
    data = scan_class_folders(image_tree)
    warnings = []
    result = train(tiny_backbone, data.samples, data.class_names, config=TrainConfig(epochs=1, **FAST),
                   on_event=lambda e: warnings.append(e.text) if isinstance(e, E.StatusEvent) and e.level == "warning" else None)
    names = sorted(p.path.name for p in result.skipped)
    assert names == ["empty.png", "text.jpg", "truncated.png"]
    assert len(warnings) == 3 and result.metrics["n_images"] == 24
    assert any("red/empty.png" in w for w in warnings)       # the class folder, not just the file name


def test_no_readable_image_is_a_clear_error(tiny_backbone, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "x.png").write_bytes(b"")
    data = scan_class_folders(tmp_path)
    with pytest.raises(DatasetError, match="No readable images"):
        train(tiny_backbone, data.samples, data.class_names)


def test_few_images_use_cross_validation_not_a_silent_zero(tiny_backbone, tmp_path):
    from tests.conftest import write_color_tree
    root = write_color_tree(tmp_path / "few", per_class=2)
    data = scan_class_folders(root)
    folds, steps = [], []
    result = train(tiny_backbone, data.samples, data.class_names, config=TrainConfig(epochs=1, **FAST),
                   on_event=lambda e: folds.append(e) if isinstance(e, E.FoldEvent)
                   else steps.append(e) if isinstance(e, E.StepEvent) else None)
    assert result.metrics["validation"] == "kfold"
    assert len(folds) == 5 and len(result.metrics["fold_accuracies"]) == 5
    assert {s.fits for s in steps} == {6}                       # the final adapter + 5 folds: whole-run ETA
    assert [s.fit for s in steps] == sorted(s.fit for s in steps) and steps[-1].fit == 5
    assert result.metrics["n_val"] == 6 and result.metrics["val_accuracy"] is not None
    assert not result.stopped_early and result.metrics["steps"] > 0


def test_stop_during_cross_validation_keeps_the_final_adapter(tiny_backbone, tmp_path):
    from tests.conftest import write_color_tree
    root = write_color_tree(tmp_path / "few", per_class=2)
    data = scan_class_folders(root)
    folds = []
    result = train(tiny_backbone, data.samples, data.class_names, config=TrainConfig(epochs=1, **FAST),
                   on_event=lambda e: folds.append(e) if isinstance(e, E.FoldEvent) else None,
                   should_stop=lambda: len(folds) >= 2)
    assert result.stopped_early and len(result.metrics["fold_accuracies"]) == 2
    assert result.metrics["n_val"] == sum(f.n_images for f in folds) and result.adapter_state


def test_class_without_images_stays_a_class(tiny_backbone, image_tree):
    data = scan_class_folders(image_tree)
    names = data.class_names + ["purple"]
    result = train(tiny_backbone, data.samples, names, config=TrainConfig(epochs=1, **FAST))
    assert result.class_names[-1] == "purple"
    assert len(result.metrics["confusion"]) == 4 and result.metrics["per_class_accuracy"]["purple"] is None


def test_seeded_runs_are_reproducible(tiny_backbone, image_tree):
    data = scan_class_folders(image_tree)
    cfg = TrainConfig(epochs=2, seed=7, augment=True, **FAST)
    a = train(tiny_backbone, data.samples, data.class_names, config=cfg)
    b = train(tiny_backbone, data.samples, data.class_names, config=cfg)
    assert [h["total"] for h in a.history] == [h["total"] for h in b.history]
    assert all(torch.equal(a.adapter_state[k], b.adapter_state[k]) for k in a.adapter_state)


@pytest.mark.parametrize("method", ["mma", "mma+con", "mma+con+trec", "mma+con+vrec", "rmadapter"])
def test_ablation_ladder_switches_loss_terms(tiny_backbone, image_tree, method):
    data = scan_class_folders(image_tree)
    loss = ladder_loss(method)
    result = train(tiny_backbone, data.samples, data.class_names,
                   config=TrainConfig(epochs=1, loss=loss, **FAST))
    last = result.history[-1]
    assert (last["consistency"] > 0) == loss.use_consistency
    assert (last["recon_v"] > 0) == loss.use_recon_visual
    assert (last["recon_t"] > 0) == loss.use_recon_text
    assert last["total"] == pytest.approx(last["ce"] + last["consistency"] + last["recon_v"] + last["recon_t"],
                                          rel=1e-5)


def test_split_schemes():
    # issue 9: below 15 images per class "auto" cross-validates (it used to hold out 20 % from 10 per class)
    assert make_split([0] * 14 + [1] * 20).scheme == "kfold"
    labels = [0] * 15 + [1] * 15
    s = make_split(labels)
    assert s.scheme == "holdout"
    train_idx, val_idx = s.folds[0]
    assert sorted(train_idx + val_idx) == list(range(30)) and not set(train_idx) & set(val_idx)
    assert {labels[i] for i in val_idx} == {0, 1}
    assert make_split([0, 1, 1]).scheme == "kfold" and len(make_split([0, 1, 1]).folds) == 3
    assert make_split([0]).scheme == "none"


@pytest.mark.parametrize("mode", [dict(), dict(cache=False), dict(augment=True, augment_views=2)])
def test_mixed_precision_path_runs_end_to_end(tiny_backbone, image_tree, monkeypatch, mode):
    """The autocast code path (CUDA uses it with bf16/fp16) exercised on the CPU with bf16.

    No GPU is needed: the same branches run (autocast around caching, steps and evaluation;
    adapter output cast back to the residual stream's dtype); the adapter stays fp32.
    """
    from rmadapter_app.core.device import DeviceInfo
    from rmadapter_app.core.train import prepare

    monkeypatch.setattr(prepare, "resolve_device",                 # where train() resolves its device
                        lambda *_a, **_k: DeviceInfo(torch.device("cpu"), "CPU (bf16 autocast test)", torch.bfloat16))
    data = scan_class_folders(image_tree)
    steps = []
    result = train(tiny_backbone, data.samples, data.class_names, config=TrainConfig(epochs=2, **FAST, **mode),
                   on_event=lambda e: steps.append(e) if isinstance(e, E.StepEvent) else None)
    assert steps and all(torch.isfinite(torch.tensor(s.losses["total"])) for s in steps)
    assert all(t.dtype == torch.float32 for t in result.adapter_state.values())
    assert result.metrics["val_accuracy"] is not None


# ------------------------------------------------------------------------------------ the stages
def test_each_stage_returns_its_dataclass_and_together_they_are_train(tiny_backbone, image_tree):
    """Run the stages one by one: each gives its typed result, and the losses match train() exactly."""
    from dataclasses import replace

    from rmadapter_app.core.config import AdapterConfig
    from rmadapter_app.core.device import resolve_device
    from rmadapter_app.core.train.balance import balance_losses, weights_of
    from rmadapter_app.core.train.evaluate import (
        Evaluation,
        ValPrediction,
        ZeroShot,
        changed_predictions,
        evaluate,
        predict,
        zero_shot,
    )
    from rmadapter_app.core.train.feature_cache import FeatureCache, build_feature_cache
    from rmadapter_app.core.train.fit import FitOutcome, Fitter, SplitFits, final_indices, fit_split, seed_everything
    from rmadapter_app.core.train.learning_rate import LRChoice, choose_lr, layer_steps
    from rmadapter_app.core.train.prepare import ClassList, PreparedData, check_classes, prepare_data
    from rmadapter_app.core.train.result import Reporter, RunFacts, TrainMetrics, TrainResult
    from rmadapter_app.core.train.verdict import Verdict, judge_run

    (image_tree / "red" / "broken.png").write_bytes(b"xx")
    data = scan_class_folders(image_tree)
    cfg = TrainConfig(epochs=2, seed=5, validation="holdout", **FAST)
    expected = train(tiny_backbone, data.samples, data.class_names, config=cfg)
    assert isinstance(expected, TrainResult)

    classes = check_classes(data.samples, data.class_names, None, "a photo of a {}.")
    assert isinstance(classes, ClassList) and classes.prompts[0] == "a photo of a blue."
    dev = resolve_device(cfg.device, cfg.amp)
    seed_everything(cfg.seed)
    prepared = prepare_data(data.samples, cfg.shots, cfg.seed, lambda e: None)
    assert isinstance(prepared, PreparedData) and len(prepared) == 24 == len(prepared.labels)
    assert [p.path.name for p in prepared.skipped] == ["broken.png"]
    split = make_split(prepared.labels.tolist(), cfg.validation, cfg.val_fraction, cfg.folds, cfg.seed)
    adapter_cfg = AdapterConfig().resolve_layers(tiny_backbone.info.vision_layers, tiny_backbone.info.text_layers)
    features = build_feature_cache(tiny_backbone, adapter_cfg, cfg, dev, prepared.paths, classes.prompts,
                                   on_event=lambda e: None, should_stop=lambda: False)
    assert isinstance(features, FeatureCache)
    assert features.images.tokens.shape[:2] == (24, 2)        # one view per epoch: the plain one, one augmented
    assert features.text.frozen.shape[0] == 3
    fitter = Fitter(tiny_backbone, adapter_cfg, cfg, dev, prepared, classes.prompts, features,
                    lambda e: None, lambda: False)
    frozen = predict(features.model, features, list(range(24)), dev, adapted=False)
    baseline = zero_shot(features, prepared.labels, split, dev)
    assert isinstance(baseline, ZeroShot) and baseline.accuracy == expected.metrics["zero_shot_accuracy"]
    fitter.loss_cfg = balance_losses(fitter, final_indices(split, 24)[0])
    assert weights_of(fitter.loss_cfg) == expected.metrics["loss_weights"]
    choice = choose_lr(cfg)
    assert isinstance(choice, LRChoice) and choice.lr == FAST["lr"] and not choice.auto
    fits = fit_split(fitter, split, 3, lambda e: None, frozen)
    assert isinstance(fits, SplitFits) and isinstance(fits.final, FitOutcome) and not fits.stopped
    assert fits.final.steps == fits.final.planned_steps == expected.metrics["steps"]
    assert [h["total"] for h in fits.final.history] == [h["total"] for h in expected.history]
    assert all(torch.equal(fits.final.adapter_state[k], v) for k, v in expected.adapter_state.items())
    evaluation = evaluate(fits.val_probs, prepared.labels, fits.evaluated, classes.names, prepared.paths)
    assert isinstance(evaluation, Evaluation) and evaluation.predictions == expected.val_predictions
    assert all(isinstance(p, ValPrediction) for p in evaluation.predictions) and evaluation.n_val == 6
    changed = changed_predictions(fitter.predictions(fits.final.adapter_state, list(range(24))), frozen)
    verdict = judge_run(scheme=split.scheme, fits=fits, evaluation=evaluation, frozen_probs=frozen,
                        labels=prepared.labels, changed=changed, n_classes=3, backbone=tiny_backbone.info.label)
    assert isinstance(verdict, Verdict) and verdict == expected.report.verdict
    steps = layer_steps(adapter_cfg.bottleneck, tiny_backbone.info.vision_width, tiny_backbone.info.text_width,
                        choice.lr)
    facts = RunFacts(24, 3, 0.0, dev.description, 1, choice.lr, choice.auto, steps, 2, 2,
                     weights_of(fitter.loss_cfg))
    result = Reporter(cfg, split, baseline, classes, prepared, facts).result(
        fits, evaluation, seconds=1.0, changed=changed, verdict=verdict)
    report = result.report
    assert isinstance(report, TrainMetrics) and isinstance(expected.report, TrainMetrics)
    assert replace(report, train_seconds=0) == replace(expected.report, train_seconds=0)
    assert expected.metrics == expected.report.to_dict() and list(expected.metrics)[:2] == ["validation",
                                                                                            "validation_reason"]


def test_one_fit_outcome_and_kfold_split_fits(tiny_backbone, tmp_path):
    """A stopped fit says so in its FitOutcome; k-fold fills every fold's validation rows."""
    from rmadapter_app.core.config import AdapterConfig
    from rmadapter_app.core.device import resolve_device
    from rmadapter_app.core.train.feature_cache import build_feature_cache
    from rmadapter_app.core.train.fit import Fitter, fit_split
    from rmadapter_app.core.train.prepare import prepare_data
    from tests.conftest import write_color_tree

    root = write_color_tree(tmp_path / "few", per_class=2)
    data = scan_class_folders(root)
    cfg = TrainConfig(epochs=3, **FAST)
    dev = resolve_device("cpu", cfg.amp)
    prepared = prepare_data(data.samples, None, cfg.seed, lambda e: None)
    adapter_cfg = AdapterConfig().resolve_layers(tiny_backbone.info.vision_layers, tiny_backbone.info.text_layers)
    features = build_feature_cache(tiny_backbone, adapter_cfg, cfg, dev, prepared.paths, data.class_names,
                                   on_event=lambda e: None, should_stop=lambda: False)
    steps = []
    fitter = Fitter(tiny_backbone, adapter_cfg, cfg, dev, prepared, data.class_names, features,
                    lambda e: steps.append(e) if isinstance(e, E.StepEvent) else None, lambda: len(steps) >= 2)
    out = fitter.fit([0, 1, 2, 3], [4, 5], fold=None)
    assert out.stopped and out.steps == 2 < out.planned_steps == 3
    assert out.val_probs.shape == (2, 3) and len(out.history) == 2 and out.adapter_state

    fitter = Fitter(tiny_backbone, adapter_cfg, cfg, dev, prepared, data.class_names, features,
                    lambda e: None, lambda: False)
    fits = fit_split(fitter, make_split(prepared.labels.tolist()), 3, lambda e: None)
    assert len(fits.fold_accuracies) == 5 and fits.evaluated == list(range(6)) and not fits.stopped
    assert torch.allclose(fits.val_probs.sum(-1), torch.ones(6))     # every image validated once


# ------------------------------------------------------------------------------------ augmented views
def _textured_tree(root, per_class: int = 6):
    """Noise images with a class tint (solid colours would look the same under every crop and flip)."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(0)
    for c, name in enumerate(("red", "green", "blue")):
        (root / name).mkdir(parents=True)
        for i in range(per_class):
            img = rng.integers(0, 120, (48, 64, 3))
            img[..., c] += 120
            Image.fromarray(img.astype("uint8")).save(root / name / f"{i}.png")
    return root


def test_each_epoch_sees_another_view_and_cached_equals_uncached_per_view(tiny_backbone, tmp_path):
    """Issue 9: one cached view per epoch (plain first); a view computed from pixels is exactly the cached one."""
    image_tree = _textured_tree(tmp_path / "textured")
    from rmadapter_app.core.config import AdapterConfig
    from rmadapter_app.core.device import resolve_device
    from rmadapter_app.core.model.encoders import AdaptedCLIP
    from rmadapter_app.core.model.inject import attach
    from rmadapter_app.core.train.feature_cache import build_feature_cache
    from rmadapter_app.core.train.fit import Fitter
    from rmadapter_app.core.train.prepare import prepare_data

    data = scan_class_folders(image_tree)
    cfg = TrainConfig(epochs=3, seed=4, **FAST)
    dev = resolve_device("cpu")
    prepared = prepare_data(data.samples, None, cfg.seed, lambda e: None)
    adapter_cfg = AdapterConfig().resolve_layers(tiny_backbone.info.vision_layers, tiny_backbone.info.text_layers)
    features = build_feature_cache(tiny_backbone, adapter_cfg, cfg, dev, prepared.paths, data.class_names,
                                   on_event=lambda e: None, should_stop=lambda: False)
    tokens = features.images.tokens
    assert tokens.shape[1] == 3                                    # as many views as epochs
    assert all(not torch.allclose(tokens[:, a], tokens[:, b]) for a in range(3) for b in range(a))
    uncached = Fitter(tiny_backbone, adapter_cfg, TrainConfig(epochs=3, seed=4, cache=False, **FAST), dev,
                      prepared, data.class_names, features, lambda e: None, lambda: False)
    assert [uncached.view_of_epoch(e) for e in (1, 2, 3, 4)] == [0, 1, 2, 0]
    handle = attach(tiny_backbone, adapter_cfg)
    try:
        model = AdaptedCLIP(tiny_backbone, handle)
        idx = torch.tensor([0, 5, 13])
        for view in range(3):
            from_pixels = model.image_prefix(uncached._pixels(idx, view))
            assert torch.allclose(from_pixels, tokens[idx, view], atol=1e-5), view
    finally:
        handle.detach()
    # and whole runs agree step by step, augmented views and validation included
    runs = [train(tiny_backbone, data.samples, data.class_names,
                  config=TrainConfig(epochs=3, seed=4, cache=cache, validation="holdout", **FAST))
            for cache in (True, False)]
    a, b = runs
    assert len(a.history) == len(b.history) > 0
    for ha, hb in zip(a.history, b.history):
        for key in ("ce", "consistency", "recon_v", "recon_t", "total"):
            assert abs(ha[key] - hb[key]) <= 1e-4 * max(1.0, abs(ha[key])), (key, ha, hb)
    assert [p.pred for p in a.val_predictions] == [p.pred for p in b.val_predictions]
    assert a.report.zero_shot_accuracy == b.report.zero_shot_accuracy
