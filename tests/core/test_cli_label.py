"""``rmadapter label`` run in-process on the tiny backbone."""
from __future__ import annotations

import csv
import json

import pytest
import torch

from rmadapter_app.cli import main


def _files(root):
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


def test_zero_shot_copy_with_reports(tmp_path, tiny_config, image_tree, capsys):
    before = _files(image_tree)
    (image_tree / "red" / "broken.jpg").write_text("not an image")
    out = tmp_path / "sorted"
    table, report = tmp_path / "labels.csv", tmp_path / "labels.json"
    rc = main(["label", str(image_tree), "--model-config", str(tiny_config), "--class", "red", "--class", "green",
               "--extra-class", "blue", "--out", str(out), "--keep-structure", "--csv", str(table),
               "--json", str(report), "--top-k", "2", "--batch-size", "5"])
    captured = capsys.readouterr()
    assert rc == 0
    summary = json.loads(captured.out)
    assert summary["images"] == 25 and summary["labeled"] == 24 and summary["errors"] == 1
    assert summary["mode"] == "copy" and summary["written"] == 24
    assert sum(summary["counts"].values()) == 24 and set(summary["counts"]) == {"red", "green", "blue", "_uncertain"}
    assert "images/s" in captured.err and "broken.jpg" in captured.err
    rows = list(csv.DictReader(table.open(encoding="utf-8")))
    assert len(rows) == 25 and all(len(r["top_k"].split("; ")) == 2 for r in rows if not r["error"])
    copied = [r["destination"] for r in rows if r["destination"]]
    assert len(copied) == 24 and all(str(out) in d for d in copied)
    # keep-structure: <out>/<label>/<source subfolder>/<name>
    assert all(len(_rel.parts) == 3 for _rel in _files(out) if _rel.suffix == ".png")
    assert json.loads(report.read_text())["summary"]["counts"] == summary["counts"]
    assert set(before) <= set(_files(image_tree))   # sources untouched (copy mode)


def test_move_then_undo(tmp_path, tiny_config, image_tree, capsys):
    before = {p: p.read_bytes() for p in image_tree.rglob("*.png")}
    out = tmp_path / "sorted"
    assert main(["label", str(image_tree / "red"), str(image_tree / "blue"), "--model-config", str(tiny_config),
                 "--class", "red", "--class", "blue", "--out", str(out), "--move", "--threshold", "0.9"]) == 0
    captured = capsys.readouterr()
    assert "to undo: rmadapter label --undo" in captured.err
    summary = json.loads(captured.out)
    assert summary["written"] == 16 and sum(summary["counts"].values()) == 16
    moved = [p for p in out.rglob("*.png")]
    assert len(moved) == 16 and {p.parent.name for p in moved} <= {"red", "blue", "_uncertain"}
    assert not list((image_tree / "red").glob("*.png"))
    journal = summary["journal"]
    assert main(["label", "--undo", journal]) == 0
    assert json.loads(capsys.readouterr().out) == {"restored": 16, "removed": 0, "left": 0}
    assert {p: p.read_bytes() for p in image_tree.rglob("*.png")} == before
    assert main(["label", "--undo", journal]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "already undone" in err and len(err.splitlines()) == 1


def test_adapter_file_and_reports_only(tmp_path, tiny_config, image_tree, capsys):
    adapter = tmp_path / "colours.rmadapter.safetensors"
    assert main(["train", str(image_tree), "--out", str(adapter), "--model-config", str(tiny_config),
                 "--epochs", "1", "--random-weights"]) == 0
    capsys.readouterr()
    report = tmp_path / "r.json"
    torch.manual_seed(0)      # the same random backbone both times (random weights are part of the cache key)
    assert main(["label", str(image_tree / "green"), "--adapter", str(adapter), "--model-config", str(tiny_config),
                 "--extra-class", "purple", "--json", str(report)]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["classes"] == ["blue", "green", "red", "purple"] and "written" not in summary
    images = json.loads(report.read_text())["images"]
    assert len(images) == 8 and all(im["action"] == "none" and im["destination"] == "" for im in images)
    # a second run with a new extra class re-scores from the cache
    torch.manual_seed(0)
    assert main(["label", str(image_tree / "green"), "--adapter", str(adapter), "--model-config", str(tiny_config),
                 "--extra-class", "orange", "--json", str(report)]) == 0
    assert json.loads(capsys.readouterr().out)["from_cache"] == 8


def test_bad_arguments_are_one_line_errors(tmp_path, tiny_config, image_tree, capsys):
    with pytest.raises(SystemExit, match="at least one image folder"):
        main(["label", "--out", str(tmp_path / "o")])
    with pytest.raises(SystemExit, match="nothing to write"):
        main(["label", str(image_tree), "--class", "a", "--class", "b"])
    with pytest.raises(SystemExit, match="two class names"):
        main(["label", str(image_tree), "--class", "a", "--out", str(tmp_path / "o")])
    with pytest.raises(SystemExit, match="threshold"):
        main(["label", str(image_tree), "--class", "a", "--class", "b", "--out", str(tmp_path / "o"),
              "--threshold", "2"])
    with pytest.raises(SystemExit, match="inside the source folder"):   # refused before any labeling
        main(["label", str(image_tree), "--model-config", str(tiny_config), "--class", "a", "--class", "b",
              "--out", str(image_tree / "sorted")])
    assert not (image_tree / "sorted").exists()
    assert main(["label", "--undo", str(tmp_path / "missing.json")]) == 1
    assert "not a readable labeling journal" in capsys.readouterr().err


def test_long_warning_lists_are_cut_with_a_count():
    from rmadapter_app.cli_label import WARN_LIMIT, _warn_each

    said = []

    class Progress:
        def say(self, text):
            said.append(text)
    _warn_each(Progress(), [f"file {i}" for i in range(WARN_LIMIT + 861)], "files were left in place")
    assert len(said) == WARN_LIMIT + 1 and said[-1].startswith("warning: ... and 861 more (881 files")
