"""Bad input that real users give: clear one-line errors, nothing lost, nothing mislabeled."""
from __future__ import annotations

import os

from rmadapter_app.core.data import scan_class_folders
from rmadapter_app.core.images import iter_image_files
from tests.conftest import write_color_tree


def test_symlink_loop_in_a_class_folder_is_not_followed(tmp_path):
    root = write_color_tree(tmp_path / "data", per_class=2)
    os.symlink("..", root / "blue" / "up")            # blue/up -> data: would pull red/green into blue
    os.symlink(str(root / "red"), root / "red" / "again")  # red/again -> red itself
    data = scan_class_folders(root)
    assert len(data.samples) == 6
    blue = data.class_names.index("blue")
    assert all(path.parent.name == "blue" for path, label in data.samples if label == blue)
    reasons = {p.path.name: p.reason for p in data.problems}
    assert "loop" in reasons["up"] and "loop" in reasons["again"]


def test_same_folder_twice_is_read_once(tmp_path):
    root = write_color_tree(tmp_path / "data", per_class=2)
    os.symlink(str(root / "red"), tmp_path / "red-link")
    problems = []
    files = list(iter_image_files([root / "red", tmp_path / "red-link"], problems=problems))
    assert len(files) == 2
    assert problems and "already read" in problems[0].reason
