"""The Train page driven with qtbot on the tiny backbone: train to the end, plots fill, stop keeps a partial adapter."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from tests.gui._train_fixtures import app_state, colour_project, no_dialogs  # noqa: E402,F401

pytestmark = pytest.mark.gui


@pytest.fixture
def train_page(qtbot, app_state):
    from rmadapter_app.gui.train_view import TrainPage
    page = TrainPage(app_state)
    qtbot.addWidget(page)
    page.settings.epochs.setValue(2)
    return page


def test_train_to_the_end_fills_plots_and_autosaves(qtbot, app_state, train_page, no_dialogs):
    from rmadapter_app.core.adapter_file import read_adapter_header

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
    for key in ("ce", "consistency", "recon_v", "recon_t", "total"):
        assert page.loss_plot.point_count(key) == steps
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
