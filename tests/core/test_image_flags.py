"""Images that teach nothing are flagged when added: refused with a reason, or added with a note."""
from __future__ import annotations

from PIL import Image

from rmadapter_app.core.project.importing import MIN_SIDE, SMALL_SIDE
from rmadapter_app.core.project.project import Project


def _save(path, mode, size, colour):
    Image.new(mode, size, colour).save(path)
    return path


def test_tiny_and_transparent_images_are_refused_small_ones_noted(tmp_path):
    p = Project.create("Flags", tmp_path / "projects")
    p.add_class("cat")
    src = tmp_path / "in"
    src.mkdir()
    one = _save(src / "one.png", "RGB", (1, 1), (10, 20, 30))
    thin = _save(src / "thin.png", "RGB", (300, MIN_SIDE - 1), (10, 20, 30))
    clear = _save(src / "clear.png", "RGBA", (64, 64), (0, 0, 0, 0))
    clear_gif = tmp_path / "in" / "clear.gif"
    Image.new("RGBA", (64, 64), (255, 0, 0, 0)).save(clear_gif, transparency=0)
    small = _save(src / "small.png", "RGB", (24, 24), (200, 30, 30))
    white = _save(src / "white.png", "RGB", (64, 64), (255, 255, 255))        # opaque white: a real picture
    half = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    half.paste((0, 0, 255, 255), (0, 0, 32, 64))
    half.save(src / "half.png")
    ok = _save(src / "ok.png", "RGB", (SMALL_SIDE, 40), (1, 200, 3))
    result = p.add_images("cat", [src])
    added = sorted(e.original_name for e in result.added)
    assert added == ["half.png", "ok.png", "small.png", "white.png"]
    reasons = {pr.path.name: pr.reason for pr in result.rejected}
    assert set(reasons) == {"one.png", "thin.png", "clear.png", "clear.gif"}
    assert "1x1 pixels" in reasons["one.png"] and "too small" in reasons["one.png"]
    assert f"300x{MIN_SIDE - 1}" in reasons["thin.png"]
    assert "fully transparent" in reasons["clear.png"] and "fully transparent" in reasons["clear.gif"]
    notes = {pr.path.name: pr.reason for pr in result.warnings}
    assert list(notes) == ["small.png"] and "24x24 pixels" in notes["small.png"] and "added" in notes["small.png"]
    assert [e.original_name for e in p.get_class("cat").images] == [e.original_name for e in result.added]
    assert one.exists() and clear.exists() and small.exists() and white.exists() and ok.exists()   # untouched


def test_import_class_folders_merges_the_notes(tmp_path):
    root = tmp_path / "classes"
    for name in ("a", "b"):
        (root / name).mkdir(parents=True)
        _save(root / name / "tiny.png", "RGB", (16, 16), (10, 20, 30 if name == "a" else 90))
    p = Project.create("Merge", tmp_path / "projects")
    result = p.import_class_folders(root)
    assert len(result.added) == 2 and len(result.warnings) == 2 and not result.rejected
