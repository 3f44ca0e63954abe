"""The project's models: every training run kept in ``adapters/`` with its evaluation, and the one in use.

Layout, inside the project folder::

    adapters/<stem>.rmadapter.safetensors   the adapter (its header: backbone, classes, the run's numbers)
    adapters/<stem>.eval.json               its evaluation: the numbers and the validation predictions
                                            (image paths relative to the project folder)
    project.json  settings.model_in_use     the file name of the adapter in use

A run is kept whether it finished or was stopped; the list is the adapters folder itself, so an
adapter copied in by hand shows up too (its numbers then come from its header alone). The model in
use is remembered by file name; when that is missing (an older project, a deleted file) the newest
complete run is in use.

Everything read here comes from files that may be damaged or foreign: the evaluation file is
size-limited and type-checked, every path in it must stay inside the project folder
(:func:`rmadapter_app.core.safepath.confined`), and an adapter whose header cannot be read is listed
with the reason instead of stopping the list. Nothing here imports torch: the list is read when a
project opens, on the GUI thread; a model is checked fully when it is used.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rmadapter_app.core.config import MAX_ADAPTER_HEADER_BYTES, parse_json
from rmadapter_app.core.errors import ProjectError, RMAdapterError
from rmadapter_app.core.fileio import atomic_write, atomic_write_json, free_path
from rmadapter_app.core.project.files import is_safe_folder_name
from rmadapter_app.core.project.manifest import ADAPTERS
from rmadapter_app.core.project.run_report import RunReport, is_complete, number, text

__all__ = ["ADAPTER_SUFFIX", "EVAL_SUFFIX", "IN_USE", "ModelEntry", "ModelRun", "RunReport", "SavedPrediction",
           "evaluation_path", "import_adapter", "in_project", "is_complete", "list_models", "model_in_use",
           "read_run", "remember_in_use", "write_evaluation"]
from rmadapter_app.core.safepath import UnsafePathError, check_inside, confined, real_folder

logger = logging.getLogger(__name__)

ADAPTER_SUFFIX = ".rmadapter.safetensors"     # core.model.adapter_file.SUFFIX (no torch import here)
EVAL_SUFFIX = ".eval.json"
EVAL_FORMAT = "rmadapter-evaluation"
EVAL_VERSION = 1
IN_USE = "model_in_use"                       # the project setting naming the adapter in use
MAX_EVAL_BYTES = 64 << 20                     # 10,000 validation images take about 1.5 MB


@dataclass(frozen=True)
class SavedPrediction:
    """How the adapter saw one validation image (``core.train.evaluate.ValPrediction``, read back)."""

    path: str
    label: int
    pred: int
    top: list[tuple[int, float]]

    @property
    def correct(self) -> bool:
        return self.pred == self.label


@dataclass(frozen=True)
class ModelRun:
    """Everything the Results page shows about one model: its numbers, classes and validation images."""

    report: RunReport
    class_names: list[str]
    val_predictions: list = field(default_factory=list)    # ValPrediction or SavedPrediction
    stopped_early: bool = False
    path: Path | None = None                                 # the adapter file (None: not saved)
    created: str = ""
    backbone: str = ""
    predictions_kept: bool = True      # False: the adapter came without its evaluation file
    problem: str = ""                  # why the adapter cannot be read ("" when it can)

    @classmethod
    def from_result(cls, result: Any, path: Path | None = None, backbone: str = "") -> ModelRun:
        """The run a training result describes (read by attribute: a partial result object works too)."""
        return cls(report=RunReport.from_metrics(getattr(result, "metrics", {})),
                   class_names=list(getattr(result, "class_names", [])),
                   val_predictions=list(getattr(result, "val_predictions", [])),
                   stopped_early=bool(getattr(result, "stopped_early", False)), path=path,
                   created=time.strftime("%Y-%m-%dT%H:%M:%S"), backbone=backbone)


@dataclass(frozen=True)
class ModelEntry:
    """One row of the Models list."""

    path: Path
    created: str
    backbone: str
    report: RunReport
    class_names: list[str]
    stopped_early: bool
    problem: str = ""                  # the adapter cannot be read: why

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def usable(self) -> bool:
        return not self.problem

    @property
    def complete(self) -> bool:
        return is_complete(self.stopped_early, self.report)


# ------------------------------------------------------------------------------------ file names
def adapters_folder(project_folder: Path) -> Path:
    """``<project>/adapters`` (not created); ProjectError when it is a link or a file."""
    folder = Path(os.path.abspath(project_folder))
    path = folder / ADAPTERS
    if os.path.lexists(path) and not real_folder(path):
        raise ProjectError(f"{path} is a symbolic link or a file, not a folder; RMAdapter Studio does not "
                           "read or write models through it.")
    return path


def evaluation_path(adapter: Path) -> Path:
    """Where the evaluation of ``adapter`` is kept: ``<stem>.eval.json`` beside it."""
    adapter = Path(adapter)
    name = adapter.name
    stem = name[:-len(ADAPTER_SUFFIX)] if name.endswith(ADAPTER_SUFFIX) else name
    return adapter.with_name(stem + EVAL_SUFFIX)


def in_project(project_folder: Path, path: Path | None) -> bool:
    """True when ``path`` is a file directly in the project's adapters folder (no link on the way)."""
    if path is None:
        return False
    try:
        folder = adapters_folder(project_folder)
        full = Path(os.path.abspath(path))
        return full.parent == folder and check_inside(folder.parent, full) == full
    except (ProjectError, UnsafePathError):
        return False


def _regular_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


# ------------------------------------------------------------------------------------ reading
def _read_small(path: Path, limit: int) -> bytes:
    """A regular file's bytes, refused when larger than ``limit`` (never through a link)."""
    if not _regular_file(path):
        raise ValueError("not a regular file")
    with open(path, "rb") as fh:
        if os.fstat(fh.fileno()).st_size > limit:
            raise ValueError(f"larger than {limit:,} bytes")
        return fh.read(limit + 1)


def _header_metadata(path: Path) -> dict[str, Any]:
    """The ``__metadata__`` of a safetensors file, reading only its header (for the list, unchecked)."""
    with open(path, "rb") as fh:
        prefix = fh.read(8)
        if len(prefix) < 8:
            raise ValueError("too short to be an adapter file")
        length = int.from_bytes(prefix, "little")
        if length > MAX_ADAPTER_HEADER_BYTES or length > os.fstat(fh.fileno()).st_size - 8:
            raise ValueError("damaged or not an adapter file")
        header = parse_json(fh.read(length).decode("utf-8"))
    meta = header.get("__metadata__") if isinstance(header, dict) else None
    if not isinstance(meta, dict) or "rmadapter.backbone" not in meta:
        raise ValueError("not an RMAdapter adapter (no adapter metadata)")
    return meta


def _json_field(meta: dict, key: str) -> dict:
    try:
        value = parse_json(meta.get(key) or "{}")
    except (ValueError, TypeError):
        return {}
    return value if isinstance(value, dict) else {}


def backbone_label(info: dict) -> str:
    """``ViT-B-32 (openai)`` from a backbone record (as ``BackboneInfo.label`` writes it)."""
    name = text(info.get("model_name"), 200) or "?"
    tag = text(info.get("pretrained"), 200)
    sha = text(info.get("weights_sha256"), 64)
    return f"{name} ({tag or (f'weights {sha[:8]}' if sha else 'random')})"


def _from_header(path: Path) -> ModelRun:
    meta = _header_metadata(path)
    train = _json_field(meta, "rmadapter.train")
    classes = _json_field(meta, "rmadapter.classes").get("names")
    return ModelRun(report=RunReport.from_metrics(train.get("metrics")),
                    class_names=[str(c) for c in classes] if isinstance(classes, list) else [],
                    stopped_early=train.get("stopped_early") is True, path=path,
                    created=text(meta.get("rmadapter.created"), 60),
                    backbone=backbone_label(_json_field(meta, "rmadapter.backbone")), predictions_kept=False)


def _predictions(project_folder: Path, raw: Any, n_classes: int) -> list[SavedPrediction]:
    out = []
    for p in raw if isinstance(raw, list) else []:
        if not isinstance(p, dict):
            continue
        label, pred, top = p.get("label"), p.get("pred"), p.get("top")
        if not all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v < n_classes for v in (label, pred)):
            continue
        try:
            image = confined(project_folder, p.get("path") or "")
        except (UnsafePathError, TypeError):
            continue                             # a path that would leave the project is not shown
        pairs = []
        for item in top if isinstance(top, list) else []:
            if (isinstance(item, list) and len(item) == 2 and isinstance(item[0], int)
                    and 0 <= item[0] < n_classes and number(item[1], 0, 1) is not None):
                pairs.append((item[0], float(item[1])))
        out.append(SavedPrediction(str(image), label, pred, pairs))
    return out


def read_run(project_folder: Path, adapter: Path) -> ModelRun:
    """The evaluation of one adapter: its evaluation file when there is a good one, else its header.

    Never raises for a damaged file: the run then carries the reason in ``problem``.
    """
    project_folder = Path(os.path.abspath(project_folder))
    adapter = Path(adapter)
    try:
        base = _from_header(adapter)
    except (OSError, ValueError, UnicodeDecodeError, RecursionError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return ModelRun(RunReport(), [], path=adapter, predictions_kept=False,
                        problem=f"{adapter.name} cannot be read ({why[:200]}).")
    sidecar = evaluation_path(adapter)
    if not os.path.lexists(sidecar):
        return base
    try:
        data = parse_json(_read_small(sidecar, MAX_EVAL_BYTES).decode("utf-8"))
        if not isinstance(data, dict) or data.get("format") != EVAL_FORMAT:
            raise ValueError("not an evaluation file")
        if not isinstance(data.get("version"), int) or data["version"] > EVAL_VERSION:
            raise ValueError("written by a newer version")
    except (OSError, ValueError, UnicodeDecodeError, RecursionError) as exc:
        logger.warning("ignoring the evaluation file %s: %s", sidecar, exc)
        return base
    names = data.get("class_names")
    names = [str(n) for n in names] if isinstance(names, list) else base.class_names
    metrics = data.get("metrics")
    return ModelRun(report=RunReport.from_metrics(metrics) if isinstance(metrics, dict) else base.report,
                    class_names=names,
                    val_predictions=_predictions(project_folder, data.get("val_predictions"), len(names)),
                    stopped_early=bool(data.get("stopped_early", base.stopped_early)), path=adapter,
                    created=text(data.get("created"), 60) or base.created,
                    backbone=text(data.get("backbone"), 300) or base.backbone, predictions_kept=True)


def list_models(project_folder: Path) -> list[ModelEntry]:
    """Every adapter in the project's adapters folder, newest first (a damaged one with its reason)."""
    folder = adapters_folder(project_folder)
    if not os.path.lexists(folder):
        return []
    try:
        names = [n for n in os.listdir(folder) if n.endswith(ADAPTER_SUFFIX) and not n.startswith(".")]
    except OSError as exc:
        raise ProjectError(f"{folder} cannot be read: {exc.strerror or exc}.") from exc
    keyed = []
    for name in names:
        path = folder / name
        if not _regular_file(path):
            continue                                      # links and folders are never listed
        run = read_run(project_folder, path)
        mtime = os.lstat(path).st_mtime_ns
        created = run.created or time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(mtime / 1e9))
        keyed.append(((created[:19], mtime, name), ModelEntry(path, created, run.backbone, run.report,
                                                              run.class_names, run.stopped_early, run.problem)))
    keyed.sort(key=lambda k: k[0], reverse=True)          # newest first; within a second, the later write
    return [e for _, e in keyed]


# ------------------------------------------------------------------------------------ writing
def _relative(project_folder: Path, path: str) -> str | None:
    try:
        rel = Path(os.path.abspath(path)).relative_to(project_folder)
    except ValueError:
        return None
    return rel.as_posix()


def write_evaluation(project_folder: Path, adapter: Path, *, metrics: dict[str, Any], class_names: list[str],
                     val_predictions: list, stopped_early: bool, backbone: str) -> Path:
    """Keep a run's evaluation beside its adapter (atomically); returns the evaluation file.

    Image paths are written relative to the project folder; images outside it are left out.

    Raises:
        ProjectError: the adapter is not in the project's adapters folder (or that is a link).
        RMAdapterError: the disk refused the write.
    """
    project_folder = Path(os.path.abspath(project_folder))
    if not in_project(project_folder, adapter):
        raise ProjectError(f"{adapter} is not in the project's {ADAPTERS} folder.")
    predictions = []
    for p in val_predictions:
        rel = _relative(project_folder, str(p.path))
        if rel is not None:
            predictions.append({"path": rel, "label": int(p.label), "pred": int(p.pred),
                                "top": [[int(c), float(v)] for c, v in p.top]})
    target = evaluation_path(adapter)
    atomic_write_json(target, {
        "format": EVAL_FORMAT, "version": EVAL_VERSION, "adapter": Path(adapter).name,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S"), "backbone": backbone,
        "class_names": list(class_names), "stopped_early": bool(stopped_early),
        "metrics": json.loads(json.dumps(metrics, default=str)), "val_predictions": predictions})
    return target


def import_adapter(project_folder: Path, source: Path) -> Path:
    """Copy an adapter file from elsewhere into the project's adapters folder (under a free name).

    A file already in the adapters folder is returned as it is; an evaluation file beside the source
    (``<stem>.eval.json``) comes along. The source is never changed.

    Raises:
        ProjectError: the adapters folder is a link or cannot be created.
        RMAdapterError: the copy failed (disk full, unreadable source).
    """
    project_folder = Path(os.path.abspath(project_folder))
    source = Path(source)
    if in_project(project_folder, source):
        return Path(os.path.abspath(source))
    folder = adapters_folder(project_folder)
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise ProjectError(f"Could not create {folder}: {exc.strerror or exc}") from exc
    name = source.name if source.name.endswith(ADAPTER_SUFFIX) else Path(source.name).stem + ADAPTER_SUFFIX
    target = free_path(folder / name, suffix=ADAPTER_SUFFIX)
    atomic_write(target, lambda tmp: shutil.copyfile(source, tmp))
    evaluation = evaluation_path(source)
    if _regular_file(evaluation) and evaluation.stat().st_size <= MAX_EVAL_BYTES \
            and not os.path.lexists(evaluation_path(target)):
        atomic_write(evaluation_path(target), lambda tmp: shutil.copyfile(evaluation, tmp))
    return target


# ------------------------------------------------------------------------------------ the one in use
def model_in_use(project: Any) -> Path | None:
    """The adapter in use: the one the project names, else the newest complete run, else the newest.

    Damaged adapters are never chosen by default; a name that is not a plain file name in the
    adapters folder is ignored.
    """
    folder = Path(project.folder)
    try:
        entries = list_models(folder)
    except ProjectError as exc:
        logger.warning("%s", exc)
        return None
    chosen = (getattr(project, "settings", {}) or {}).get(IN_USE)
    if isinstance(chosen, str) and is_safe_folder_name(chosen) and chosen.endswith(ADAPTER_SUFFIX):
        for e in entries:
            if e.name == chosen and e.usable:
                return e.path
    usable = [e for e in entries if e.usable]
    complete = [e for e in usable if e.complete]
    best = complete or usable
    return best[0].path if best else None


def remember_in_use(project: Any, adapter: Path | None) -> bool:
    """Record ``adapter`` (a file in the project's adapters folder) as the model in use.

    Returns False, changing nothing, when the project is busy with an edit (try again later); an
    adapter outside the project is not recorded (True: nothing to do).
    """
    if adapter is not None and not in_project(project.folder, adapter):
        return True
    name = Path(adapter).name if adapter is not None else None
    if (getattr(project, "settings", {}) or {}).get(IN_USE) == name:
        return True
    try:
        return project.try_update_settings(**{IN_USE: name})
    except RMAdapterError as exc:             # a read-only project folder: in use for this session only
        logger.warning("could not record the model in use: %s", exc)
        return True
