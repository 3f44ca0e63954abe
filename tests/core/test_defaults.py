"""The defaults exactly as shipped (issue 9): one click adapts, on toy CLIPs of both temperatures.

No test here sets a learning rate, a loss weight or an epoch count: ``train()`` gets no config at
all, as the Train button and ``rmadapter train`` give it. The data is the issue's: 5 classes x 8
images of a shifted domain of the digits; accuracy is measured on held-out images of the same
shift and classes (the training domain), beside frozen CLIP's on the same images.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch

from rmadapter_app.core.classifier import Classifier
from rmadapter_app.core.config import DEFAULT_EPOCHS, LossConfig, TrainConfig
from rmadapter_app.core.train.data import scan_class_folders, take_shots
from rmadapter_app.core.train.loop import train
from rmadapter_app.testing import toyclip as toy

BASE = ["eight", "five", "four", "nine", "one"]       # the first five names in sorted order (base-to-novel)


@pytest.fixture(scope="module")
def shifted_task(tmp_path_factory):
    """8 training images per class of 5 classes, and the held-out shifted images of those classes."""
    pool_dir, test_dir = toy.write_shifted_task(tmp_path_factory.mktemp("shifted"), classes=BASE)
    pool, test = scan_class_folders(pool_dir), scan_class_folders(test_dir)
    assert pool.class_names == BASE == test.class_names
    return take_shots(pool.samples, 8, seed=1), test.samples


def _backbone(logit_scale):
    from rmadapter_app.core.model.backbone import load_backbone
    cfg, weights = toy.ensure_toy_clip(logit_scale=logit_scale)
    return load_backbone(model_config=cfg, weights=weights)


def _predictions(clf: Classifier, samples) -> np.ndarray:
    preds = clf.classify_paths([p for p, _ in samples], batch_size=256, top_k=1)
    return np.array([clf.class_names.index(p.label) for p in preds])


@pytest.mark.parametrize("logit_scale", [100.0, None], ids=["real-CLIP-temperature-100", "learned-13.5"])
def test_defaults_as_shipped_adapt_and_beat_frozen_clip(shifted_task, logit_scale):
    train_set, held_out = shifted_task
    backbone = _backbone(logit_scale)
    result = train(backbone, train_set, BASE)             # no config: the defaults as shipped
    r = result.report
    assert r.lr_auto and r.lr is not None and r.epochs == DEFAULT_EPOCHS
    assert r.views_per_image == DEFAULT_EPOCHS                    # a different view of each image per epoch
    assert r.validation == "kfold" and len(r.fold_accuracies) == len(r.zero_shot_fold_accuracies) == 5
    assert r.verdict is not None and r.evaluation == "done"

    truth = np.array([y for _, y in held_out])
    with Classifier.zero_shot(None, BASE, backbone=backbone) as frozen_clf:
        frozen = _predictions(frozen_clf, held_out)
    with Classifier.from_training(result, backbone=backbone) as adapted_clf:
        adapted = _predictions(adapted_clf, held_out)
    frozen_acc, adapted_acc = (frozen == truth).mean(), (adapted == truth).mean()
    assert (adapted != frozen).sum() >= 10                 # the saved adapter changes predictions...
    assert adapted_acc >= frozen_acc + 0.02, (adapted_acc, frozen_acc)   # ...and beats frozen CLIP


def test_shipped_defaults_are_the_documented_ones():
    cfg = TrainConfig()
    assert cfg.lr is None and cfg.epochs is None and cfg.n_epochs == DEFAULT_EPOCHS == 5
    assert cfg.augment and cfg.n_augment_views == 4 and cfg.validation == "auto" and cfg.batch_size == 16
    assert cfg.loss == LossConfig() and cfg.loss.balance
    assert (cfg.loss.consistency_image, cfg.loss.consistency_text, cfg.loss.recon_visual,
            cfg.loss.recon_text) == (0.3, 0.3, 0.3, 0.3)
    assert TrainConfig(epochs=9).n_augment_views == 8 and TrainConfig(epochs=40).n_augment_views == 16
    assert TrainConfig(augment=False).n_augment_views == 0


def test_default_backbone_follows_the_machine(monkeypatch):
    from rmadapter_app.core.model import spec

    assert spec.default_model_for("cpu") == "ViT-B-32"
    assert spec.default_model_for("cuda") == spec.default_model_for("cuda:1") == spec.default_model_for("mps") \
        == "ViT-B-16"
    assert "ViT-B-32" in spec.default_model_reason("cpu") and "faster" in spec.default_model_reason("cpu")
    monkeypatch.setattr(spec, "machine_device", lambda: "cpu")
    assert spec.default_spec_for_machine() == spec.BackboneSpec("ViT-B-32", "openai")
    monkeypatch.setattr(spec, "machine_device", lambda: "cuda")
    assert spec.default_spec_for_machine() == spec.BackboneSpec("ViT-B-16", "openai")


def test_the_update_does_not_depend_on_the_gradients_scale():
    """The automatic rule's first step is the same for a gradient 7x larger (logit scale 100 vs ~14),
    and each layer's step is scaled by bottleneck / fan_in (down-projections read the tower's width)."""
    from rmadapter_app.core.config import AdapterConfig
    from rmadapter_app.core.model.adapter import AdapterSet
    from rmadapter_app.core.train.learning_rate import AUTO_LR, layer_steps, make_optimizer

    cfg = AdapterConfig(vision_layers=(1, 2), text_layers=(1, 2))
    widths = (128, 64)                                      # vision, text; bottleneck 32
    moved = []
    for factor in (1.0, 7.0):
        torch.manual_seed(0)
        adapters = AdapterSet(cfg, *widths)
        before = {k: v.detach().clone() for k, v in adapters.named_parameters()}
        opt = make_optimizer(adapters, AUTO_LR, TrainConfig())
        torch.manual_seed(1)
        for p in adapters.parameters():
            p.grad = torch.randn_like(p).sign() * factor      # |g| = factor everywhere
        opt.step()
        moved.append({k: (v.detach() - before[k]) for k, v in adapters.named_parameters()})
    for k in moved[0]:
        assert torch.allclose(moved[0][k], moved[1][k], rtol=1e-5, atol=1e-9), k
    steps = layer_steps(cfg.bottleneck, *widths, AUTO_LR)
    assert steps == pytest.approx({"down_visual": AUTO_LR / 4, "down_text": AUTO_LR / 2, "other": AUTO_LR})
    step = {k: float(v.abs().max()) for k, v in moved[0].items()}
    wd = TrainConfig().weight_decay
    assert step["visual.layer1.down.weight"] == pytest.approx(steps["down_visual"], rel=wd + 1e-3)
    assert step["text.layer2.down.weight"] == pytest.approx(steps["down_text"], rel=wd + 1e-3)
    for name in ("visual.layer1.up.weight", "text.layer1.rec2.weight", "shared.slot0.weight"):
        assert step[name] == pytest.approx(AUTO_LR, rel=wd + 1e-3), name
