"""``rmadapter train`` with its defaults: the backbone for the machine, the adapter saved before the
cross-validation estimate, the automatic learning rate and the verdict printed."""
from __future__ import annotations

import argparse
import json

from rmadapter_app.cli import _default_train_model, main


def test_adapter_is_saved_before_cross_validation_and_the_verdict_is_printed(tmp_path, tiny_config, image_tree,
                                                                             capsys, monkeypatch):
    from rmadapter_app.cli_common import Progress
    from rmadapter_app.core.events import FoldEvent
    from rmadapter_app.core.model.adapter_file import read_adapter_header

    out = tmp_path / "colours.rmadapter.safetensors"
    on_disk_at_folds = []
    original = Progress.__call__

    def spy(self, ev):
        if isinstance(ev, FoldEvent):
            on_disk_at_folds.append(out.exists() and read_adapter_header(out).metrics.get("evaluation"))
        return original(self, ev)

    monkeypatch.setattr(Progress, "__call__", spy)
    assert main(["train", str(image_tree), "--out", str(out), "--model-config", str(tiny_config),
                 "--epochs", "1", "--random-weights"]) == 0
    assert on_disk_at_folds == ["pending"] * 5               # 8 images per class: 5-fold, adapter saved first
    captured = capsys.readouterr()
    summary = json.loads(captured.out)
    assert summary["lr_auto"] and summary["lr"] == 0.05 and summary["validation"] == "kfold"
    assert summary["verdict"] and summary["helped"] in (True, False) and summary["fold_accuracy_mean"] is not None
    assert summary["changed_predictions"] is not None
    assert "learning rate: 0.05 (chosen automatically" in captured.err
    assert "adapter saved to" in captured.err and summary["verdict"] in captured.err
    header = read_adapter_header(out)
    assert header.metrics["evaluation"] == "done" and len(header.metrics["fold_accuracies"]) == 5
    assert header.train["config"]["lr"] is None and header.metrics["lr"] == 0.05


def test_a_run_that_did_not_help_says_so_on_the_command_line(tmp_path, tiny_config, image_tree, capsys):
    out = tmp_path / "nothing.rmadapter.safetensors"
    assert main(["train", str(image_tree), "--out", str(out), "--model-config", str(tiny_config),
                 "--epochs", "1", "--lr", "1e-12", "--validation", "none", "--random-weights"]) == 0
    captured = capsys.readouterr()
    summary = json.loads(captured.out)
    assert summary["helped"] is False and not summary["lr_auto"] and summary["changed_predictions"] == 0
    assert "did not change anything" in captured.err
    assert "  - Add more images" in captured.err and "larger backbone" in captured.err


def test_without_a_model_flag_the_backbone_follows_the_machine(monkeypatch):
    from rmadapter_app.core import device

    said = []
    progress = argparse.Namespace(say=said.append)
    args = argparse.Namespace(model=None, weights=None, model_config=None, device="cpu")
    _default_train_model(args, progress)
    assert args.model == "ViT-B-32" and "No GPU" in said[0] and "--model" in said[0]

    args = argparse.Namespace(model="ViT-L-14", weights=None, model_config=None, device="cpu")
    _default_train_model(args, progress)
    assert args.model == "ViT-L-14" and len(said) == 1            # a chosen model is kept, nothing said

    class GPU:
        kind = "cuda"

    monkeypatch.setattr(device, "resolve_device", lambda *_a, **_k: GPU())
    args = argparse.Namespace(model=None, weights=None, model_config=None, device="auto")
    _default_train_model(args, progress)
    assert args.model == "ViT-B-16" and "GPU is available" in said[-1]
