"""Issue 13, "one guided backbone step": the Train page picks the model for the machine and says why; before
a download it gives the size and the training time; offline it says so plainly with the import button;
an imported file's architecture is recognised (a misfit is explained in words); "Custom model" takes a
config and weights together; training on random weights is refused."""
from __future__ import annotations

import json

import pytest

pytest.importorskip("PySide6")

from tests.conftest import TINY_CONFIG  # noqa: E402
from tests.gui._train_fixtures import (  # noqa: E402,F401
    app_state, colour_project, no_dialogs, tiny_spec, tiny_weights, train_page)

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot, app_state):
    return train_page(qtbot, app_state, epochs=1)


def _other_tiny(tmp_path, name="wide-vit", **vision):
    """A second tiny architecture, registered, with a weights file of its own."""
    import torch
    from safetensors.torch import save_file

    from rmadapter_app.core.model.backbone import load_backbone
    config = tmp_path / f"{name}.json"
    config.write_text(json.dumps(dict(TINY_CONFIG, vision_cfg=dict(TINY_CONFIG["vision_cfg"], **vision))))
    torch.manual_seed(1)
    backbone = load_backbone(model_config=config)
    weights = tmp_path / f"{name}-weights.safetensors"
    save_file({k: v.contiguous() for k, v in backbone.model.state_dict().items()}, str(weights))
    return config, weights


def test_without_a_gpu_a_new_project_gets_vit_b32_and_the_page_says_why(qtbot, tmp_path, no_dialogs):
    from rmadapter_app.core.project.project import Project
    from rmadapter_app.gui import main_window
    from rmadapter_app.gui.state import BackboneSpec

    win = main_window.MainWindow(restore_last=False, probe_device=False)
    qtbot.addWidget(win)
    win.set_project(Project.create("New", tmp_path))
    assert win.state.backbone_spec == BackboneSpec("ViT-B-16", "openai")      # before the machine is known
    win.state.set_machine(False)                                              # what the device probe finds
    train = win.pages["train"]
    assert win.state.backbone_spec == BackboneSpec("ViT-B-32", "openai")
    assert train.picker.combo.currentText().startswith("ViT-B/32")
    assert train.picker.reason.isVisibleTo(train) and not train.settings.isVisibleTo(train)   # not in Advanced
    reason = train.picker.reason.text()
    assert "No GPU" in reason and "ViT-B/32" in reason and "ViT-B/16" in reason
    # with a GPU a new project gets ViT-B/16; a project that chose keeps its choice
    win.state.set_machine(True)
    win.set_project(Project.create("Other", tmp_path))
    assert win.state.backbone_spec == BackboneSpec("ViT-B-16", "openai") and "GPU is available" in \
        train.picker.reason.text()
    win.state.set_backbone_spec(BackboneSpec("ViT-L-14", "openai"))
    win.set_project(Project.open(tmp_path / "Other"))
    assert win.state.backbone_spec == BackboneSpec("ViT-L-14", "openai")
    assert "You chose ViT-L/14" in train.picker.reason.text()


def test_before_a_download_the_size_and_the_training_time_are_shown(qtbot, app_state, page, monkeypatch, no_dialogs):
    from rmadapter_app.gui import dialogs
    from rmadapter_app.gui.state import BackboneSpec

    app_state.set_backbone_spec(BackboneSpec("ViT-B-32", "openai"))
    with qtbot.waitSignal(page.probe.ready, timeout=120000):
        page.show()                                            # the page asks what the model costs here
    status = page.picker.status.text()
    assert "not on this computer yet" in status and "605 MB" in status       # 151 M float32 parameters
    assert "Training this project then takes" in status
    assert page.picker.import_button.isVisibleTo(page)
    est = page.picker.estimate()
    assert est.download_bytes == pytest.approx(605e6, rel=0.01) and est.seconds > 0
    asked = []
    monkeypatch.setattr(dialogs, "ask_missing_weights", lambda parent, message: asked.append(message) or None)
    assert not page.start_training()
    assert "605 MB" in asked[0] and "Training this project then takes" in asked[0]


def test_offline_gets_a_plain_sentence_and_the_import_button(qtbot, app_state, page, monkeypatch, no_dialogs):
    from rmadapter_app.gui import dialogs
    from rmadapter_app.gui.state import BackboneSpec

    app_state.set_backbone_spec(BackboneSpec("ViT-B-32", "openai"))      # the tests run with HF_HUB_OFFLINE=1
    with qtbot.waitSignal(page.probe.ready, timeout=120000):
        page.show()
    assert "not on this computer yet" in page.picker.status.text()      # not known to be offline yet
    answers, asked = iter([dialogs.DOWNLOAD, None]), []
    monkeypatch.setattr(dialogs, "ask_missing_weights", lambda parent, message: asked.append(message) or next(answers))
    with qtbot.waitSignal(app_state.jobs.busyChanged, timeout=60000, check_params_cb=lambda busy: not busy):
        assert page.start_training()                            # "Download": tried, and it cannot work
    assert len(asked) == 2
    for text in (asked[1], page.phase_label.text()):
        assert "seems to be offline" in text and "import a weights file" in text
        for jargon in ("Errno", "rmadapter import-weights", "HF_HUB_OFFLINE", "Traceback", "--model"):
            assert jargon not in text
    status = page.picker.status.text()
    assert "this computer is offline" in status and "Import its weights file" in status
    assert page.picker.import_button.isVisible()
    assert no_dialogs["errors"] == []


def test_an_imported_file_of_another_architecture_is_recognised_and_chosen(qtbot, app_state, page, monkeypatch,
                                                                           tmp_path, no_dialogs):
    import torch
    from safetensors.torch import save_file

    from rmadapter_app.core.model.weights import cached_weights
    from rmadapter_app.gui import dialogs
    from rmadapter_app.gui.state import BackboneSpec

    _, wide_weights = _other_tiny(tmp_path, patch_size=8)
    app_state.set_backbone_spec(BackboneSpec("tiny-vit", "openai"))     # as if a downloadable model were chosen
    monkeypatch.setattr(dialogs, "ask_missing_weights", lambda parent, message: dialogs.IMPORT)
    monkeypatch.setattr(dialogs, "ask_open_file", lambda *a, **k: wide_weights)
    with qtbot.waitSignal(app_state.resultChanged, timeout=120000):
        assert not page.start_training()                       # import first, then training starts by itself
    assert app_state.jobs.wait_idle(60000)
    assert no_dialogs["errors"] == []
    assert app_state.backbone_spec == BackboneSpec("wide-vit", "imported")
    assert cached_weights("wide-vit", "imported") is not None and cached_weights("tiny-vit", "openai") is None
    log = page.log.toPlainText()
    assert "wide-vit-weights.safetensors is a CLIP" in log and "wide-vit is now chosen" in log
    assert "size mismatch" not in log and "torch.Size" not in log
    assert app_state.result is not None and app_state.cached_backbone().info.model_name == "wide-vit"
    # a file that is no open_clip CLIP: told what it is, nothing imported
    hf = tmp_path / "model.safetensors"
    save_file({"vision_model.embeddings.patch_embedding.weight": torch.zeros(32, 3, 16, 16),
               "text_model.embeddings.token_embedding.weight": torch.zeros(10, 32)}, str(hf))
    monkeypatch.setattr(dialogs, "ask_open_file", lambda *a, **k: hf)
    assert page.import_weights() and app_state.jobs.wait_idle(60000)
    assert len(no_dialogs["errors"]) == 1
    message = no_dialogs["errors"][0][1]
    assert "model.safetensors is a Hugging Face transformers CLIP checkpoint" in message
    assert "size mismatch" not in message and "torch.Size" not in message


def test_custom_model_takes_a_config_and_weights_together(qtbot, app_state, page, monkeypatch, tmp_path, tiny_config,
                                                          tmp_path_factory, no_dialogs):
    from rmadapter_app.gui import custom_model

    weights = tiny_weights(tiny_config, tmp_path_factory)
    wide_config, _ = _other_tiny(tmp_path, width=48)
    choices = iter([(weights, tiny_config), (weights, wide_config), (weights, None)])
    monkeypatch.setattr(custom_model, "ask_custom_model", lambda parent, w=None, c=None: next(choices))
    app_state.set_backbone_spec(app_state.backbone_spec.__class__("ViT-B-16", "openai"))

    assert page.choose_custom_model() and app_state.jobs.wait_idle(60000)
    spec = app_state.backbone_spec
    assert (spec.weights, spec.model_config, spec.model_name) == (weights, tiny_config, "tiny-vit")
    assert not spec.is_random and "tiny-vit" in page.picker.combo.currentText()
    # a config that does not describe the weights: refused in words, the choice unchanged
    assert page.choose_custom_model() and app_state.jobs.wait_idle(60000)
    assert len(no_dialogs["errors"]) == 1 and "do not belong together" in no_dialogs["errors"][0][1]
    assert "vision width 32, not 48" in no_dialogs["errors"][0][1] and app_state.backbone_spec == spec
    # weights alone: the architecture is recognised from the file
    assert page.choose_custom_model() and app_state.jobs.wait_idle(60000)
    assert app_state.backbone_spec.model_name == "tiny-vit" and app_state.backbone_spec.model_config is None
    with qtbot.waitSignal(app_state.resultChanged, timeout=120000):
        assert page.start_training()
    assert app_state.jobs.wait_idle(60000) and not app_state.result.stopped_early


def test_training_on_random_weights_is_refused(qtbot, app_state, page, tiny_config, no_dialogs):
    from rmadapter_app.gui.state import BackboneSpec

    app_state.set_backbone_spec(BackboneSpec("tiny-vit", None, model_config=tiny_config))   # a config, no weights
    assert not page.start_training()
    assert not app_state.jobs.busy() and app_state.result is None
    assert len(no_dialogs["infos"]) == 1
    assert "no trained weights" in no_dialogs["infos"][0][1] and "Custom model" in no_dialogs["infos"][0][1]
    assert "no trained weights" in page.picker.combo.currentText()
    assert "training on it is refused" in page.picker.status.text()


def test_before_any_project_is_open_the_train_page_offers_the_machines_model(qtbot):
    """Seen on a fresh start without a GPU: the Train page said 'You chose ViT-B/16' before a project
    was open, though the user had chosen nothing."""
    from rmadapter_app.gui.state import AppState
    from rmadapter_app.gui.train_view import TrainPage

    state = AppState()
    page = TrainPage(state)
    qtbot.addWidget(page)
    state.set_machine(False)
    assert state.backbone_spec.model_name == "ViT-B-32"
    assert "You chose" not in page.picker.reason.text()
    state.set_machine(True)
    assert state.backbone_spec.model_name == "ViT-B-16"
