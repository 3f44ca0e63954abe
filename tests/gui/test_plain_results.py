"""Issue 13, "plain-language training and results": the loss plot shows the classification loss and the total,
the other terms behind Details in words; few images per class are warned about; the progress says what is
really trained on; "no better than frozen CLIP" comes with advice; Train and Save stay in view at 1024x700
and 1280x800, and a long message never widens the window."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

pytest.importorskip("PySide6")

from tests.gui._train_fixtures import app_state, colour_project, no_dialogs, tiny_spec  # noqa: E402,F401

pytestmark = pytest.mark.gui


def test_the_loss_plot_speaks_plainly(qtbot):
    from rmadapter_app.gui.widgets.loss_plot import LossPlot

    plot = LossPlot()
    qtbot.addWidget(plot)
    for step in range(1, 21):                     # the reconstruction terms are ~1000x the classification loss
        plot.append(step, {"ce": 1.0 / step, "consistency": 0.1, "recon_v": 2000.0, "recon_t": 900.0,
                           "total": 1000.0 + 1.0 / step})
    plot.flush()
    assert plot.legend_names() == ["classification (left)", "total (right)"]
    assert set(plot.visible_keys()) == {"ce", "total"}
    assert plot.plot.getPlotItem().getAxis("left").labelText == "classification"   # its own axis: not flat
    plot.details_box.setChecked(True)
    names = plot.legend_names()
    assert names == ["classification (left)", "staying close to CLIP", "image reconstruction", "text reconstruction",
                     "total (right)"]
    assert not any(k in " ".join(names) for k in ("ce", "recon_v", "recon_t", "consistency"))
    for key, curve in plot._curves.items():
        assert len(curve.toolTip()) > 40 and key not in curve.toolTip().split(":")[0]   # a sentence, not a key
    assert "Staying close to CLIP" in plot.details_box.toolTip()
    plot.details_box.setChecked(False)
    assert set(plot.visible_keys()) == {"ce", "total"}
    # a new run's few steps fill the width again (the total's own axis must not pin the steps axis)
    plot.clear()
    for step in range(1, 7):
        plot.append(step, {"ce": 1.0, "total": 10.0})
    plot.flush()
    qtbot.wait(50)
    low, high = plot.plot.getPlotItem().vb.viewRange()[0]
    assert 0 <= low and high < 10


def test_few_images_per_class_are_warned_about_with_advice(qtbot, tmp_path, image_tree, app_state):
    from rmadapter_app.core.project.project import Project
    from rmadapter_app.gui.train_view import TrainPage

    project = Project.create("Few", tmp_path / "few")
    project.add_class("red")
    project.add_class("green")
    project.add_images("red", sorted((image_tree / "red").iterdir())[:2])
    project.add_images("green", sorted((image_tree / "green").iterdir()))
    app_state.set_project(project)
    page = TrainPage(app_state)
    qtbot.addWidget(page)
    assert page.few_warning.isVisibleTo(page)
    text = page.few_warning.text()
    assert "red (2)" in text and "green" not in text and "10 or more per class" in text
    project.add_images("red", sorted((image_tree / "red").iterdir())[2:6])
    app_state.projectEdited.emit()
    assert not page.few_warning.isVisibleTo(page)


def test_the_progress_says_what_is_really_trained_on(qtbot):
    from rmadapter_app.core.events import StepEvent, ZeroShotEvent
    from rmadapter_app.gui.widgets.run_monitor import RunMonitor

    monitor = RunMonitor()
    qtbot.addWidget(monitor)
    monitor.set_images(24)
    monitor.handle(ZeroShotEvent(0.5, 4, "holdout"))
    monitor.handle(StepEvent(3, 10, 1, {"total": 1.0}, 0.1))
    assert monitor.phase_label.text() == "Training on 20 of 24 images (4 held back to check it): step 3 of 10"
    assert "all images" not in monitor.phase_label.text()
    monitor.reset()
    monitor.set_images(9)
    monitor.handle(ZeroShotEvent(0.5, 9, "kfold"))
    monitor.handle(StepEvent(1, 4, 1, {"total": 1.0}, 0.1, fits=4))
    assert monitor.phase_label.text() == "Training on all 9 images: step 1 of 4"
    monitor.handle(StepEvent(2, 4, 1, {"total": 1.0}, 0.1, fold=1, fit=2, fits=4))
    assert monitor.phase_label.text().startswith("Checking accuracy, round 2 of 3")


def _run(val, zs, **extra):
    metrics = {"val_accuracy": val, "zero_shot_accuracy": zs, "n_val": 6, "validation": "holdout",
               "confusion": [[2, 0, 0], [0, 2, 0], [0, 0, 2]], "n_images": 24, "n_classes": 3, **extra}
    return SimpleNamespace(metrics=metrics, class_names=["blue", "green", "red"], val_predictions=[],
                           stopped_early=False)


def test_no_gain_over_frozen_clip_comes_with_advice(qtbot, app_state):
    from rmadapter_app.gui.results_view import ResultsPage

    page = ResultsPage(app_state)
    qtbot.addWidget(page)
    app_state.set_result(_run(0.5, 0.5))
    assert page.headline.text() == "50% correct on 6 images it did not train on (frozen CLIP: 50%)"
    advice = page.advice_label.text()
    assert "did not beat frozen CLIP (+0.0 points)" in advice
    assert "Add more images" in advice and "more varied images" in advice
    app_state.set_result(_run(0.9, 0.5))
    assert page.advice_label.text() == "Training helped: +40.0 points against frozen CLIP."
    # the run's own verdict, when it carries one, is what is said
    verdict = {"helped": False, "summary": "Training did not help: the same answers as frozen CLIP.",
               "advice": ["Add more varied images."]}
    app_state.set_result(_run(0.5, 0.5, verdict=verdict))
    assert page.advice_label.text() == "Training did not help: the same answers as frozen CLIP.\n• Add more varied images."


@pytest.mark.parametrize("size", [(1024, 700), (1280, 800)])
def test_train_and_save_stay_in_view_and_long_messages_never_widen_the_window(qtbot, tmp_path, image_tree, tiny_config,
                                                                             tmp_path_factory, no_dialogs, size):
    from rmadapter_app.core.project.project import Project
    from rmadapter_app.gui import main_window

    win = main_window.MainWindow(restore_last=False, probe_device=False)
    qtbot.addWidget(win)
    project = Project.create("Colours", tmp_path / "projects")
    project.import_class_folders(image_tree)
    win.set_project(project)
    win.state.set_backbone_spec(tiny_spec(tiny_config, tmp_path_factory))
    train = win.pages["train"]
    train.settings.epochs.setValue(1)
    with qtbot.waitSignal(win.state.resultChanged, timeout=120000):
        assert train.start_training()
    assert win.state.jobs.wait_idle(60000)
    long = "Training failed: " + "/very/long/path/without/any/room" * 20 + " " + "x" * 400
    train.monitor.finish(long, complete=False)
    train.set_advanced_visible(True)                       # the long form open too
    win.resize(*size)
    win.show()
    qtbot.waitExposed(win)
    for key, button in (("train", train.train_button), ("train", train.stop_button),
                        ("results", win.pages["results"].save_button),
                        ("results", win.pages["results"].load_button)):
        win.sidebar.setCurrentRow(list(win.pages).index(key))
        qtbot.wait(50)
        assert win.width() <= size[0] and win.height() <= size[1], (key, win.size())
        assert button.isVisible() and not button.visibleRegion().isEmpty(), (key, button.text())
        top_left = button.mapTo(win, button.rect().topLeft())
        bottom_right = button.mapTo(win, button.rect().bottomRight())
        assert win.rect().contains(top_left) and win.rect().contains(bottom_right), (key, button.text(), top_left,
                                                                                     bottom_right, win.size())
        assert button.visibleRegion().boundingRect().height() >= button.height() - 1   # not cut by a scroll area
