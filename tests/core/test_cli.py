"""The rmadapter command, run in-process on the tiny backbone."""
from __future__ import annotations

import csv
import json

from rmadapter_app.cli import main


def test_train_info_classify(tmp_path, tiny_config, image_tree, capsys):
    out = tmp_path / "colours.rmadapter.safetensors"
    assert main(["train", str(image_tree), "--out", str(out), "--model-config", str(tiny_config),
                 "--epochs", "2", "--seed", "3", "--random-weights"]) == 0
    captured = capsys.readouterr()
    summary = json.loads(captured.out)
    assert summary["classes"] == 3 and summary["steps"] > 0 and out.exists()
    assert "zero-shot CLIP accuracy" in captured.err and "device: CPU" in captured.err

    assert main(["info", str(out)]) == 0
    text = capsys.readouterr().out
    assert "blue, green, red" in text and "tiny-vit" in text

    (image_tree / "red" / "broken.png").write_bytes(b"xx")
    table = tmp_path / "out.csv"
    assert main(["classify", str(image_tree / "red"), "--adapter", str(out), "--model-config", str(tiny_config),
                 "--extra-class", "purple", "--csv", str(table), "--top-k", "4"]) == 0
    rows = list(csv.DictReader(table.open()))
    assert len(rows) == 9
    broken = [r for r in rows if r["path"].endswith("broken.png")][0]
    assert broken["label"] == "" and "not an image" in broken["error"]
    assert all("purple" in r["top_k"] for r in rows if not r["error"])


def test_failures_are_one_line_and_nonzero(tmp_path, capsys):
    bad = tmp_path / "bad.rmadapter.safetensors"
    bad.write_text("nope")
    assert main(["info", str(bad)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and len(err.splitlines()) == 1
    assert main(["train", str(tmp_path / "missing"), "--out", str(tmp_path / "x.safetensors")]) == 1
    assert "is not a folder" in capsys.readouterr().err


def test_zero_shot_classify_needs_two_classes(tmp_path, tiny_config, image_tree, capsys):
    assert main(["classify", str(image_tree / "red"), "--model-config", str(tiny_config),
                 "--class", "red", "--class", "green"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 8 and all(line.split("\t")[1] in ("red", "green") for line in lines)


def test_loss_weight_flags_reach_the_saved_training_config(tmp_path, tiny_config, image_tree, capsys):
    from rmadapter_app.core.model.adapter_file import read_adapter_header

    out = tmp_path / "w.rmadapter.safetensors"
    assert main(["train", str(image_tree), "--out", str(out), "--model-config", str(tiny_config),
                 "--epochs", "1", "--method", "mma+con+trec", "--recon-weight", "0.5", "--random-weights",
                 "--consistency-weights", "2", "3"]) == 0
    loss = read_adapter_header(out).train["config"]["loss"]
    assert loss["recon_visual"] == 0.5 and loss["recon_text"] == 0.5
    assert loss["consistency_image"] == 2.0 and loss["consistency_text"] == 3.0
    assert loss["use_recon_text"] and not loss["use_recon_visual"]      # the --method switches still apply


def test_every_subcommand_is_registered_without_import_guards(capsys):
    import inspect

    import pytest

    import rmadapter_app.cli as cli

    assert "except ImportError" not in inspect.getsource(cli)
    with pytest.raises(SystemExit) as info:
        main(["label", "--help"])
    assert info.value.code == 0 and "--undo" in capsys.readouterr().out


def test_download_offline_is_one_plain_line(capsys, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert main(["download", "--model", "ViT-B-32", "--pretrained", "laion2b_s34b_b79k"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and len(err.splitlines()) == 1
    assert "Connect to the internet" in err and "import-weights" in err and "Errno" not in err


def test_download_goes_to_the_hub_cache_and_can_be_stopped(tmp_path, capsys, monkeypatch):
    import huggingface_hub
    from huggingface_hub import constants

    from tests.core.test_weights import B16, FakeHub

    hub = FakeHub()
    hub.put(B16, "open_clip_model.safetensors")
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(huggingface_hub, "hf_hub_download", hub.hf_hub_download)
    polls = iter(range(1_000_000))
    monkeypatch.setattr("rmadapter_app.cli_common.StopFlag.__call__", lambda self: next(polls) >= 3)  # Ctrl-C mid-way
    assert main(["download", "--model", "ViT-B-16", "--pretrained", "openai"]) == 130
    assert "cancelled" in capsys.readouterr().err and not list((tmp_path / "hub").rglob("*.safetensors"))
    monkeypatch.setattr("rmadapter_app.cli_common.StopFlag.__call__", lambda self: False)
    assert main(["-q", "download", "--model", "ViT-B-16", "--pretrained", "openai"]) == 0
    printed = capsys.readouterr().out.strip()
    assert printed.startswith(str(tmp_path / "hub")) and printed.endswith("open_clip_model.safetensors")
