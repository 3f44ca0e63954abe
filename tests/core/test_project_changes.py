"""A project tells its subscribers exactly what each edit and each undo changed (no Qt)."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PIL import Image

from rmadapter_app.core.errors import ProjectError
from rmadapter_app.core.project.changes import (
    ClassAdded,
    ClassRemoved,
    ClassRenamed,
    DescriptionChanged,
    ImagesAdded,
    ImagesMoved,
    ImagesRemoved,
    ProjectReset,
    runs,
)
from rmadapter_app.core.project.drops import plan_drop, run_drop_plan
from rmadapter_app.core.project.project import Project


def _png(path: Path, rgb=(10, 20, 30), size=16) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (size, size), rgb).save(path)
    return path


class Recorder:
    """Collects the batches a project delivers (and the thread each came on)."""

    def __init__(self, project: Project):
        self.batches: list[tuple] = []
        self.threads: list[threading.Thread] = []
        self.unsubscribe = project.subscribe(self)

    def __call__(self, batch: tuple) -> None:
        self.batches.append(batch)
        self.threads.append(threading.current_thread())

    def take(self) -> list:
        """The events since the last take, without their seq, as one flat list."""
        out = [_plain(e) for batch in self.batches for e in batch]
        self.batches.clear()
        return out


def _plain(event):
    """An event with seq 0, so tests compare what changed, not the counter."""
    from dataclasses import replace
    return replace(event, seq=0)


def _project(tmp_path) -> Project:
    return Project.create("events", tmp_path)


def test_class_edits_and_their_undo(tmp_path):
    p = _project(tmp_path)
    rec = Recorder(p)
    p.add_class("cat")
    p.add_class("dog")
    assert rec.take() == [ClassAdded("cat", 0), ClassAdded("dog", 1)]
    p.rename_class("cat", "kitten")
    p.set_description("dog", "  a   loyal  animal ")
    p.remove_class("kitten")
    assert rec.take() == [ClassRenamed("cat", "kitten", 0), DescriptionChanged("dog", 1, "a loyal animal"),
                          ClassRemoved("kitten", 0)]
    p.rename_class("dog", "dog")                 # no change: no event
    p.set_description("dog", "a loyal animal")
    with pytest.raises(ProjectError):
        p.add_class("DOG")
    assert rec.batches == []
    p.undo()                                     # remove class: it comes back where it was
    assert rec.take() == [ClassAdded("kitten", 0)]
    p.undo()
    assert rec.take() == [DescriptionChanged("dog", 1, "")]
    p.undo()
    assert rec.take() == [ClassRenamed("kitten", "cat", 0)]
    p.undo()
    p.undo()
    assert rec.take() == [ClassRemoved("dog", 1), ClassRemoved("cat", 0)]
    assert p.undo() is None and rec.batches == []


def test_image_edits_and_their_undo(tmp_path):
    p = _project(tmp_path)
    p.add_class("cat")
    p.add_class("dog")
    rec = Recorder(p)
    result = p.add_images("cat", [_png(tmp_path / f"c{i}.png", (40 * i, 9, 9)) for i in range(5)])
    ids = [e.id for e in p.get_class("cat").images]
    assert rec.take() == [ImagesAdded("cat", (0, 1, 2, 3, 4), tuple(result.added))]
    p.remove_images("cat", [ids[1], ids[3]])
    assert rec.take() == [ImagesRemoved("cat", (1, 3), (ids[1], ids[3]))]
    moved = [e for e in p.get_class("cat").images if e.id in (ids[0], ids[4])]
    p.move_images([ids[0], ids[4]], "cat", "dog")
    assert rec.take() == [ImagesMoved("cat", "dog", (0, 2), (0, 1), tuple(moved))]
    # undo: the inverse changes, rows where the images land again
    p.undo()
    assert rec.take() == [ImagesMoved("dog", "cat", (0, 1), (0, 2), tuple(moved))]
    p.undo()
    restored = rec.take()
    assert [type(e) for e in restored] == [ImagesAdded]
    assert restored[0].class_name == "cat" and restored[0].rows == (1, 3)
    assert restored[0].ids == (ids[1], ids[3])
    assert [e.id for e in p.get_class("cat").images] == ids
    p.undo()
    assert rec.take() == [ImagesRemoved("cat", (0, 1, 2, 3, 4), tuple(ids))]


def test_one_batch_per_edit_with_increasing_seq(tmp_path, image_tree):
    p = _project(tmp_path)
    rec = Recorder(p)
    p.import_class_folders(image_tree)
    assert len(rec.batches) == 1                 # one import, one batch
    batch = rec.batches[0]
    assert [type(e) for e in batch] == [ClassAdded, ImagesAdded] * 3
    assert [e.name for e in batch if isinstance(e, ClassAdded)] == ["blue", "green", "red"]
    seqs = [e.seq for e in batch]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs) and seqs[-1] == p.change_seq
    rec.batches.clear()
    p.undo()                                     # the whole import, in reverse, as one batch
    assert len(rec.batches) == 1
    kinds = [(type(e).__name__, getattr(e, "name", getattr(e, "class_name", ""))) for e in rec.batches[0]]
    assert kinds == [("ImagesRemoved", "red"), ("ClassRemoved", "red"), ("ImagesRemoved", "green"),
                     ("ClassRemoved", "green"), ("ImagesRemoved", "blue"), ("ClassRemoved", "blue")]
    assert rec.batches[0][0].seq > seqs[-1]


def test_snapshots_carry_the_counter(tmp_path):
    p = _project(tmp_path)
    assert p.snapshot_class_names() == (0, [])
    p.add_class("cat")
    seq, names = p.snapshot_class_names()
    assert names == ["cat"] and seq == p.change_seq == 1
    p.add_images("cat", [_png(tmp_path / "a.png")])
    seq, images = p.snapshot_images("cat")
    assert seq == 2 and len(images) == 1
    assert p.snapshot_images("no such class") == (2, [])


def test_unsubscribe_and_a_failing_subscriber(tmp_path):
    p = _project(tmp_path)
    rec = Recorder(p)

    def broken(batch):
        raise RuntimeError("subscriber bug")
    p.subscribe(broken)
    p.add_class("cat")                           # the edit succeeds; the others still hear of it
    assert rec.take() == [ClassAdded("cat", 0)] and p.class_names() == ["cat"]
    rec.unsubscribe()
    rec.unsubscribe()                            # twice is harmless
    p.add_class("dog")
    assert rec.batches == []


def test_a_failed_edit_still_reports_what_it_changed(tmp_path, image_tree):
    p = _project(tmp_path)
    p.add_class("red")
    (p.folder / "images" / "green").write_text("a file where a class folder would go")
    p.add_class("green")                         # gets a free folder name instead
    rec = Recorder(p)
    p.get_class("green").folder = "green"        # as if project.json named the file (checked on use)
    with pytest.raises(ProjectError):
        p.import_class_folders(image_tree)       # blue is added, then green's folder is refused
    events = rec.take()
    assert events[0] == ClassAdded("blue", 2) and isinstance(events[1], ImagesAdded)
    assert [type(e) for e in events] == [ClassAdded, ImagesAdded]


def test_an_undo_that_fails_part_way_is_a_reset(tmp_path, monkeypatch):
    p = _project(tmp_path)
    p.add_class("cat")
    p.add_images("cat", [_png(tmp_path / "a.png")])
    p.remove_class("cat")
    rec = Recorder(p)
    from rmadapter_app.core.project import project as project_mod

    def untrash(folder, moved):
        raise ProjectError("the trash is gone")
    monkeypatch.setattr(project_mod, "untrash", untrash)
    with pytest.raises(ProjectError):
        p.undo()
    assert rec.take() == [ProjectReset()]
    assert p.class_names() == ["cat"]            # the class came back; its file is only "missing"


def test_events_come_on_the_editing_thread(tmp_path, image_tree):
    p = _project(tmp_path)
    rec = Recorder(p)
    plan = plan_drop([image_tree], None)
    worker = threading.Thread(target=lambda: run_drop_plan(p, plan, lambda e: None, lambda: False))
    worker.start()
    worker.join(60)
    assert rec.threads == [worker]
    assert p.class_names() == ["blue", "green", "red"]


def test_drop_planning_runs_without_qt(tmp_path, image_tree):
    loose = _png(tmp_path / "loose.png")
    one_class = tmp_path / "sea_lions"
    _png(one_class / "s.png")
    plan = plan_drop([image_tree, one_class, loose], None, current=None)
    assert plan.import_roots == [image_tree] and plan.folder_classes == [one_class]
    assert plan.unplaced == [loose] and plan.files == []
    assert plan_drop([loose], "cat").files == [loose]
    p = _project(tmp_path / "p")
    result = run_drop_plan(p, plan, lambda e: None, lambda: False)
    assert p.class_names() == ["blue", "green", "red", "sea lions"]
    assert result.classes_created == ["blue", "green", "red", "sea lions"]


def test_runs_of_rows():
    assert runs(()) == []
    assert runs((0, 1, 2, 5, 7, 8)) == [(0, 2), (5, 5), (7, 8)]
