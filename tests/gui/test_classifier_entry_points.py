"""Every page builds its classifier through the core's entry points, on the one shared backbone; a
training result or adapter file of another backbone is refused on the Try page in words (issue 12)."""
from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

pytest.importorskip("PySide6")

from tests.core.test_classifier_build import entry_points  # noqa: E402,F401
from tests.gui._train_fixtures import app_state, colour_project, no_dialogs  # noqa: E402,F401

pytestmark = pytest.mark.gui


def _result_for(backbone, classes, seed=0):
    """A training result (as TrainResult carries it) with random adapters for ``backbone``."""
    import torch

    from rmadapter_app.core.config import AdapterConfig
    from rmadapter_app.core.model.adapter import AdapterSet

    info = backbone.info
    cfg = AdapterConfig().resolve_layers(info.vision_layers, info.text_layers)
    torch.manual_seed(seed)
    adapters = AdapterSet(cfg, info.vision_width, info.text_width)
    return SimpleNamespace(adapter_state=adapters.inference_state_dict(), adapter_config=cfg,
                           class_names=list(classes), prompts=[f"a photo of a {c}." for c in classes])


def _backbone_is_clean(backbone) -> bool:
    from rmadapter_app.core.model.inject import AdaptedBlock
    blocks = list(backbone.visual.transformer.resblocks) + list(backbone.text.transformer.resblocks)
    return not any(isinstance(b, AdaptedBlock) for b in blocks)


def test_backbone_spec_is_the_cores_and_keeps_its_keywords(tiny_config):
    from rmadapter_app.core.model.spec import BackboneSpec as CoreSpec
    from rmadapter_app.gui.state import AppState, BackboneSpec

    assert BackboneSpec is CoreSpec
    spec = BackboneSpec(model_name="tiny-vit", pretrained=None, model_config=tiny_config)
    assert spec.key() == ("tiny-vit", None, "", str(tiny_config)) and AppState().backbone_spec == BackboneSpec()


def test_label_and_try_pages_build_through_the_entry_points_on_one_backbone(qtbot, app_state, no_dialogs,
                                                                             image_tree, tmp_path, entry_points):
    from rmadapter_app.gui.label_view import LabelPage
    from rmadapter_app.gui.try_view import TryPage
    from tests.core.test_labeling import _adapter_file

    label, page = LabelPage(app_state), TryPage(app_state)
    qtbot.addWidget(label)
    qtbot.addWidget(page)
    image = image_tree / "red" / "red_0.png"

    assert page.classify_file(image) and app_state.jobs.wait_idle(60000)       # zero-shot on the project
    backbone = app_state.cached_backbone()
    assert backbone is not None and page._classifier.backbone is backbone
    label.add_sources([image_tree / "blue"])
    with qtbot.waitSignal(label.runFinished, timeout=60000):
        assert label.start_labeling()                                           # zero-shot, names typed
    assert app_state.jobs.wait_idle(60000) and label._classifier.backbone is backbone
    assert entry_points == {"from_adapter_file": 0, "from_training": 0, "zero_shot": 2, "__init__": 2}

    app_state.set_result(_result_for(backbone, ["red", "green", "blue"]))        # the last training run
    assert page.classify_file(image) and app_state.jobs.wait_idle(60000)
    assert entry_points["from_training"] == 1 and len(page.ranking()) == 3

    adapter = _adapter_file(backbone, tmp_path / "a.rmadapter.safetensors", seed=2)
    app_state.set_adapter_path(adapter)                                          # both pages switch to it
    assert page.classify_file(image) and app_state.jobs.wait_idle(60000)
    with qtbot.waitSignal(label.runFinished, timeout=60000):
        assert label.start_labeling()
    assert app_state.jobs.wait_idle(60000)
    assert entry_points == {"from_adapter_file": 2, "from_training": 1, "zero_shot": 2, "__init__": 5}
    assert app_state.cached_backbone() is backbone and len(app_state.backbones) == 1   # loaded once, shared
    assert _backbone_is_clean(backbone) and no_dialogs["errors"] == []


def test_try_page_refuses_a_result_or_adapter_of_another_backbone_in_words(qtbot, app_state, no_dialogs,
                                                                           image_tree, tmp_path):
    from rmadapter_app.core.model.backbone import load_backbone
    from rmadapter_app.gui.try_view import TryPage
    from tests.conftest import TINY_CONFIG
    from tests.core.test_labeling import _adapter_file

    cfg = dict(TINY_CONFIG, vision_cfg=dict(TINY_CONFIG["vision_cfg"], width=48), embed_dim=24)
    other_config = tmp_path / "other-vit.json"
    other_config.write_text(json.dumps(cfg))
    other = load_backbone(model_config=other_config)
    page = TryPage(app_state)
    qtbot.addWidget(page)
    image = image_tree / "red" / "red_0.png"

    app_state.set_result(_result_for(other, ["red", "green", "blue"]))     # trained on the other backbone
    assert page.classify_file(image) and app_state.jobs.wait_idle(60000)
    assert len(no_dialogs["errors"]) == 1 and "does not fit this backbone" in no_dialogs["errors"][0][1]
    assert "does not fit this backbone" in page.status_label.text() and page.ranking() == []
    assert page._classifier is None and _backbone_is_clean(app_state.cached_backbone())

    app_state.set_adapter_path(_adapter_file(other, tmp_path / "other.rmadapter.safetensors", seed=1))
    assert page.classify_file(image) and app_state.jobs.wait_idle(60000)
    assert len(no_dialogs["errors"]) == 2 and "does not fit this backbone" in no_dialogs["errors"][1][1]
    assert page.ranking() == [] and _backbone_is_clean(app_state.cached_backbone())
