"""The project's models (core/project/models.py): every run kept with its evaluation, the one in use
remembered in project.json, damaged and hostile files listed or refused in words, never followed out."""
from __future__ import annotations

import json
import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from rmadapter_app.core.project import models
from rmadapter_app.core.project.project import Project


def _adapter(project: Project, name: str, *, val=0.8, zs=0.5, stopped=False, created="2026-01-01T10:00:00",
             classes=("red", "green")) -> Path:
    """A small adapter file as the app writes it (real header, a tiny tensor)."""
    import torch
    from safetensors.torch import save_file

    meta = {"format": "pt", "rmadapter.format_version": "1",
            "rmadapter.backbone": json.dumps({"model_name": "ViT-B-32", "pretrained": "openai"}),
            "rmadapter.adapter_config": "{}",
            "rmadapter.classes": json.dumps({"names": list(classes), "prompts": list(classes)}),
            "rmadapter.train": json.dumps({"metrics": {"val_accuracy": val, "zero_shot_accuracy": zs, "n_images": 24,
                                                       "n_val": 4, "validation": "holdout"},
                                           "stopped_early": stopped}),
            "rmadapter.created": created}
    path = project.adapters_dir / name
    save_file({"w": torch.zeros(1)}, str(path), metadata=meta)
    return path


def _prediction(path, label, pred):
    return SimpleNamespace(path=str(path), label=label, pred=pred, top=[(pred, 0.7), (label, 0.2)])


def test_runs_are_listed_newest_first_with_their_evaluation(tmp_path):
    project = Project.create("P", tmp_path)
    old = _adapter(project, "a.rmadapter.safetensors", created="2026-01-01T10:00:00")
    new = _adapter(project, "b.rmadapter.safetensors", val=0.9, stopped=True, created="2026-01-02T10:00:00")
    image = project.folder / "images" / "red" / "x.png"
    sidecar = models.write_evaluation(project.folder, new, metrics={"val_accuracy": 0.75, "zero_shot_accuracy": 0.5,
                                                                    "n_val": 2, "verdict": {"summary": "s"}},
                                      class_names=["red", "green"], stopped_early=True, backbone="ViT-B-32 (openai)",
                                      val_predictions=[_prediction(image, 0, 1), _prediction("/elsewhere.png", 1, 1)])
    assert sidecar == new.with_name("b.eval.json") and sidecar.is_file()
    entries = models.list_models(project.folder)
    assert [e.name for e in entries] == ["b.rmadapter.safetensors", "a.rmadapter.safetensors"]
    assert entries[0].stopped_early and entries[0].report.val_accuracy == 0.75     # the evaluation file wins
    assert entries[1].report.val_accuracy == 0.8 and not entries[1].stopped_early  # from the header alone
    run = models.read_run(project.folder, new)
    assert run.predictions_kept and len(run.val_predictions) == 1                   # outside images are left out
    p = run.val_predictions[0]
    assert Path(p.path) == image and (p.label, p.pred, p.correct) == (0, 1, False) and p.top[0] == (1, 0.7)
    assert run.report.extra["verdict"] == {"summary": "s"}                          # newer keys are kept
    assert not models.read_run(project.folder, old).predictions_kept


def test_the_model_in_use_is_remembered_and_a_stopped_run_is_not_chosen_by_default(tmp_path):
    project = Project.create("P", tmp_path)
    assert models.model_in_use(project) is None
    done = _adapter(project, "done.rmadapter.safetensors", created="2026-01-01T10:00:00")
    _adapter(project, "stopped.rmadapter.safetensors", stopped=True, created="2026-01-03T10:00:00")
    assert models.model_in_use(project) == done                  # newest complete run, not the stopped one
    stopped = project.adapters_dir / "stopped.rmadapter.safetensors"
    assert models.remember_in_use(project, stopped)
    reopened = Project.open(project.folder)
    assert reopened.settings[models.IN_USE] == "stopped.rmadapter.safetensors"
    assert models.model_in_use(reopened) == stopped              # the user's choice survives a restart
    stopped.unlink()
    assert models.model_in_use(reopened) == done                 # its file is gone: the best one left


def test_remembering_waits_while_an_edit_holds_the_project(tmp_path):
    project = Project.create("P", tmp_path)
    path = _adapter(project, "a.rmadapter.safetensors")
    with project._lock:
        import threading
        out = []
        t = threading.Thread(target=lambda: out.append(models.remember_in_use(project, path)))
        t.start()
        t.join(5)
    assert out == [False] and models.IN_USE not in project.settings
    assert models.remember_in_use(project, path) and project.settings[models.IN_USE] == path.name


def test_hostile_names_links_and_damaged_files(tmp_path):
    project = Project.create("P", tmp_path)
    good = _adapter(project, "good.rmadapter.safetensors")
    (project.adapters_dir / "junk.rmadapter.safetensors").write_bytes(b"\x00\x01 not an adapter")
    outside = tmp_path / "outside.rmadapter.safetensors"
    outside.write_bytes(good.read_bytes())
    if hasattr(os, "symlink"):
        os.symlink(outside, project.adapters_dir / "link.rmadapter.safetensors")
    entries = {e.name: e for e in models.list_models(project.folder)}
    assert "link.rmadapter.safetensors" not in entries              # links are never listed
    assert not entries["junk.rmadapter.safetensors"].usable
    assert "cannot be read" in entries["junk.rmadapter.safetensors"].problem
    for bad in ("../outside.rmadapter.safetensors", "/etc/passwd", "junk.rmadapter.safetensors", 7):
        project.settings[models.IN_USE] = bad
        assert models.model_in_use(project) == good                  # never a path out, never a damaged one
    # an evaluation file that points out of the project or is not one is ignored, not followed
    sidecar = models.evaluation_path(good)
    sidecar.write_text(json.dumps({"format": models.EVAL_FORMAT, "version": 1, "class_names": ["a", "b"],
                                   "val_predictions": [{"path": "../../etc/passwd", "label": 0, "pred": 0,
                                                        "top": [[0, 1.0]]},
                                                       {"path": "images/a/x.png", "label": 5, "pred": 0}]}))
    assert models.read_run(project.folder, good).val_predictions == []
    sidecar.write_text("[1, 2")
    assert models.read_run(project.folder, good).report.val_accuracy == 0.8     # back to the header
    with pytest.raises(Exception):
        models.write_evaluation(project.folder, outside, metrics={}, class_names=[], val_predictions=[],
                                stopped_early=False, backbone="")


def test_an_adapter_from_elsewhere_is_copied_in_under_a_free_name(tmp_path):
    project = Project.create("P", tmp_path)
    mine = _adapter(project, "mine.rmadapter.safetensors")
    outside = tmp_path / "mine.rmadapter.safetensors"
    outside.write_bytes(mine.read_bytes())
    copy = models.import_adapter(project.folder, outside)
    assert copy.parent == project.adapters_dir and copy.name == "mine (1).rmadapter.safetensors"
    assert copy.read_bytes() == outside.read_bytes() and outside.exists()
    assert models.import_adapter(project.folder, mine) == mine       # already in the project: itself
    # its evaluation file, when it lies beside it, comes along
    models.write_evaluation(project.folder, mine, metrics={"val_accuracy": 0.7}, class_names=["red", "green"],
                            val_predictions=[], stopped_early=False, backbone="b")
    (tmp_path / "other.eval.json").write_bytes(models.evaluation_path(mine).read_bytes())
    (tmp_path / "other.rmadapter.safetensors").write_bytes(mine.read_bytes())
    copy = models.import_adapter(project.folder, tmp_path / "other.rmadapter.safetensors")
    assert models.read_run(project.folder, copy).report.val_accuracy == 0.7


def test_a_run_stopped_while_cross_validating_has_a_complete_adapter():
    report = models.RunReport.from_metrics
    assert models.is_complete(False, report({}))
    assert models.is_complete(True, report({"steps": 40, "planned_steps": 40}))     # only the check was stopped
    assert not models.is_complete(True, report({"steps": 3, "planned_steps": 40}))
    assert not models.is_complete(True, report({}))


def test_run_report_tolerates_missing_and_mistyped_numbers():
    r = models.RunReport.from_metrics({"val_accuracy": "high", "zero_shot_accuracy": 0.4, "n_images": -3,
                                       "confusion": [[1, "x"], [0, 2]], "lr": 0.003})
    assert r.val_accuracy is None and r.zero_shot_accuracy == 0.4 and r.n_images == 0
    assert r.confusion == [[1, 0], [0, 2]] and r.extra == {"lr": 0.003} and r.gain is None
    assert models.RunReport.from_metrics(None) == models.RunReport()
    assert models.RunReport.from_metrics({"val_accuracy": 0.6, "zero_shot_accuracy": 0.5}).gain == pytest.approx(10)
