"""Fixtures shared by the train/results/try page tests (imported by those modules, not a conftest)."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")


def train_page(qtbot, state, epochs: int):
    """A real Train page on ``state``, closed by qtbot after the test, set to ``epochs`` passes."""
    from rmadapter_app.gui.train_view import TrainPage
    page = TrainPage(state)
    qtbot.addWidget(page)
    page.settings.epochs.setValue(epochs)
    return page


def train_on_page(qtbot, state, epochs: int = 2):
    """Run the real Train page to the end (as a click on Train does); returns the page."""
    page = train_page(qtbot, state, epochs)
    with qtbot.waitSignal(state.resultChanged, timeout=120000):
        assert page.start_training()
    assert state.jobs.wait_idle(30000)
    return page


@pytest.fixture
def colour_project(tmp_path, image_tree):
    """A real project holding the red/green/blue images (8 each) plus a class known by name only."""
    from rmadapter_app.core.project.project import Project
    project = Project.create("Colours", tmp_path / "projects")
    project.import_class_folders(image_tree)
    return project


_WEIGHTS: dict[str, object] = {}


def tiny_weights(tiny_config, tmp_path_factory):
    """A weights file for the tiny config (seeded random init), made once per session: the app refuses
    to train on a model config alone, so the tests give the tiny model as "Custom model" does."""
    key = str(tiny_config)
    if key not in _WEIGHTS:
        import torch
        from safetensors.torch import save_file

        from rmadapter_app.core.model.backbone import load_backbone
        torch.manual_seed(0)
        backbone = load_backbone(model_config=tiny_config)
        path = tmp_path_factory.mktemp("weights") / "tiny-vit.safetensors"
        save_file({k: v.contiguous() for k, v in backbone.model.state_dict().items()}, str(path))
        _WEIGHTS[key] = path
    return _WEIGHTS[key]


def tiny_spec(tiny_config, tmp_path_factory):
    """The tiny backbone as the app's "Custom model" gives it: its config and its weights."""
    from rmadapter_app.gui.state import BackboneSpec
    return BackboneSpec(model_name="tiny-vit", pretrained=None, weights=tiny_weights(tiny_config, tmp_path_factory),
                        model_config=tiny_config)


@pytest.fixture
def app_state(qtbot, colour_project, tiny_config, tmp_path_factory):
    """AppState with the project open, the tiny backbone chosen and a JobRunner; waits for jobs at the end."""
    from rmadapter_app.gui.jobs import JobRunner
    from rmadapter_app.gui.state import AppState
    state = AppState()
    state.jobs = JobRunner(state)
    state.set_project(colour_project)
    state.set_backbone_spec(tiny_spec(tiny_config, tmp_path_factory))
    yield state
    state.jobs.stop()
    assert state.jobs.wait_idle(60000)


@pytest.fixture
def no_dialogs(monkeypatch):
    """Fail loudly if a test would open a modal dialog it did not expect; collect error messages."""
    from rmadapter_app.gui import dialogs
    shown: dict[str, list] = {"errors": [], "infos": []}

    def show_error(parent, title, message, details=""):
        shown["errors"].append((title, message))

    def show_info(parent, title, text):
        shown["infos"].append((title, text))

    def unexpected(*args, **kwargs):
        raise AssertionError(f"unexpected dialog: {args!r}")

    monkeypatch.setattr(dialogs, "show_error", show_error)
    monkeypatch.setattr(dialogs, "show_info", show_info)
    for name in ("ask_open_file", "ask_save_file", "ask_yes_no", "ask_missing_weights"):
        monkeypatch.setattr(dialogs, name, unexpected)
    return shown
