"""The loss balance is measured and kept, and a run says in plain words when training did not help."""
from __future__ import annotations

import pytest

from rmadapter_app.core.config import LADDER, LossConfig, TrainConfig, ladder_loss
from rmadapter_app.core.train.balance import GROUPS, TERMS, measure_loss_balance, unit_weights
from rmadapter_app.core.train.data import scan_class_folders
from rmadapter_app.core.train.loop import train
from rmadapter_app.core.train.verdict import judge


def test_step0_gradient_norms_per_term_and_group(tiny_backbone, image_tree):
    data = scan_class_folders(image_tree)
    raw = measure_loss_balance(tiny_backbone, data.samples, data.class_names,
                               config=TrainConfig(loss=unit_weights(LossConfig())))
    assert set(raw.norms) == set(TERMS) and all(set(v) == set(GROUPS) for v in raw.norms.values())
    # each term reaches exactly the layers it should: reconstruction never the up-projections,
    # image terms never the text tower, the decoder only through reconstruction
    assert raw.norms["recon_visual"]["up_visual"] == 0 and raw.norms["recon_visual"]["down_text"] == 0
    assert raw.norms["recon_visual"]["down_visual"] > 0 and raw.norms["recon_text"]["down_text"] > 0
    assert raw.norms["consistency_image"]["down_text"] == 0 and raw.norms["consistency_text"]["up_text"] > 0
    assert raw.norms["ce"]["decoder"] == 0 and raw.norms["ce"]["down_visual"] > 0
    assert "ce" in raw.table() and raw.ratio("down_text", "recon_text") > 0


def test_balanced_defaults_keep_every_term_within_a_small_factor_of_the_cross_entropy(tiny_backbone, image_tree):
    """With the shipped weights (0.3 of the CE's gradient) no term dominates a shared layer."""
    data = scan_class_folders(image_tree)
    result = train(tiny_backbone, data.samples, data.class_names, config=TrainConfig(epochs=1, validation="none"))
    weights = result.report.loss_weights
    assert set(weights) == {"consistency_image", "consistency_text", "recon_visual", "recon_text"}
    run_loss = LossConfig(**weights, balance=False)
    balance = measure_loss_balance(tiny_backbone, data.samples, data.class_names,
                                   config=TrainConfig(epochs=1, loss=run_loss))
    for term, group in (("recon_visual", "down_visual"), ("recon_text", "down_text")):
        assert balance.ratio(group, term) == pytest.approx(0.3, rel=1e-3)
    for group in ("down_visual", "down_text"):
        assert balance.dominance(group) < 4
    # the raw terms, unbalanced, differ by far more than that on the same layers
    raw = measure_loss_balance(tiny_backbone, data.samples, data.class_names,
                               config=TrainConfig(epochs=1, loss=unit_weights(LossConfig())))
    assert max(raw.dominance("down_visual"), raw.dominance("down_text")) > 10


@pytest.mark.parametrize("method", list(LADDER))
def test_ladder_switches_survive_balancing(tiny_backbone, image_tree, method):
    data = scan_class_folders(image_tree)
    loss = ladder_loss(method)
    result = train(tiny_backbone, data.samples, data.class_names,
                   config=TrainConfig(epochs=1, validation="none", loss=loss))
    w = result.report.loss_weights
    assert (w["consistency_image"] > 0) == (w["consistency_text"] > 0) == loss.use_consistency
    assert (w["recon_visual"] > 0) == loss.use_recon_visual and (w["recon_text"] > 0) == loss.use_recon_text


def test_unbalanced_weights_are_used_as_given(tiny_backbone, image_tree):
    data = scan_class_folders(image_tree)
    loss = LossConfig(consistency_image=10, consistency_text=25, recon_visual=0.1, recon_text=0.1, balance=False)
    result = train(tiny_backbone, data.samples, data.class_names,
                   config=TrainConfig(epochs=1, validation="none", loss=loss))
    assert result.report.loss_weights == {"consistency_image": 10, "consistency_text": 25,
                                          "recon_visual": 0.1, "recon_text": 0.1}


# ---------------------------------------------------------------------------------------- verdict
def test_a_run_that_changes_nothing_says_so(tiny_backbone, image_tree):
    data = scan_class_folders(image_tree)
    result = train(tiny_backbone, data.samples, data.class_names, config=TrainConfig(epochs=1, lr=1e-12))
    v = result.report.verdict
    assert result.report.changed_predictions == 0
    assert v.helped is False and "did not change" in v.summary
    assert any("more images" in a for a in v.advice) and any("varied" in a for a in v.advice)
    assert any("larger backbone" in a for a in v.advice)


def test_verdict_sentences():
    common = dict(n_images=40, min_per_class=8, complete=True, backbone="ViT-B-32 (openai)")
    worse = judge(scheme="kfold", zero_shot=0.6, adapted=0.55, fold_accuracies=[0.5, 0.6],
                  zero_shot_folds=[0.6, 0.6], changed=7, **common)
    assert worse.helped is False and "did not help" in worse.summary and "55%" in worse.summary
    assert any("ViT-B-16" in a for a in worse.advice)
    better = judge(scheme="holdout", zero_shot=0.5, adapted=0.8, fold_accuracies=[], zero_shot_folds=[],
                   changed=9, **common)
    assert better.helped is True and better.advice == [] and "80%" in better.summary
    noisy = judge(scheme="kfold", zero_shot=0.5, adapted=0.55, fold_accuracies=[0.3, 0.8],
                  zero_shot_folds=[0.5, 0.5], changed=3, **common)
    assert noisy.helped is True and "chance" in noisy.summary and noisy.advice
    unknown = judge(scheme="none", zero_shot=None, adapted=None, fold_accuracies=[], zero_shot_folds=[],
                    changed=3, **common)
    assert unknown.helped is None and "not known" in unknown.summary
    easy = judge(scheme="holdout", zero_shot=0.97, adapted=0.97, fold_accuracies=[], zero_shot_folds=[],
                 changed=1, **common)
    assert easy.helped is False and "little left to gain" in easy.advice[0]
