"""The Project page's models follow the project's change events: row inserts and removals, not resets,
for ordinary edits and undo, also when the edit ran on a worker thread."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PIL import Image  # noqa: E402
from PySide6.QtTest import QAbstractItemModelTester  # noqa: E402

from rmadapter_app.core.project.project import Project  # noqa: E402

pytestmark = pytest.mark.gui


def _png(path: Path, rgb=(200, 30, 30), size=24) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (size, size), rgb).save(path)
    return path


class Spy:
    """Records a model's structural signals (and on which thread they came)."""

    def __init__(self, model):
        self.log: list[tuple] = []
        self.threads: set[threading.Thread] = set()
        model.modelReset.connect(lambda: self._add("reset"))
        model.rowsInserted.connect(lambda _p, first, last: self._add("insert", first, last))
        model.rowsRemoved.connect(lambda _p, first, last: self._add("remove", first, last))
        model.dataChanged.connect(lambda a, b, *_: self._add("changed", a.row(), b.row()))
        # Qt's own checker watches every change (its failures are warnings; see _no_model_failures)
        self._tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Warning)

    def _add(self, *entry) -> None:
        self.log.append(entry)
        self.threads.add(threading.current_thread())

    def take(self) -> list[tuple]:
        out, self.log = self.log, []
        return out

    def structure(self) -> list[tuple]:
        """The log without repaints."""
        return [e for e in self.take() if e[0] != "changed"]


@pytest.fixture
def page(qtbot, monkeypatch):
    from rmadapter_app.gui import errors
    from rmadapter_app.gui.jobs import JobRunner
    from rmadapter_app.gui.project_view import ProjectPage
    from rmadapter_app.gui.state import AppState
    shown = []
    monkeypatch.setattr(errors, "_present", lambda box: shown.append(box.text()))
    state = AppState()
    state.jobs = runner = JobRunner(state)
    p = ProjectPage(state)
    qtbot.addWidget(p)
    p.show()
    yield p
    runner.stop()
    assert runner.wait_idle(30000)
    p.thumbs.clear()
    assert p.thumbs.wait(10000)
    assert shown == []


def _no_model_failures(qtlog) -> None:
    failures = [r.message for r in qtlog.records if "FAIL!" in r.message]
    assert failures == []


def test_edits_and_undo_insert_and_remove_rows(page, qtbot, tmp_path, qtlog):
    page.state.set_project(Project.create("models", tmp_path))
    classes, images = Spy(page.class_model), Spy(page.image_model)
    page.add_class("cat")
    page.add_class("dog")
    assert classes.structure() == [("insert", 0, 0), ("insert", 1, 1)]
    page.select_class("cat")
    images.take()                                          # showing another class is a reset; edits are not
    page.add_paths("cat", [_png(tmp_path / f"c{i}.png", (40 * i, 90, 90)) for i in range(4)])
    assert images.structure() == [("insert", 0, 3)]
    assert ("changed", 0, 0) in classes.take()             # the count on the "cat" row
    page.rename_class("cat", "kitten")
    assert classes.take() == [("changed", 0, 0)] and images.structure() == []
    assert page.current_class() == "kitten" and page.image_model.rowCount() == 4
    ids = [e.id for e in page.state.project.get_class("kitten").images]
    assert page._move([ids[1], ids[2]], "dog") == 2
    assert images.structure() == [("remove", 1, 2)]
    assert page.state.project.remove_images("kitten", [ids[3]]) == 1
    assert images.structure() == [("remove", 1, 1)]
    assert [e[0] for e in classes.take()] == ["changed", "changed", "changed"]   # kitten, dog; kitten
    # undo brings the rows back where they were
    page.undo()
    assert images.structure() == [("insert", 1, 1)]
    page.undo()
    assert images.structure() == [("insert", 1, 2)]
    assert [e.id for e in page.image_model.entries()] == ids
    page.undo()                                            # the rename
    assert classes.structure() == [] and page.current_class() == "cat"
    # removing and restoring a class that is not shown
    page.select_class("dog")
    page.select_class("cat")
    classes.take()
    images.take()
    page.state.project.remove_class("dog")
    assert classes.structure() == [("remove", 1, 1)] and images.structure() == []
    page.undo()
    assert classes.structure() == [("insert", 1, 1)] and images.structure() == []
    assert page.current_class() == "cat" and page.image_model.rowCount() == 4
    _no_model_failures(qtlog)


def test_removing_the_shown_class_shows_its_neighbour(page, qtbot, tmp_path, qtlog):
    page.state.set_project(Project.create("models", tmp_path))
    for name in ("a", "b", "c"):
        page.add_class(name)
    page.add_paths("b", [_png(tmp_path / "b.png")])
    page.select_class("b")
    classes = Spy(page.class_model)
    page.remove_selected_class()
    assert classes.structure() == [("remove", 1, 1)]       # a row removal, not a reset
    assert page.current_class() == "c" and page.image_model.class_name == "c"
    page.undo()
    assert classes.structure() == [("insert", 1, 1)]
    _no_model_failures(qtlog)


def test_one_edited_signal_per_edit(page, qtbot, image_tree, tmp_path):
    page.state.set_project(Project.create("models", tmp_path))
    edited, batches = [], []
    page.state.projectEdited.connect(lambda: edited.append(1))
    page.state.projectChanges.connect(batches.append)
    page.state.jobs = None                                 # at once, on this thread
    page.drop_paths([image_tree])
    assert len(edited) == 1 and len(batches) == 1 and len(batches[0]) == 6   # 3 classes, 3 adds
    page.undo()
    assert len(edited) == 2


def test_changes_made_on_a_worker_thread_reach_the_models_on_the_gui_thread(page, qtbot, tmp_path, qtlog):
    project = Project.create("models", tmp_path)
    page.state.set_project(project)
    page.add_class("cat")
    page.select_class("cat")
    classes, images = Spy(page.class_model), Spy(page.image_model)
    edited = []
    page.state.projectEdited.connect(lambda: edited.append(threading.current_thread()))
    delivered_on = []
    project.subscribe(lambda batch: delivered_on.append(threading.current_thread()))
    files = [_png(tmp_path / "in" / f"x{i}.png", (9, 20 * i, 9)) for i in range(5)]

    def work():
        project.add_images("cat", files)
        project.add_class("dog")
    worker = threading.Thread(target=work)
    worker.start()
    worker.join(60)
    assert delivered_on == [worker, worker]                # the project tells on the editing thread ...
    qtbot.waitUntil(lambda: len(edited) == 2, timeout=10000)
    main = threading.main_thread()
    assert edited == [main, main]                          # ... the page hears of it on the GUI thread
    assert images.threads == {main} and classes.threads == {main}
    assert images.structure() == [("insert", 0, 4)] and classes.structure() == [("insert", 1, 1)]
    assert page.image_model.rowCount() == 5 and page.class_model.rowCount() == 2
    _no_model_failures(qtlog)


def test_a_late_batch_is_not_applied_twice(qapp, tmp_path):
    from rmadapter_app.gui.qt_models import ClassListModel, ImageListModel
    from rmadapter_app.gui.thumbnails import ThumbnailCache
    project = Project.create("models", tmp_path)
    project.add_class("cat")
    batches = []
    project.subscribe(batches.append)
    project.add_images("cat", [_png(tmp_path / f"c{i}.png", (30 * i, 1, 1)) for i in range(3)])
    project.add_class("dog")
    thumbs = ThumbnailCache()
    images = ImageListModel(lambda: project, thumbs)
    images.set_class("cat")                                # a copy that already holds both batches
    classes = ClassListModel(lambda: project)
    for batch in batches:                                  # ... which then arrive (queued, late)
        images.apply(batch)
        classes.apply(batch)
    assert images.rowCount() == 3 and classes.rowCount() == 2
    project.remove_images("cat", [project.get_class("cat").images[0].id])
    images.apply(batches[-1])
    assert images.rowCount() == 2


def test_a_reset_event_rebuilds_the_models(qapp, tmp_path):
    from rmadapter_app.core.project.changes import ProjectReset
    from rmadapter_app.gui.qt_models import ClassListModel
    project = Project.create("models", tmp_path)
    project.add_class("cat")
    classes = ClassListModel(lambda: project)
    spy = Spy(classes)
    project.add_class("dog")                               # not applied: the model is behind
    classes.apply((ProjectReset(seq=project.change_seq),))
    assert spy.structure() == [("reset",)] and classes.rowCount() == 2


def test_another_project_stops_the_old_ones_events(page, qtbot, tmp_path):
    old = Project.create("old", tmp_path)
    page.state.set_project(old)
    page.add_class("cat")
    page.state.set_project(Project.create("new", tmp_path))
    old.add_class("dog")
    assert page.class_model.rowCount() == 0
