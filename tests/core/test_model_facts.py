"""What the Train page says before a download or a run (core/model/catalog.py, core/project/estimate.py):
sizes from the model's config, presence without the network, a time estimate that follows the run's plan."""
from __future__ import annotations

import pytest

from rmadapter_app.core.config import TrainConfig
from rmadapter_app.core.model.spec import BackboneSpec


def test_facts_of_a_model_not_on_disk_and_of_a_local_one(tiny_config, tiny_backbone, tmp_path):
    from rmadapter_app.core.model.catalog import model_facts

    facts = model_facts(BackboneSpec("ViT-B-32", "openai"))
    assert not facts.on_disk                                   # the isolated hub cache is empty; no network used
    assert 150e6 < facts.parameters < 152e6                    # ViT-B/32 has 151 M parameters
    assert facts.download_bytes == facts.parameters * 4        # open_clip publishes float32: about 605 MB
    assert facts.vision.per_row > 0 and facts.prepare_seconds > 0
    assert (facts.vision_layers, facts.adapted_vision, facts.adapted_text) == (12, 8, 8)   # blocks 5..12 adapted
    local = model_facts(BackboneSpec("tiny-vit", None, model_config=tiny_config))
    real = sum(p.numel() for p in tiny_backbone.model.parameters())
    assert local.on_disk and local.download_bytes == 0 and local.parameters == real


def test_the_estimate_follows_the_runs_plan():
    from rmadapter_app.core.model.catalog import BlockSpeed, ModelFacts
    from rmadapter_app.core.project.estimate import fit_sizes, training_seconds

    facts = ModelFacts(BackboneSpec(), 1, 0, True, vision=BlockSpeed(0.01, 0.002), text=BlockSpeed(0.001, 0.0001),
                       vision_layers=12, adapted_vision=8, adapted_text=8, prepare_seconds=0.005, device="cpu")
    cfg = TrainConfig(augment=False, epochs=5, lr=0.002)
    many = [i // 20 for i in range(100)]                       # 5 classes x 20: one holdout split
    few = [i // 3 for i in range(9)]                           # 3 x 3: cross-validation, one fit per fold more
    assert fit_sizes(many, cfg) == [80]
    assert len(fit_sizes(few, cfg)) > 2 and fit_sizes(few, cfg)[0] == 9
    # holdout: 100 images prepared and encoded once (4 batches of 32 through 12 blocks), then 5 epochs x 5 steps
    # of 16 images through 8 adapted blocks and 5 prompts through 8 text blocks, forward and backward
    encode = 100 * 0.005 + 12 * (4 * 0.01 + 100 * 0.002)
    step = 3 * (8 * (0.01 + 16 * 0.002) + 8 * (0.001 + 5 * 0.0001))
    expected = encode + 5 * 5 * step
    assert training_seconds(facts, many, 5, cfg) == pytest.approx(expected)
    assert training_seconds(facts, [], 5, cfg) == 0
    more = training_seconds(facts, many, 5, TrainConfig(augment=True, epochs=5, lr=0.002))
    assert more > training_seconds(facts, many, 5, cfg)        # augmented views are encoded too
