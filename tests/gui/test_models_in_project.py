"""Issue 13, "models live in the project": a restart keeps the model in use with its results and Try it;
every run is kept and listed; a stopped run never replaces the model in use unless the user says so;
"Load adapter…" starts in the project's models; switching projects resets every page."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from tests.gui._train_fixtures import no_dialogs, tiny_spec  # noqa: E402,F401

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, no_dialogs, monkeypatch):
    """A factory of real main windows (the last project reopened, no device probe); jobs stopped at the end."""
    from rmadapter_app.gui import errors, main_window
    monkeypatch.setattr(errors, "_present", lambda box: no_dialogs["errors"].append((box.windowTitle(), box.text())))
    made = []

    def make(restore_last: bool = True):
        win = main_window.MainWindow(restore_last=restore_last, probe_device=False)
        qtbot.addWidget(win)
        made.append(win)
        return win
    yield make
    for win in made:
        win.state.jobs.stop()
        assert win.state.jobs.wait_idle(60000)


def _project(win, tmp_path, image_tree, spec, name="Colours"):
    from rmadapter_app.core.project.project import Project
    project = Project.create(name, tmp_path / "projects")
    project.import_class_folders(image_tree)
    win.set_project(project)
    win.state.set_backbone_spec(spec)
    return project


def _train(qtbot, win, epochs=2, stop_after=None):
    page = win.pages["train"]
    page.settings.epochs.setValue(epochs)
    with qtbot.waitSignal(win.state.resultChanged, timeout=120000):
        assert page.start_training()
        if stop_after is not None:
            qtbot.waitUntil(lambda: page._job.n_steps >= stop_after, timeout=120000)
            page.stop_training()
    assert win.state.jobs.wait_idle(60000)
    return win.state.result


def test_restart_keeps_the_model_in_use_with_its_results_and_try_it(qtbot, window, tmp_path, image_tree, tiny_config,
                                                                     tmp_path_factory, no_dialogs):
    win = window(restore_last=False)
    _project(win, tmp_path, image_tree, tiny_spec(tiny_config, tmp_path_factory))
    result = _train(qtbot, win)
    in_use = win.state.adapter_path
    results = win.pages["results"]
    headline, matrix = results.headline.text(), results.confusion.matrix
    counts = [[matrix.count(r, c) for c in range(3)] for r in range(3)]
    wrong = results.wrong_gallery.paths()
    assert "correct on" in headline and sum(map(sum, counts)) == result.metrics["n_val"] > 0
    assert in_use.with_name(in_use.name.replace(".rmadapter.safetensors", ".eval.json")).is_file()

    again = window()                                         # the app starts again: nothing in memory
    state = again.state
    assert state.result is None and state.adapter_path == in_use
    page = again.pages["results"]
    assert page.headline.text() == headline                  # the same plain sentence
    m2 = page.confusion.matrix
    assert [[m2.count(r, c) for c in range(3)] for r in range(3)] == counts
    assert page.wrong_gallery.paths() == wrong                # the misclassified images, from the project
    assert page.per_class.rowCount() == 3
    assert "✓" in [page.models_panel.table.item(0, 0).text()]
    try_page = again.pages["try"]
    assert in_use.name in try_page.source_label.text()
    assert try_page.classify_file(image_tree / "red" / "red_0.png") and state.jobs.wait_idle(60000)
    assert len(try_page.ranking()) == 3 and no_dialogs["errors"] == []


def test_a_stopped_run_is_kept_but_never_replaces_the_model_in_use_unless_chosen(qtbot, window, tmp_path, image_tree,
                                                                                tiny_config, tmp_path_factory):
    from rmadapter_app.core.project import models

    win = window(restore_last=False)
    project = _project(win, tmp_path, image_tree, tiny_spec(tiny_config, tmp_path_factory))
    _train(qtbot, win)
    good = win.state.adapter_path
    good_headline = win.pages["results"].headline.text()
    stopped = _train(qtbot, win, epochs=500, stop_after=1)
    assert stopped.stopped_early
    assert win.state.adapter_path == good                         # still the complete model
    assert win.pages["results"].headline.text() == good_headline
    train = win.pages["train"]
    assert "model in use stays as it was" in train.phase_label.text() and not train.use_stopped_button.isHidden()
    entries = models.list_models(project.folder)
    assert len(entries) == 2 and [e.stopped_early for e in entries] == [True, False]   # both kept, newest first
    table = win.pages["results"].models_panel.table
    assert table.rowCount() == 2 and table.item(0, 5).text() == "stopped" and table.item(1, 0).text() == "✓"
    # the user says so: then it is in use, and stays so after a restart
    train.use_stopped_button.click()
    assert win.state.adapter_path == entries[0].path and train.use_stopped_button.isHidden()
    assert json.loads((project.folder / "project.json").read_text())["settings"]["model_in_use"] == entries[0].name
    assert window().state.adapter_path == entries[0].path


def test_the_models_list_chooses_the_model_in_use(qtbot, window, tmp_path, image_tree, tiny_config, tmp_path_factory):
    win = window(restore_last=False)
    project = _project(win, tmp_path, image_tree, tiny_spec(tiny_config, tmp_path_factory))
    _train(qtbot, win, epochs=1)
    first = win.state.adapter_path
    _train(qtbot, win, epochs=2)
    second = win.state.adapter_path
    assert first != second and win.state.adapter_path == second
    panel = win.pages["results"].models_panel
    assert panel.select(first) and panel.use_button.isEnabled()
    panel.use_button.click()
    assert win.state.adapter_path == first
    assert project.settings["model_in_use"] == first.name
    assert panel.table.item(1, 0).text() == "✓" and not panel.use_button.isEnabled()
    run = win.state.model_run()
    assert run.path == first and run.report.steps == run.report.planned_steps     # that run's own numbers


def test_load_adapter_starts_in_the_projects_models_and_keeps_its_evaluation(qtbot, window, tmp_path, image_tree,
                                                                             tiny_config, tmp_path_factory,
                                                                             monkeypatch):
    from rmadapter_app.gui import dialogs

    win = window(restore_last=False)
    project = _project(win, tmp_path, image_tree, tiny_spec(tiny_config, tmp_path_factory))
    _train(qtbot, win, epochs=1)
    first = win.state.adapter_path
    first_matrix = win.state.model_run().report.confusion
    _train(qtbot, win, epochs=2)
    asked = []
    monkeypatch.setattr(dialogs, "ask_open_file", lambda parent, title, flt="", start="": asked.append(start) or first)
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda *a, **k: True)
    fresh = window()                                          # a restart: the evaluation comes from the project
    assert fresh.pages["results"].load_adapter()
    assert Path(asked[0]) == project.adapters_dir
    assert fresh.state.adapter_path == first                  # a file of the project is used where it is
    page = fresh.pages["results"]
    assert fresh.state.model_run().report.confusion == first_matrix
    m = page.confusion.matrix
    assert [[m.count(r, c) for c in range(3)] for r in range(3)] == first_matrix
    assert "correct on" in page.headline.text()


def test_switching_projects_resets_every_page(qtbot, window, tmp_path, image_tree, tiny_config, tmp_path_factory,
                                              no_dialogs):
    from rmadapter_app.core.project.project import Project

    win = window(restore_last=False)
    _project(win, tmp_path, image_tree, tiny_spec(tiny_config, tmp_path_factory))
    _train(qtbot, win)
    train, results, try_page = win.pages["train"], win.pages["results"], win.pages["try"]
    assert try_page.classify_file(image_tree / "red" / "red_0.png") and win.state.jobs.wait_idle(60000)
    assert try_page.add_class_names("dog") and win.state.jobs.wait_idle(60000)
    train._on_train_failed("Something went wrong in project A", "")     # a failure message left on screen
    no_dialogs["errors"].clear()
    assert train.loss_plot.point_count("total") > 0 and train.log.toPlainText()
    assert try_page.ranking() and results.per_class.rowCount() == 3

    other = Project.create("Other", tmp_path / "projects")
    assert win.open_project(other.folder)
    state = win.state
    assert state.adapter_path is None and state.result is None
    assert train.loss_plot.point_count("total") == 0 and train.acc_plot.point_counts() == (0, 0)
    assert train.log.toPlainText() == "" and train.phase_label.text() == ""
    assert "Training on:" not in train.device_label.text() and train.use_stopped_button.isHidden()
    assert train.progress.value() == 0
    assert results.headline.text().startswith("No model yet") and results.per_class.rowCount() == 0
    assert results.models_panel.table.rowCount() == 0 and results.wrong_gallery.count() == 0
    assert try_page.ranking() == [] and try_page.added_classes() == [] and try_page.status_label.text() == ""
    assert try_page.drop_area.pixmap().isNull()


def test_a_run_stopped_only_while_its_accuracy_was_checked_is_complete_and_used(qtbot, tmp_path):
    """k-fold trains the kept adapter first; a stop during the folds leaves it complete (issue 9's order)."""
    from types import SimpleNamespace

    from rmadapter_app.core.project.project import Project
    from rmadapter_app.gui.state import AppState

    state = AppState()
    state.set_project(Project.create("P", tmp_path))
    folder = state.project.adapters_dir
    old, partial, checked = (folder / f"{n}.rmadapter.safetensors" for n in ("old", "partial", "checked"))
    for p in (old, partial, checked):
        p.write_bytes(b"x")
    state.set_adapter_path(old)

    def run(steps):
        return SimpleNamespace(stopped_early=True, metrics={"steps": steps, "planned_steps": 40})
    assert not state.finish_run(run(3), partial) and state.adapter_path == old      # a partial adapter: not used
    assert state.finish_run(run(40), checked) and state.adapter_path == checked     # its own steps all ran: used


def test_a_cross_validated_run_is_kept_before_its_folds_and_rewritten_with_their_estimate(tmp_path, tiny_config,
                                                                                       tmp_path_factory):
    from rmadapter_app.core.config import TrainConfig
    from rmadapter_app.core.events import FoldEvent
    from rmadapter_app.core.project import models
    from rmadapter_app.core.project.project import Project
    from rmadapter_app.gui.state import AppState
    from rmadapter_app.gui.train_job import TrainJob
    from tests.conftest import write_color_tree

    project = Project.create("Few", tmp_path / "projects")
    project.import_class_folders(write_color_tree(tmp_path / "few", per_class=3))
    samples, names, prompts = project.training_data()
    job = TrainJob(AppState(), tiny_spec(tiny_config, tmp_path_factory), samples, names, prompts,
                   TrainConfig(epochs=1, validation="kfold"), project.adapters_dir, project.name)
    during_folds = []

    def on_event(ev):
        if isinstance(ev, FoldEvent) and not during_folds:
            during_folds.append(list(project.adapters_dir.glob("*.rmadapter.safetensors")))
    outcome = job(on_event, lambda: False)
    assert outcome.result.metrics["validation"] == "kfold"
    assert during_folds and len(during_folds[0]) == 1              # the adapter was on disk before the folds ran
    assert list(project.adapters_dir.glob("*.rmadapter.safetensors")) == [outcome.saved_path] == during_folds[0]
    run = models.read_run(project.folder, outcome.saved_path)      # rewritten with the finished estimate
    assert run.report.val_accuracy == outcome.result.metrics["val_accuracy"] is not None
