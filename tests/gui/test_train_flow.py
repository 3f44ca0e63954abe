"""The Train page driven with qtbot on the tiny backbone: train to the end, plots fill, stop keeps a partial adapter."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from tests.gui._train_fixtures import app_state, colour_project, no_dialogs, tiny_spec  # noqa: E402,F401
from tests.gui._train_fixtures import train_page as make_train_page  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.fixture
def train_page(qtbot, app_state):
    return make_train_page(qtbot, app_state, epochs=2)


def test_train_to_the_end_fills_plots_and_autosaves(qtbot, app_state, train_page, no_dialogs):
    from rmadapter_app.core.model.adapter_file import read_adapter_header

    page = train_page
    assert "3 classes, 24 images" in page.summary.text()
    with qtbot.waitSignal(app_state.resultChanged, timeout=120000):
        assert page.start_training()
        assert not page.train_button.isEnabled() and page.stop_button.isEnabled()
    assert app_state.jobs.wait_idle(30000)
    result = app_state.result
    assert result is not None and not result.stopped_early
    assert no_dialogs["errors"] == []
    # plots: every step of the run is drawn for every loss term, and each epoch has accuracy points
    steps = result.metrics["steps"]
    assert steps >= 2
    drawn = page._job.n_steps                    # every StepEvent of the run (k-fold: the folds' fits too)
    assert drawn == steps or (result.metrics["validation"] == "kfold" and drawn > steps)
    for key in ("ce", "consistency", "recon_v", "recon_t", "total"):
        assert page.loss_plot.point_count(key) == drawn
    train_pts, val_pts = page.acc_plot.point_counts()
    assert train_pts == 2 and val_pts == 2
    assert page.acc_plot.zero_shot() == pytest.approx(result.metrics["zero_shot_accuracy"])
    assert "Training on: CPU" in page.device_label.text()
    assert "Done in" in page.phase_label.text()
    # the adapter was autosaved into the project's adapters folder and is now the one in use
    path = app_state.adapter_path
    assert path is not None and path.parent == app_state.project.adapters_dir
    header = read_adapter_header(path)
    assert header.class_names == ["blue", "green", "red"] or sorted(header.class_names) == ["blue", "green", "red"]
    assert header.train["stopped_early"] is False
    # the buttons are back; the settings were stored in the project
    assert page.train_button.isEnabled() and not page.stop_button.isEnabled()
    assert app_state.project.settings["train"]["epochs"] == 2


def test_stop_mid_run_keeps_and_saves_partial_adapter(qtbot, app_state, train_page, no_dialogs):
    from rmadapter_app.core.model.adapter_file import read_adapter_header
    from rmadapter_app.gui.try_view import TryPage

    page = train_page
    page.settings.epochs.setValue(500)           # far longer than the test waits
    try_page = TryPage(app_state)
    qtbot.addWidget(try_page)
    assert page.start_training()
    qtbot.waitUntil(lambda: page._job.n_steps >= 1, timeout=120000)
    # while training runs, another job is refused and the page says why
    assert not try_page.classify_file(app_state.project.training_data()[0][0][0])
    assert "Busy" in try_page.status_label.text()
    with qtbot.waitSignal(app_state.resultChanged, timeout=60000):
        page.stop_training()
        steps_when_stopped = page._job.n_steps          # read after the flag is set: no race
        assert not page.stop_button.isEnabled()
    assert app_state.jobs.wait_idle(30000)
    result = app_state.result
    assert result.stopped_early
    m = result.metrics
    assert m["steps"] <= steps_when_stopped + 1          # stopped within one step
    assert m["steps"] < m["planned_steps"]
    assert "Stopped after" in page.phase_label.text() and "partial" in page.phase_label.text()
    assert no_dialogs["errors"] == []
    path = app_state.adapter_path
    assert path is not None and path.exists() and "partial" in path.name
    header = read_adapter_header(path)
    assert header.train["stopped_early"] is True
    assert header.metrics["steps"] == m["steps"]


def test_missing_weights_offers_download_or_import(qtbot, app_state, train_page, no_dialogs, monkeypatch, tmp_path):
    from rmadapter_app.gui import dialogs
    from rmadapter_app.gui.state import BackboneSpec

    app_state.set_backbone_spec(BackboneSpec("ViT-B-32", "openai"))
    asked = []
    monkeypatch.setattr(dialogs, "ask_missing_weights", lambda parent, message: asked.append(message) or None)
    assert not train_page.start_training()                 # cancelled: nothing starts, nothing downloads
    assert len(asked) == 1 and "ViT-B-32" in asked[0] and "import" in asked[0]
    assert not app_state.jobs.busy()
    # "Import weights file…" with a file that is not a checkpoint: a clear error, no crash, nothing cached
    bad = tmp_path / "not-weights.safetensors"
    bad.write_bytes(b"garbage")
    monkeypatch.setattr(dialogs, "ask_missing_weights", lambda parent, message: dialogs.IMPORT)
    monkeypatch.setattr(dialogs, "ask_open_file", lambda *a, **k: bad)
    assert not train_page.start_training()
    assert app_state.jobs.wait_idle(60000)
    assert len(no_dialogs["errors"]) == 1
    title, message = no_dialogs["errors"][0]
    assert "not-weights.safetensors" in message
    from rmadapter_app.core.model.weights import cached_weights
    assert cached_weights("ViT-B-32", "openai") is None


def test_import_weights_file_then_train_offline(qtbot, app_state, train_page, no_dialogs, monkeypatch, tmp_path,
                                                tiny_backbone):
    """Weights not on disk, no network: importing a local checkpoint files it in the cache and training runs."""
    from safetensors.torch import save_file

    from rmadapter_app.core.model.weights import cached_weights
    from rmadapter_app.gui import dialogs
    from rmadapter_app.gui.state import BackboneSpec

    ckpt = tmp_path / "my-tiny.safetensors"
    save_file({k: v.contiguous() for k, v in tiny_backbone.model.state_dict().items()}, str(ckpt))
    app_state.set_backbone_spec(BackboneSpec("tiny-vit", "openai"))   # as if it were a downloadable model
    monkeypatch.setattr(dialogs, "ask_missing_weights", lambda parent, message: dialogs.IMPORT)
    monkeypatch.setattr(dialogs, "ask_open_file", lambda *a, **k: ckpt)
    with qtbot.waitSignal(app_state.resultChanged, timeout=120000):
        assert not train_page.start_training()          # the import job runs first, then training starts
    assert app_state.jobs.wait_idle(30000)
    assert no_dialogs["errors"] == []
    assert cached_weights("tiny-vit", "openai") is not None
    assert app_state.result is not None and not app_state.result.stopped_early
    assert "Weights imported" in train_page.log.toPlainText()


def test_advanced_settings_round_trip_and_persist(qtbot, app_state, train_page, tmp_path):
    from rmadapter_app.core.config import TrainConfig
    from rmadapter_app.core.project.project import Project
    from rmadapter_app.gui.train_view import TrainPage

    s = train_page.settings
    train_page.set_advanced_visible(True)
    assert s.isVisible() or not train_page.isVisible()
    s.shots.setValue(4)
    s.lr.setValue(0.002)
    s.seed.setValue(7)
    s.augment.setChecked(True)
    s.device.setCurrentIndex(s.device.findData("cpu"))
    s.method.setCurrentIndex(s.method.findData("mma"))
    s._on_method_activated(s.method.currentIndex())
    assert not s.use_consistency.isChecked() and not s.consistency_image.isEnabled()
    cfg = s.config()
    assert (cfg.epochs, cfg.shots, cfg.lr, cfg.seed, cfg.augment, cfg.device) == (2, 4, 0.002, 7, True, "cpu")
    assert not cfg.loss.use_consistency and not cfg.loss.use_recon_visual and not cfg.loss.use_recon_text
    train_page._persist_settings()
    # the settings live in the project: a fresh page on the reopened project shows them again
    reopened = Project.open(app_state.project.folder)
    app_state.set_project(reopened)
    page2 = TrainPage(app_state)
    qtbot.addWidget(page2)
    assert page2.settings.config() == cfg
    assert TrainConfig.from_dict({k: v for k, v in reopened.settings["train"].items() if k != "template"}) == cfg
    # the backbone choice persists too (AppState stores it in the project)
    assert reopened.settings["backbone"]["model_config"].endswith("tiny-vit.json")
    assert "tiny-vit" in page2.picker.combo.currentText()        # the model is chosen on the page itself
    # epochs 0 and shots 0 mean "auto" and "all"
    page2.settings.epochs.setValue(0)
    page2.settings.shots.setValue(0)
    assert page2.settings.config().epochs is None and page2.settings.config().shots is None


def test_download_progress_and_device_warning_are_shown(qtbot, train_page):
    from rmadapter_app.core.events import DeviceEvent, DownloadEvent

    page = train_page
    page._on_job_event(DownloadEvent("open_clip_model.safetensors", 150_000_000, 600_000_000))
    assert page.progress.value() == 25 and "150 of 600 MB" in page.eta_label.text()
    assert "Downloading" in page.phase_label.text()
    page._on_job_event(DeviceEvent("CPU (2 threads, 2 cores)", "cpu",
                                   "A GPU is available but training runs on the CPU, which is much slower."))
    assert "CPU (2 threads" in page.device_label.text()
    assert not page.device_warning.isHidden() and "GPU is available" in page.device_warning.text()


def test_cross_validation_run_plots_all_fits_in_order(qtbot, tmp_path, tiny_config, no_dialogs, tmp_path_factory):
    """Few images: k-fold. Every fit's steps are drawn one after another; folds feed the validation curve."""
    from rmadapter_app.core.project.project import Project
    from rmadapter_app.gui.jobs import JobRunner
    from rmadapter_app.gui.state import AppState
    from rmadapter_app.gui.train_view import TrainPage
    from tests.conftest import write_color_tree

    project = Project.create("Few", tmp_path / "projects")
    project.import_class_folders(write_color_tree(tmp_path / "few", per_class=3))
    state = AppState()
    state.jobs = JobRunner(state)
    state.set_project(project)
    state.set_backbone_spec(tiny_spec(tiny_config, tmp_path_factory))
    page = TrainPage(state)
    qtbot.addWidget(page)
    page.settings.epochs.setValue(2)
    with qtbot.waitSignal(state.resultChanged, timeout=120000):
        assert page.start_training()
    assert state.jobs.wait_idle(30000)
    result = state.result
    assert result.metrics["validation"] == "kfold" and len(result.metrics["fold_accuracies"]) == 5
    xs, _ = page.loss_plot._curves["total"].getData()
    assert list(xs) == sorted(set(xs))                       # one x per step, strictly increasing
    assert len(xs) > result.metrics["steps"]                 # the folds' steps are drawn too
    train_pts, val_pts = page.acc_plot.point_counts()
    assert train_pts == 2 and val_pts == 2                   # validation = mean over the folds per epoch
    assert page.log.toPlainText().count("Cross-validation fold") >= 5


def test_weights_in_the_shared_hub_cache_are_not_offered_for_download(app_state):
    """A ViT already in the Hugging Face cache (another tool downloaded it) trains without asking."""
    from rmadapter_app.core.model.weights import hub_cache_dir
    from rmadapter_app.gui.state import BackboneSpec
    from rmadapter_app.gui.train_job import needs_download
    from tests.core.test_weights import B32_LAION, FakeHub

    spec = BackboneSpec("ViT-B-32", "laion2b_s34b_b79k")
    assert needs_download(app_state, spec)
    FakeHub().store(hub_cache_dir(), B32_LAION, "open_clip_model.safetensors")
    assert not needs_download(app_state, spec)
