"""What non-programmers do to the real main window: two heavy jobs at once, odd training data, broken
projects from the recent list, class-name mistakes, a foreign adapter, closing during training."""
from __future__ import annotations

import shutil

import pytest

pytest.importorskip("PySide6")

from tests.gui._train_fixtures import no_dialogs, tiny_spec  # noqa: E402,F401

pytestmark = pytest.mark.gui


@pytest.fixture
def win(qtbot, tiny_config, no_dialogs, monkeypatch, tmp_path_factory):
    from rmadapter_app.gui import errors, main_window
    monkeypatch.setattr(errors, "_present", lambda box: no_dialogs["errors"].append((box.windowTitle(), box.text())))
    w = main_window.MainWindow(restore_last=False, probe_device=False)
    qtbot.addWidget(w)
    w.state.set_backbone_spec(tiny_spec(tiny_config, tmp_path_factory))     # config and weights: random ones are refused
    w.messages = []
    w.state.message.connect(w.messages.append)
    yield w
    w.state.jobs.stop()
    assert w.state.jobs.wait_idle(60000)


def _project(win, tmp_path, image_tree):
    from rmadapter_app.core.project.project import Project
    p = Project.create("Colours", tmp_path / "projects")
    p.import_class_folders(image_tree)
    win.set_project(p)
    return p


def test_train_refused_while_adding_and_add_refused_while_training(qtbot, win, tmp_path, image_tree, no_dialogs):
    _project(win, tmp_path, image_tree)
    more = tmp_path / "more"
    from tests.conftest import write_color_tree
    write_color_tree(more, 3, seed=5)
    assert win.project_page.drop_paths([more])            # a folder of class folders: a job
    assert win.state.jobs.busy()
    win.start_training()
    assert win.state.jobs.current() != "Training" and "Busy" in win.messages[-1]
    assert win.state.jobs.wait_idle(60000)
    train = win.pages["train"]
    train.settings.epochs.setValue(1)
    assert train.start_training()
    win.start_training()
    assert win.messages[-1] == "Busy: training is running."
    assert not win.project_page.drop_paths([more])
    assert "Wait until" in win.messages[-1]
    label = win.pages["label"]
    label.add_sources([image_tree / "red"])
    assert not label.start_labeling() and "Busy" in label.status_label.text()
    assert win.state.jobs.wait_idle(120000)
    assert no_dialogs["errors"] == []


def test_train_refused_while_labeling(qtbot, win, tmp_path, image_tree, no_dialogs):
    _project(win, tmp_path, image_tree)
    label = win.pages["label"]
    label.add_sources([image_tree])
    assert label.start_labeling()
    win.start_training()
    assert win.messages[-1] == "Busy: labeling images is running."      # the job named in words
    assert win.state.jobs.wait_idle(60000)
    assert no_dialogs["errors"] == []


@pytest.mark.parametrize("case", ["one_empty_class", "single_image", "one_class_all_broken"])
def test_train_with_odd_data_finishes_without_errors(qtbot, win, tmp_path, image_tree, no_dialogs, case):
    from rmadapter_app.core.project.project import Project
    p = Project.create("Odd", tmp_path / "projects")
    if case == "one_empty_class":                      # the empty class is recognised from its name
        p.import_class_folders(image_tree)
        for name in ("green", "blue"):
            p.remove_class(name)
        p.add_class("dog")
    elif case == "single_image":
        p.add_class("red")
        p.add_class("blue")
        p.add_images("red", [image_tree / "red" / "red_0.png"])
    else:
        p.import_class_folders(image_tree)
        p.remove_class("blue")
        for e in p.get_class("green").images:
            (p.folder / e.file).write_bytes(b"not an image")
    win.set_project(p)
    train = win.pages["train"]
    train.settings.epochs.setValue(1)
    assert train.start_training()
    assert win.state.jobs.wait_idle(120000)
    assert no_dialogs["errors"] == [] and win.state.result is not None
    assert win.state.adapter_path is not None and win.state.adapter_path.is_file()
    assert win.messages[-1].startswith("Done")
    if case == "one_class_all_broken":
        assert win.state.result.metrics["skipped"] == 8
        assert "8 unreadable image(s) were skipped" in win.messages[-1]     # said where the user looks


def test_open_recent_deleted_or_damaged_project(qtbot, win, tmp_path, no_dialogs):
    from rmadapter_app.core.project.project import Project
    gone, damaged = Project.create("Gone", tmp_path), Project.create("Damaged", tmp_path)
    assert win.open_project(gone.folder) and win.open_project(damaged.folder)
    shutil.rmtree(gone.folder)
    (damaged.folder / "project.json").write_text("{ broken")
    win._fill_recent_menu()
    actions = [a for a in win.recent_menu.actions() if a.data()]
    assert [a.text() for a in actions] == ["Damaged"]          # a deleted folder leaves the list
    win._on_recent_menu_triggered(actions[0])
    assert "damaged" in no_dialogs["errors"][-1][1]
    assert win.state.project.folder == damaged.folder.resolve()  # still the one that was open


def test_class_name_mistakes_are_refused_in_words(qtbot, win, tmp_path, image_tree):
    p = _project(win, tmp_path, image_tree)
    assert not win.project_page.rename_class("red", "Green")
    assert "already a class called 'green'" in win.messages[-1]
    assert not win.project_page.rename_class("red", "   ")
    assert "needs a name" in win.messages[-1]
    assert p.class_names() == ["blue", "green", "red"] and len(p.get_class("red").images) == 8


def test_removing_the_shown_images_class_clears_the_try_page_quietly(qtbot, win, tmp_path, image_tree, no_dialogs):
    p = _project(win, tmp_path, image_tree)
    win.show()
    win.sidebar.setCurrentRow(3)
    page = win.pages["try"]
    shown = p.folder / p.get_class("red").images[0].file
    assert page.classify_file(shown)
    assert win.state.jobs.wait_idle(60000)
    win.project_page.select_class("green")              # another class: the image is re-ranked without it
    win.project_page.remove_selected_class()
    qtbot.waitUntil(lambda: not win.state.jobs.busy() and sorted(n for n, _ in page.ranking()) == ["blue", "red"],
                    timeout=60000)
    win.project_page.select_class("red")                # the shown image's own class: its file goes away
    win.project_page.remove_selected_class()
    qtbot.waitUntil(lambda: page.ranking() == [], timeout=10000)
    assert win.state.jobs.wait_idle(60000)
    assert no_dialogs["errors"] == []
    assert "no longer on disk" in page.status_label.text()


def test_adapter_of_another_backbone_is_refused_in_try_and_label(qtbot, win, tmp_path, image_tree, no_dialogs):
    import json

    from rmadapter_app.core.model.backbone import load_backbone
    from tests.conftest import TINY_CONFIG
    from tests.core.test_labeling import _adapter_file
    cfg = json.loads(json.dumps(TINY_CONFIG))
    cfg["vision_cfg"]["width"], cfg["embed_dim"] = 48, 24
    other = tmp_path / "other-vit.json"
    other.write_text(json.dumps(cfg))
    path = _adapter_file(load_backbone(model_config=other), tmp_path / "foreign.rmadapter.safetensors", seed=1)
    _project(win, tmp_path, image_tree)
    win.state.set_adapter_path(path)
    page = win.pages["try"]
    page.classify_file(image_tree / "red" / "red_0.png")
    assert win.state.jobs.wait_idle(60000)
    assert "does not fit this backbone" in no_dialogs["errors"][-1][1] and page.ranking() == []
    label = win.pages["label"]
    label.add_sources([image_tree / "red"])
    assert label.start_labeling()
    assert win.state.jobs.wait_idle(60000)
    assert len(no_dialogs["errors"]) == 2 and "does not fit this backbone" in label.status_label.text()
    assert (image_tree / "red" / "red_0.png").is_file()


def test_closing_during_training_stops_the_thread(qtbot, win, tmp_path, image_tree, monkeypatch, no_dialogs):
    from rmadapter_app.gui import main_window
    _project(win, tmp_path, image_tree)
    asked = []
    monkeypatch.setattr(main_window, "ask_stop_job", lambda parent, name: asked.append(name) or True)
    train = win.pages["train"]
    train.settings.epochs.setValue(200)
    win.show()
    assert train.start_training()
    qtbot.waitUntil(lambda: train._job.n_steps > 0, timeout=60000)
    thread = win.state.jobs._thread
    assert win.close()
    assert asked == ["training"]                 # the question names the job in words, not "train"
    assert not win.state.jobs.busy() and not thread.isRunning()
    assert no_dialogs["errors"] == [] and win.state.result.stopped_early


def test_an_unreadable_image_in_try_it_clears_the_previous_ranking(qtbot, win, tmp_path, image_tree, no_dialogs):
    p = _project(win, tmp_path, image_tree)
    page = win.pages["try"]
    good = p.folder / p.get_class("red").images[0].file
    assert page.classify_file(good)
    assert win.state.jobs.wait_idle(60000)
    assert sorted(n for n, _ in page.ranking()) == ["blue", "green", "red"]
    assert page.table.rowCount() == 3
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8 not really a jpeg")
    page.classify_file(broken)
    assert win.state.jobs.wait_idle(60000)
    qtbot.waitUntil(lambda: bool(no_dialogs["errors"]), timeout=10000)
    assert page.ranking() == [] and page.table.rowCount() == 0          # no ranking beside the broken file
    assert "broken.jpg" in page.status_label.text() and "broken.jpg" in no_dialogs["errors"][-1][1]
