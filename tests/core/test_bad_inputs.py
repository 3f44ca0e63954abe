"""Bad input that real users give: clear one-line errors, nothing lost, nothing mislabeled."""
from __future__ import annotations

import os

from rmadapter_app.core.train.data import scan_class_folders
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


def test_unreadable_image_says_cannot_be_read_not_damaged(tmp_path, monkeypatch):
    from PIL import Image

    from rmadapter_app.core import images
    from rmadapter_app.core.errors import ImageLoadError

    path = tmp_path / "locked.png"
    Image.new("RGB", (4, 4)).save(path)

    def refuse(fp, *a, **k):  # tests run as root, where chmod 000 does not stop reading
        raise PermissionError(13, "Permission denied", str(fp))
    monkeypatch.setattr(images.Image, "open", refuse)
    try:
        images.load_rgb(path)
    except ImageLoadError as exc:
        assert "cannot be read (Permission denied)" in str(exc) and "damaged" not in str(exc)
    else:
        raise AssertionError("no error")


def test_atomic_write_into_an_unwritable_folder_names_the_target(tmp_path, monkeypatch):
    import tempfile

    import pytest

    from rmadapter_app.core.errors import RMAdapterError
    from rmadapter_app.core.fileio import atomic_write_bytes

    def refuse(*a, **k):  # tests run as root, where a read-only folder stays writable
        raise PermissionError(13, "Permission denied", str(tmp_path / ".x.json.abc.tmp"))
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(RMAdapterError, match=r"Could not write .*x\.json: Permission denied") as info:
        atomic_write_bytes(tmp_path / "x.json", b"{}")
    assert ".tmp" not in str(info.value)


def _train(tmp_path, image_tree, tiny_config, out):
    from rmadapter_app.cli import main
    return main(["-q", "train", str(image_tree), "--out", str(out), "--model-config", str(tiny_config),
                 "--epochs", "1", "--shots", "2", "--validation", "none", "--random-weights"])


def test_train_out_onto_a_user_file_is_refused_before_training(tmp_path, image_tree, tiny_config):
    import pytest

    notes = tmp_path / "notes.txt"
    notes.write_text("my notes")
    with pytest.raises(SystemExit, match="not an adapter file"):
        _train(tmp_path, image_tree, tiny_config, notes)
    assert notes.read_text() == "my notes"
    with pytest.raises(SystemExit, match="is a folder"):
        _train(tmp_path, image_tree, tiny_config, tmp_path)


def test_train_out_onto_an_adapter_keeps_the_previous_one(tmp_path, image_tree, tiny_config, capsys):
    out = tmp_path / "m.rmadapter.safetensors"
    assert _train(tmp_path, image_tree, tiny_config, out) == 0
    first = out.read_bytes()
    assert _train(tmp_path, image_tree, tiny_config, out) == 0
    backup = tmp_path / "m-previous.rmadapter.safetensors"
    assert backup.read_bytes() == first and out.is_file()
    assert "kept as" in capsys.readouterr().err


class _Evil:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))  # creates the marker file if ever unpickled


def test_pickle_weights_are_never_unpickled_and_the_message_is_plain(tmp_path, tiny_config):
    import pickle

    import pytest

    from rmadapter_app.core.model.backbone import load_backbone
    from rmadapter_app.core.errors import BackboneUnavailableError

    marker = tmp_path / "unpickled"
    for name in ("evil.pt", "evil.bin"):
        with open(tmp_path / name, "wb") as fh:
            pickle.dump({"visual.proj": _Evil(str(marker))}, fh)
        with pytest.raises(BackboneUnavailableError) as info:
            load_backbone(model_config=tiny_config, weights=tmp_path / name)
        text = str(info.value)
        assert "never loaded, for safety" in text and "weights_only" not in text and "\n" not in text
    assert not marker.exists()


def test_weights_that_do_not_fit_name_the_missing_keys(tmp_path, tiny_config):
    import pytest
    import torch
    from safetensors.torch import save_file

    from rmadapter_app.core.model.backbone import load_backbone
    from rmadapter_app.core.errors import BackboneUnavailableError

    save_file({"w": torch.zeros(3)}, str(tmp_path / "other.safetensors"))
    with pytest.raises(BackboneUnavailableError, match="Missing key"):
        load_backbone(model_config=tiny_config, weights=tmp_path / "other.safetensors")


def test_label_out_onto_a_file_or_report_onto_a_folder_is_refused_first(tmp_path, image_tree):
    import pytest

    from rmadapter_app.cli import main

    notes = tmp_path / "notes.txt"
    notes.write_text("my notes")
    base = ["label", str(image_tree), "--class", "red", "--class", "blue", "--model-config", "/nonexistent.json"]
    with pytest.raises(SystemExit, match="is a file, not a folder"):
        main(base + ["--out", str(notes)])
    with pytest.raises(SystemExit, match="--csv .* is a folder"):
        main(base + ["--csv", str(tmp_path)])
    assert notes.read_text() == "my notes"


def test_reports_onto_existing_files_keep_the_previous_ones(tmp_path, image_tree, tiny_config, capsys):
    from rmadapter_app.cli import main

    table = tmp_path / "mine.csv"
    table.write_text("my own notes\n")
    assert main(["classify", str(image_tree / "red"), "--class", "red", "--class", "blue",
                 "--model-config", str(tiny_config), "--csv", str(table)]) == 0
    assert (tmp_path / "mine-previous.csv").read_text() == "my own notes\n"
    assert "path" in table.read_text().splitlines()[0]
    assert "mine-previous.csv" in capsys.readouterr().err

    report = tmp_path / "labels.json"
    report.write_text("{}")
    assert main(["label", str(image_tree), "--class", "red", "--class", "blue",
                 "--model-config", str(tiny_config), "--json", str(report)]) == 0
    assert (tmp_path / "labels-previous.json").read_text() == "{}"
    assert '"images"' in report.read_text()


def test_label_output_folder_that_cannot_be_created_is_a_plain_error(tmp_path):
    import pytest

    from rmadapter_app.core.errors import RMAdapterError
    from rmadapter_app.core.label.write import apply_plan
    from rmadapter_app.core.label.plan import plan_labeling
    from rmadapter_app.core.prediction import Prediction

    src = write_color_tree(tmp_path / "src", per_class=1)
    results = [Prediction(p, "red", 0.9, [("red", 0.9)]) for p in sorted(src.rglob("*.png"))]
    blocker = tmp_path / "file"
    blocker.write_text("a file where the output folder should go")
    plan = plan_labeling(results, threshold=0.0, out_dir=blocker / "out", mode="copy", source_roots=[src])
    with pytest.raises(RMAdapterError, match="cannot be created"):
        apply_plan(plan)
    assert sorted(p.name for p in src.rglob("*.png")) == ["blue_0.png", "green_0.png", "red_0.png"]
