"""Projects never lose, move or touch a file outside their folder (issue 8).

Every test builds a real folder *outside* the project with sentinel files, points something in the
project at it (a symlink, an absolute or ``..`` path in project.json), runs the edits a user can
run, and checks the outside folder is byte-for-byte unchanged afterwards. A damaged project.json
(deep nesting, wrong types, huge sizes) is refused with a ProjectError, never a traceback.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from rmadapter_app.core.project import recent
from rmadapter_app.core.errors import ProjectError
from rmadapter_app.core.project.project import Project
from rmadapter_app.core.safepath import check_inside

OLD = time.time() - 90 * 86400          # older than the trash keeps anything


# ---------------------------------------------------------------------------- helpers
def _png(path: Path, rgb=(10, 20, 30)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (8, 8), rgb).save(path)
    return path


def _outside(root: Path, name: str = "outside") -> Path:
    """A folder that is not the project's: sentinel files (two of them pictures) and a subfolder."""
    out = root / name
    _png(out / "a.png", (1, 2, 3))
    _png(out / "b.png", (4, 5, 6))
    (out / "notes.txt").write_text("not yours")
    (out / "sub").mkdir()
    (out / "sub" / "deep.txt").write_text("deep")
    return out


def _snapshot(folder: Path) -> dict[str, object]:
    """Every name below ``folder`` (links not followed) with its bytes, or 'dir'/'link -> target'."""
    snap: dict[str, object] = {}
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            rel = p.relative_to(folder).as_posix()
            if p.is_symlink():
                snap[rel] = f"link -> {os.readlink(p)}"
            elif p.is_dir():
                snap[rel] = "dir"
            else:
                snap[rel] = p.read_bytes()
    return snap


def _try(fn):
    """Run an edit; a ProjectError (a refusal in words) is fine, anything else fails the test."""
    try:
        return fn()
    except ProjectError:
        return None


def _edit_manifest(folder: Path, change) -> None:
    manifest = folder / "project.json"
    data = json.loads(manifest.read_text())
    change(data)
    manifest.write_text(json.dumps(data))


def _project_with_images(root: Path, name: str = "p") -> Project:
    p = Project.create(name, root)
    p.add_class("cat")
    p.add_class("dog")
    p.add_images("cat", [_png(root / "src" / f"c{i}.png", (i * 50, 9, 9)) for i in range(2)])
    p.add_images("dog", [_png(root / "src" / "d.png", (1, 200, 1))])
    return p


def _every_edit(p: Project, cls: str, tmp: Path, out: Path | None = None) -> None:
    """Run every edit on class ``cls`` and undo each, swallowing refusals.

    With ``out``, the outside folder must be unchanged after *each* step (an undo must not hide damage).
    """
    before = _snapshot(out) if out is not None else None

    def step(fn):
        result = _try(fn)
        if out is not None:
            assert _snapshot(out) == before, f"the outside folder changed after {fn}"
        return result
    other = next((c.name for c in p.classes if c.name != cls), None)
    if other is None:
        other = step(lambda: p.add_class("zz other").name)
    ids = [e.id for e in p.get_class(cls).images]
    step(lambda: p.add_images(cls, [_png(tmp / "new" / "n.png", (77, 77, 77))]))
    step(p.undo)
    step(lambda: p.move_images(ids[:1], cls, other))
    step(p.undo)
    other_ids = [e.id for e in p.get_class(other).images] if other else []
    step(lambda: p.move_images(other_ids[:1], other, cls))
    step(p.undo)
    step(lambda: p.remove_images(cls, ids))
    step(p.undo)
    step(lambda: p.rename_class(cls, cls + " renamed"))
    step(p.undo)
    step(lambda: p.remove_class(cls))
    step(p.undo)


# ---------------------------------------------------------------------------- bug 3: .trash purge
def test_open_never_purges_through_a_trash_symlink(tmp_path):
    out = _outside(tmp_path)
    os.utime(out / "sub", (OLD, OLD))
    before = _snapshot(out)
    p = Project.create("p", tmp_path)
    os.symlink(out, p.folder / ".trash")
    _try(lambda: Project.open(p.folder))
    assert _snapshot(out) == before


def test_purge_skips_linked_entries_and_never_follows_links_inside(tmp_path):
    out = _outside(tmp_path)
    os.utime(out / "sub", (OLD, OLD))
    os.utime(out, (OLD, OLD))
    before = _snapshot(out)
    p = Project.create("p", tmp_path)
    trash = p.folder / ".trash"
    (trash / "20000101-000000-old").mkdir(parents=True)
    os.symlink(out, trash / "20000101-000000-old" / "link-to-outside")
    os.symlink(out / "sub", trash / "linked-stamp")
    (trash / "a-file").write_text("x")
    for sub in trash.iterdir():
        os.utime(sub, (OLD, OLD), follow_symlinks=False)
    Project.open(p.folder)
    assert _snapshot(out) == before
    assert not (trash / "20000101-000000-old").exists()      # a real old stamp is still emptied
    assert (trash / "linked-stamp").is_symlink()              # a link is left alone, not followed


# ---------------------------------------------------------------------------- bug 4: paths in project.json
@pytest.mark.parametrize("bad", ["ABSOLUTE", "../../outside", "../../outside/sub", "..", "a/b", "", "."])
def test_class_folder_outside_the_project_is_never_used(tmp_path, bad):
    out = _outside(tmp_path)
    before = _snapshot(out)
    p = _project_with_images(tmp_path)
    folder = str(out) if bad == "ABSOLUTE" else bad

    def change(data):
        data["classes"][1]["folder"] = folder                 # "dog"
    _edit_manifest(p.folder, change)
    q = _try(lambda: Project.open(p.folder))
    if q is not None:
        dog = q.get_class("dog")
        assert "/" not in dog.folder and dog.folder not in ("", ".", "..") and not Path(dog.folder).is_absolute()
        _every_edit(q, "dog", tmp_path, out)
        _every_edit(q, "cat", tmp_path, out)
    assert _snapshot(out) == before


def test_bad_class_folder_is_renamed_and_nothing_is_lost(tmp_path):
    p = _project_with_images(tmp_path)
    _edit_manifest(p.folder, lambda d: d["classes"][1].update(folder="../../elsewhere"))
    q = Project.open(p.folder)
    assert q.get_class("dog").folder == "dog-2"               # a fresh slug; "dog" holds the old files
    assert len(q.get_class("dog").images) == 1 and not q.missing
    q.add_images("dog", [_png(tmp_path / "x.png", (3, 3, 3))])
    assert (q.folder / "images" / "dog-2").is_dir() and not (tmp_path / "elsewhere").exists()


@pytest.mark.parametrize("bad", ["../../outside/a.png", "ABSOLUTE", "images/../../outside/a.png",
                                 "images/dog", "images/dog/x/../../../../outside/a.png", "images/dog/a\x00.png",
                                 "images/dog/" + "n" * 5000 + ".png", "images/dog/\ud800.png"])
def test_image_file_outside_the_project_is_refused(tmp_path, bad):
    out = _outside(tmp_path)
    before = _snapshot(out)
    p = _project_with_images(tmp_path)
    file = str(out / "a.png") if bad == "ABSOLUTE" else bad
    _edit_manifest(p.folder, lambda d: d["classes"][1]["images"][0].update(file=file))
    with pytest.raises(ProjectError, match="image"):
        Project.open(p.folder)
    assert _snapshot(out) == before


# ---------------------------------------------------------------------------- bug 5a: symlinks
def _link_class_folder(p: Project, cls: str, out: Path) -> None:
    """Replace images/<cls> by a link to ``out`` holding files of the same names."""
    real = p.folder / "images" / p.get_class(cls).folder
    for f in real.iterdir():
        shutil.copyfile(f, out / f.name)
    shutil.rmtree(real)
    os.symlink(out, real)


def test_symlinked_class_folder_is_refused_on_open(tmp_path):
    out = _outside(tmp_path)
    p = _project_with_images(tmp_path)
    _link_class_folder(p, "cat", out)
    before = _snapshot(out)
    with pytest.raises(ProjectError, match="symbolic link"):
        Project.open(p.folder)
    assert _snapshot(out) == before


@pytest.mark.parametrize("cls", ["cat", "dog"])
def test_class_folder_turned_into_a_link_while_open_is_never_followed(tmp_path, cls):
    out = _outside(tmp_path)
    p = _project_with_images(tmp_path)
    _link_class_folder(p, cls, out)
    before = _snapshot(out)
    _every_edit(p, cls, tmp_path, out)
    assert _snapshot(out) == before


def test_image_file_through_a_link_is_refused(tmp_path):
    out = _outside(tmp_path)
    before = _snapshot(out)
    p = _project_with_images(tmp_path)
    os.symlink(out, p.folder / "images" / "elsewhere")
    _edit_manifest(p.folder, lambda d: d["classes"][1]["images"][0].update(file="images/elsewhere/a.png"))
    q = _try(lambda: Project.open(p.folder))
    if q is not None:
        _every_edit(q, "dog", tmp_path, out)
    assert _snapshot(out) == before


def test_linked_empty_folder_is_never_chosen_for_a_new_class(tmp_path):
    out = tmp_path / "empty-outside"
    out.mkdir()
    p = Project.create("p", tmp_path)
    os.symlink(out, p.folder / "images" / "fish")
    _try(lambda: p.add_class("fish"))
    _try(lambda: p.add_images("fish", [_png(tmp_path / "f.png")]))
    _try(lambda: p.rename_class("fish", "Fish"))
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("where", [".trash", "images"])
def test_linked_trash_or_images_folder(tmp_path, where):
    out = _outside(tmp_path)
    p = _project_with_images(tmp_path)
    if where == "images":
        for f in (p.folder / "images").iterdir():
            shutil.copytree(f, out / f.name)
        shutil.rmtree(p.folder / "images")
    os.symlink(out, p.folder / where)
    before = _snapshot(out)
    q = _try(lambda: Project.open(p.folder))
    for project in filter(None, [q, p]):                     # reopened, and the one already open
        _every_edit(project, "cat", tmp_path, out)
    assert _snapshot(out) == before


def test_undo_never_takes_files_through_a_linked_trash(tmp_path):
    out = tmp_path / "outside"
    p = _project_with_images(tmp_path)
    ids = [e.id for e in p.get_class("cat").images]
    p.remove_images("cat", ids)
    shutil.copytree(p.folder / ".trash", out)                 # same names outside ...
    shutil.rmtree(p.folder / ".trash")
    os.symlink(out, p.folder / ".trash")                      # ... and the trash now leads there
    before = _snapshot(out)
    _try(p.undo)
    assert _snapshot(out) == before


def test_undo_never_restores_files_into_a_linked_class_folder(tmp_path):
    out = tmp_path / "outside"
    out.mkdir()
    p = _project_with_images(tmp_path)
    p.remove_images("cat", [e.id for e in p.get_class("cat").images])
    (p.folder / "images" / "cat").rmdir()
    os.symlink(out, p.folder / "images" / "cat")
    _try(p.undo)
    assert list(out.iterdir()) == []


def test_linked_adapters_folder_is_refused(tmp_path):
    out = _outside(tmp_path)
    p = Project.create("p", tmp_path)
    os.symlink(out, p.folder / "adapters")
    with pytest.raises(ProjectError, match="symbolic link"):
        p.adapters_dir                                         # noqa: B018 - the property checks
    with pytest.raises(ProjectError, match="symbolic link"):
        Project.open(p.folder)


def test_normal_project_still_opens_and_edits(tmp_path):
    p = _project_with_images(tmp_path)
    q = Project.open(p.folder)
    assert q.class_names() == ["cat", "dog"] and not q.missing
    _every_edit(q, "cat", tmp_path)
    assert q.class_names() == ["cat", "dog"] and len(q.get_class("cat").images) == 2
    assert all(q.image_path(e).is_file() for c in q.classes for e in c.images)


# ---------------------------------------------------------------------------- bug 10: damaged manifests
def _manifest(folder: Path, text: str | bytes) -> None:
    path = folder / "project.json"
    path.write_bytes(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)


def test_deeply_nested_manifest_is_damaged_not_a_traceback(tmp_path):
    p = Project.create("p", tmp_path)
    _manifest(p.folder, "[" * 100_000 + "]" * 100_000)
    with pytest.raises(ProjectError, match="damaged"):
        Project.open(p.folder)
    inner = "[" * 100_000 + "]" * 100_000
    _manifest(p.folder, '{"schema_version": 1, "classes": [{"name": ' + inner + '}]}')
    with pytest.raises(ProjectError, match="damaged"):
        Project.open(p.folder)


def test_huge_manifest_is_refused_before_reading(tmp_path):
    p = Project.create("p", tmp_path)
    with open(p.folder / "project.json", "r+b") as fh:
        fh.truncate(200 * 1024 * 1024)                       # sparse: no disk used
    with pytest.raises(ProjectError, match="too large"):
        Project.open(p.folder)


GOOD_IMAGE = {"id": "x", "file": "images/a/x.png", "sha256": "x", "original_name": "x.png"}


@pytest.mark.parametrize("data", [
    {"schema_version": 1, "classes": 5},
    {"schema_version": 1, "classes": {"a": 1}},
    {"schema_version": 1, "classes": ["a"]},
    {"schema_version": 1, "classes": [{"name": 5}]},
    {"schema_version": 1, "classes": [{"name": {"x": 1}}]},
    {"schema_version": 1, "classes": [{"name": ""}]},
    {"schema_version": 1, "classes": [{"name": "a", "description": ["x"]}]},
    {"schema_version": 1, "classes": [{"name": "a", "folder": 7}]},
    {"schema_version": 1, "classes": [{"name": "a", "images": "images/a/x.png"}]},
    {"schema_version": 1, "classes": [{"name": "a", "images": [5]}]},
    {"schema_version": 1, "classes": [{"name": "a", "images": [{**GOOD_IMAGE, "id": 5}]}]},
    {"schema_version": 1, "classes": [{"name": "a", "images": [{**GOOD_IMAGE, "file": None}]}]},
    {"schema_version": 1, "classes": [{"name": "a", "images": [{**GOOD_IMAGE, "original_name": "\ud800"}]}]},
    {"schema_version": 1, "classes": [], "settings": [1, 2]},
    {"schema_version": 1, "classes": [], "settings": "abc"},
    {"schema_version": 1, "classes": [], "settings": {"k": "\udfff"}},
    {"schema_version": 1, "classes": [], "name": ["x"]},
    {"schema_version": True, "classes": []},
    {"schema_version": 1.0, "classes": []},
    {"schema_version": "1", "classes": []},
    {"schema_version": -(10 ** 4000), "classes": []},
    [1, 2, 3],
    "just text",
])
def test_wrong_types_are_damaged_not_a_traceback(tmp_path, data):
    p = Project.create("p", tmp_path)
    _manifest(p.folder, json.dumps(data))
    with pytest.raises(ProjectError, match="damaged|newer|schema"):
        Project.open(p.folder)


def test_big_numbers_allocate_nothing(tmp_path):
    p = Project.create("p", tmp_path)
    big = 10 ** 4000
    _manifest(p.folder, json.dumps({"schema_version": 1, "created": big, "settings": {"epochs": big},
                                    "classes": [{"name": "a", "images": []}], "count": big}))
    tracemalloc.start()
    try:
        _try(lambda: Project.open(p.folder))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024


def test_recent_list_survives_a_damaged_file(tmp_path, monkeypatch):
    from rmadapter_app.core import paths
    path = paths.config_dir() / recent.FILE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("[" * 100_000 + "]" * 100_000)
    assert recent.recent_projects() == []
    p = Project.create("p", tmp_path)
    monkeypatch.chdir(tmp_path)
    path.write_text(json.dumps({"version": 1, "projects": "p"}))     # a string, not a list
    assert recent.recent_projects() == []
    path.write_text(json.dumps({"version": 1, "projects": ["p", "\x00", str(p.folder)]}))
    assert recent.recent_projects() == [p.folder]            # relative and broken entries are dropped


# ---------------------------------------------------------------------------- property tests
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=25)

PATHY = st.sampled_from(["..", "../..", "../../outside", "../../../outside", "/", "/tmp", ".", "", "a/b",
                         "a\\b", "C:\\x", "c:x", "\\\\srv\\share", "x\x00", "\ud800", "con", "NUL.txt", "a:b",
                         "images", "images/a/x.png", "images/../../outside/a.png", "images/a/../../../outside",
                         "images/a", "images/a/b/c.png", "images//a/x.png", "images/./a/x.png", ".trash",
                         "OUTSIDE", "OUTSIDE/a.png", " a ", "a.", "dog", "cat", "images/cat/x.png"])
STRINGS = PATHY | st.text(alphabet=st.sampled_from("ab./\\:\x00 ~*"), max_size=12)


def _image(file):
    return st.fixed_dictionaries({"id": STRINGS | JSON, "file": file, "sha256": st.text(max_size=5) | JSON,
                                  "original_name": st.text(max_size=5)})


CLASS = st.fixed_dictionaries(
    {"name": st.sampled_from(["cat", "dog", "a"]) | st.text(max_size=6) | JSON},
    optional={"folder": STRINGS | JSON, "description": st.text(max_size=5) | JSON,
              "images": st.lists(_image(STRINGS | JSON), max_size=3) | JSON})
MANIFEST = st.fixed_dictionaries(
    {"schema_version": st.sampled_from([1, 0, 2, -1]) | JSON},
    optional={"classes": st.lists(CLASS, max_size=3) | JSON, "settings": JSON, "name": STRINGS | JSON,
              "created": JSON}) | JSON


def _fresh(root: Path) -> tuple[Path, Path, dict]:
    """(project folder, outside folder, outside snapshot) in a new temporary folder."""
    out = _outside(root)
    proj = root / "proj"
    (proj / "images" / "cat").mkdir(parents=True)
    _png(proj / "images" / "cat" / "x.png")
    return proj, out, _snapshot(out)


def _text(data) -> str:
    return json.dumps(data).replace("OUTSIDE", "__OUT__")


@given(MANIFEST)
def test_property_any_json_manifest_opens_or_is_refused(data):
    with tempfile.TemporaryDirectory() as tmp:
        proj, out, before = _fresh(Path(tmp))
        _manifest(proj, _text(data).replace("__OUT__", str(out)))
        try:
            Project.open(proj)
        except ProjectError:
            pass
        assert _snapshot(out) == before


@given(st.text(alphabet=st.sampled_from('[]{}",:0123456789.e-+ \\u"ntrufals'), max_size=400),
       st.integers(0, 60_000))
def test_property_any_text_or_nesting_opens_or_is_refused(text, depth):
    with tempfile.TemporaryDirectory() as tmp:
        proj, out, before = _fresh(Path(tmp))
        for body in (text, "[" * depth + text + "]" * depth, '{"schema_version": 1, "classes": ' + "[" * depth):
            _manifest(proj, body)
            try:
                Project.open(proj)
            except ProjectError:
                pass
        assert _snapshot(out) == before


@given(st.lists(st.tuples(st.sampled_from(["cat", "dog", "a b", "x"]), STRINGS, STRINGS), min_size=1, max_size=3))
def test_property_class_folders_and_files_stay_inside(classes):
    with tempfile.TemporaryDirectory() as tmp:
        proj, out, before = _fresh(Path(tmp))
        data = {"schema_version": 1, "classes": [
            {"name": f"{name} {i}", "folder": folder,
             "images": [{"id": f"id{i}", "file": file, "sha256": f"s{i}", "original_name": "x.png"}]}
            for i, (name, folder, file) in enumerate(classes)]}
        _manifest(proj, _text(data).replace("__OUT__", str(out)))
        try:
            p = Project.open(proj)
        except ProjectError:
            assert _snapshot(out) == before
            return
        images = proj / "images"
        for c in p.classes:
            assert (images / c.folder).parent == images and c.folder not in ("", ".", "..")
            check_inside(images, images / c.folder)
            for e in c.images:
                check_inside(proj, p.image_path(e))
        _every_edit(p, p.classes[0].name, Path(tmp), out)
        assert _snapshot(out) == before
