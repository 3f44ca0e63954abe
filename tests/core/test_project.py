"""Projects: manifest round trip, adding images (duplicates, broken files), edits and undo, recent list."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from rmadapter_app.core import paths
from rmadapter_app.core.project import recent
from rmadapter_app.core.errors import ProjectError
from rmadapter_app.core.events import ProgressEvent
from rmadapter_app.core.project.project import SCHEMA_VERSION, Project


def _png(path: Path, rgb=(10, 20, 30), size=16) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (size, size), rgb).save(path)
    return path


def _files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_create_open_round_trip(tmp_path):
    p = Project.create("My pets")
    assert p.folder == paths.projects_dir() / "My pets"
    p.add_class("cat", description="a small furry animal")
    p.add_class("dog")
    p.add_images("cat", [_png(tmp_path / "c.png")])
    p.update_settings(template="a photo of a {}.", epochs=5)
    data = json.loads((p.folder / "project.json").read_text())
    assert data["schema_version"] == SCHEMA_VERSION
    q = Project.open(p.folder)
    assert q.name == "My pets" and q.class_names() == ["cat", "dog"]
    assert q.classes[0].description == "a small furry animal"
    assert q.classes[0].images[0].original_name == "c.png"
    assert q.image_path(q.classes[0].images[0]).is_file()
    assert q.settings["epochs"] == 5
    assert q.prompt_for("cat") == "a photo of a cat, a small furry animal."
    assert q.prompt_for("dog") == "a photo of a dog."
    samples, names, prompts = q.training_data()
    assert names == ["cat", "dog"] and len(prompts) == 2          # dog has no images: still a class
    assert [label for _, label in samples] == [0]
    assert q.adapters_dir.is_dir() and q.adapters_dir == q.folder / "adapters"


def test_create_refuses_non_empty_folder(tmp_path):
    (tmp_path / "Taken").mkdir()
    (tmp_path / "Taken" / "notes.txt").write_text("mine")
    with pytest.raises(ProjectError, match="not empty"):
        Project.create("Taken", tmp_path)
    assert (tmp_path / "Taken" / "notes.txt").read_text() == "mine"
    assert Project.create_unique("Taken", tmp_path).folder == tmp_path / "Taken 2"


def test_class_names_are_checked():
    p = Project.create("names")
    p.add_class("  Golden   retriever ")
    assert p.class_names() == ["Golden retriever"]
    for bad in ["", "   ", "golden RETRIEVER"]:
        with pytest.raises(ProjectError):
            p.add_class(bad)
    p.add_class("poodle")
    with pytest.raises(ProjectError, match="already"):
        p.rename_class("poodle", "Golden Retriever")
    with pytest.raises(ProjectError, match="no class"):
        p.remove_class("cat")


def test_add_images_reports_duplicates_broken_and_unsupported(tmp_path):
    p = Project.create("adds")
    p.add_class("red")
    p.add_class("blue")
    src = tmp_path / "in"
    r1, r2 = _png(src / "r1.png", (255, 0, 0)), _png(src / "r2.png", (250, 0, 0))
    (src / "copy_of_r1.png").write_bytes(r1.read_bytes())
    (src / "broken.jpg").write_bytes(b"not really a jpeg")
    (src / "sub").mkdir()
    _png(src / "sub" / "r3.png", (240, 0, 0))
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    events = []
    res = p.add_images("red", [src, notes], on_event=events.append)
    assert [e.original_name for e in res.added] == ["copy_of_r1.png", "r2.png", "r3.png"]  # folder order
    assert res.duplicates == [(r1, "red")]
    reasons = {pr.path.name: pr.reason for pr in res.rejected}
    assert set(reasons) == {"broken.jpg", "notes.txt"}
    assert "not an image" in reasons["broken.jpg"] and "unsupported" in reasons["notes.txt"]
    assert any(isinstance(e, ProgressEvent) and e.done == e.total == 5 for e in events)
    # the same picture offered to another class is a duplicate held by "red"
    res2 = p.add_images("blue", [r2])
    assert not res2.added and res2.duplicates == [(r2, "red")]
    # copies live in images/<class>/<sha[:16]><ext>; originals untouched
    for e in p.classes[0].images:
        assert e.file == f"images/red/{e.sha256[:16]}.png"
        assert p.image_path(e).read_bytes() == (src / e.original_name if e.original_name != "r3.png"
                                                else src / "sub" / "r3.png").read_bytes()
    assert sorted(f.name for f in src.iterdir()) == ["broken.jpg", "copy_of_r1.png", "r1.png", "r2.png", "sub"]


def test_add_stops_early_and_keeps_what_was_copied(tmp_path):
    p = Project.create("stop")
    p.add_class("a")
    files = [_png(tmp_path / f"{i}.png", (i * 20, 0, 0)) for i in range(5)]
    calls = iter([False, False, True])
    res = p.add_images("a", files, should_stop=lambda: next(calls, True))
    assert res.stopped and len(res.added) == 2
    assert len(Project.open(p.folder).classes[0].images) == 2


def test_import_class_folders(image_tree):
    (image_tree / "sea_lion").mkdir()                    # empty: a zero-shot class
    _png(image_tree / "loose.png")
    p = Project.create("import")
    res = p.import_class_folders(image_tree)
    assert p.class_names() == ["blue", "green", "red", "sea lion"]
    assert [len(c.images) for c in p.classes] == [8, 8, 8, 0]
    assert res.classes_created == ["blue", "green", "red", "sea lion"] and len(res.added) == 24
    assert [pr.path.name for pr in res.rejected] == ["loose.png"]
    assert p.undo().startswith("Import 4 class folder")    # one undo step for the whole import
    assert p.class_names() == [] and not list((p.folder / "images").rglob("*.png"))


def test_rename_remove_move_and_undo_restore_files(tmp_path):
    p = Project.create("edits")
    p.add_class("cat")
    p.add_class("dog")
    p.add_images("cat", [_png(tmp_path / f"c{i}.png", (i * 40, 10, 10)) for i in range(3)])
    p.add_images("dog", [_png(tmp_path / "d.png", (1, 200, 1))])
    before = _files_under(p.folder / "images")
    ids = [e.id for e in p.classes[0].images]

    p.rename_class("cat", "kitten")
    assert p.class_names() == ["kitten", "dog"]
    assert all(p.image_path(e).is_file() and "/kitten/" in e.file for e in p.classes[0].images)
    p.set_description("kitten", "young cat")
    assert p.prompt_for("kitten") == "a photo of a kitten, young cat."

    p.move_images(ids[:2], "kitten", "dog")
    assert [len(c.images) for c in p.classes] == [1, 3]
    assert all(p.image_path(e).is_file() and e.file.startswith("images/dog/") for e in p.classes[1].images)

    p.remove_images("dog", [ids[0]])
    assert not any((p.folder / "images").rglob(f"{ids[0]}*"))
    assert list((p.folder / ".trash").rglob(f"{ids[0]}*"))   # kept for undo, not deleted

    p.remove_class("kitten")
    assert p.class_names() == ["dog"]
    assert Project.open(p.folder).class_names() == ["dog"]     # every edit is saved

    undone = [p.undo() for _ in range(5)]
    assert undone[0] == "Remove class “kitten”"
    assert all(undone) and p.can_undo()
    assert p.class_names() == ["cat", "dog"]
    assert [e.id for e in p.classes[0].images] == ids
    assert p.classes[0].description == ""
    assert _files_under(p.folder / "images") == before
    assert all(p.image_path(e).is_file() for c in p.classes for e in c.images)
    reopened = Project.open(p.folder)
    assert [[e.id for e in c.images] for c in reopened.classes] == [[e.id for e in c.images] for c in p.classes]
    assert not reopened.can_undo()


def test_undo_add_class_and_add_images(tmp_path):
    p = Project.create("undo adds")
    assert not p.can_undo() and p.undo() is None
    p.add_class("a")
    p.add_images("a", [_png(tmp_path / "x.png")])
    assert p.undo().startswith("Add 1 image")
    assert p.classes[0].images == [] and not list((p.folder / "images").rglob("*.png"))
    assert p.undo() == "Add class “a”"
    assert p.class_names() == [] and not p.can_undo()


def test_missing_image_files_are_reported_not_fatal(tmp_path):
    p = Project.create("missing")
    p.add_class("a")
    p.add_images("a", [_png(tmp_path / "x.png"), _png(tmp_path / "y.png", (9, 9, 9))])
    p.image_path(p.classes[0].images[0]).unlink()
    q = Project.open(p.folder)
    assert len(q.missing) == 1 and q.missing[0][0] == "a"
    samples, _, _ = q.training_data()
    assert len(samples) == 1


def test_damaged_and_newer_manifests_are_refused(tmp_path):
    p = Project.create("bad")
    manifest = p.folder / "project.json"
    manifest.write_text("{ this is not json")
    with pytest.raises(ProjectError, match="damaged"):
        Project.open(p.folder)
    manifest.write_text(json.dumps({"schema_version": SCHEMA_VERSION + 1, "classes": []}))
    with pytest.raises(ProjectError, match="newer"):
        Project.open(p.folder)
    manifest.write_text(json.dumps({"schema_version": 1, "classes": [{"images": []}]}))
    with pytest.raises(ProjectError, match="damaged"):
        Project.open(p.folder)
    evil = {"id": "x", "file": "../../outside.png", "sha256": "x", "original_name": "x"}
    manifest.write_text(json.dumps({"schema_version": 1, "classes": [{"name": "a", "images": [evil]}]}))
    with pytest.raises(ProjectError, match="outside"):
        Project.open(p.folder)
    with pytest.raises(ProjectError, match="not an RMAdapter Studio project"):
        Project.open(tmp_path / "nowhere")


def test_recent_list(tmp_path):
    assert recent.recent_projects() == []
    projects = [Project.create(f"p{i}", tmp_path) for i in range(12)]
    for p in projects:
        recent.add_recent(p.folder)
    items = recent.recent_projects()
    assert len(items) == recent.MAX_RECENT
    assert items[0] == projects[-1].folder.resolve() and items[-1] == projects[2].folder.resolve()
    recent.add_recent(projects[5].folder)                     # reopening moves it to the top, once
    items = recent.recent_projects()
    assert items[0] == projects[5].folder.resolve() and items.count(projects[5].folder.resolve()) == 1
    (projects[11].folder / "project.json").unlink()           # a folder that is no project any more
    assert projects[11].folder.resolve() not in recent.recent_projects()
    (paths.config_dir() / recent.FILE_NAME).write_text("garbage")
    assert recent.recent_projects() == []
