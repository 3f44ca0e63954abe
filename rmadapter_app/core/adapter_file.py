"""The adapter file: one small ``.safetensors`` with adapter tensors and JSON metadata.

Keys are independent of open_clip's module paths (``visual.layer4.down.weight``). The header
(``__metadata__``) records the format version, the backbone (name, pretrained tag, weights hash,
tower shapes), the resolved adapter config, class names and prompts in label order, the
training config and final metrics, and the app version. It is read without loading tensors.
No pickle is ever involved.
"""
from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from .. import __version__
from .adapter import AdapterSet
from .backbone import BackboneInfo
from .config import AdapterConfig
from .errors import AdapterFileError
from .fileio import atomic_write

FORMAT_VERSION = 1
SUFFIX = ".rmadapter.safetensors"
_REQUIRED = ("rmadapter.format_version", "rmadapter.backbone", "rmadapter.adapter_config", "rmadapter.classes")


@dataclass(frozen=True)
class AdapterHeader:
    """Everything in an adapter file except its tensors."""

    format_version: int
    backbone: BackboneInfo
    adapter_config: AdapterConfig
    class_names: list[str]
    prompts: list[str]
    train: dict[str, Any] = field(default_factory=dict)      # {"config": ..., "metrics": ...}
    app_version: str = ""
    created: str = ""

    @property
    def metrics(self) -> dict[str, Any]:
        return self.train.get("metrics", {})


def save_adapter(path: Path, *, state: dict[str, torch.Tensor], adapter_config: AdapterConfig,
                 backbone: BackboneInfo, class_names: Sequence[str], prompts: Sequence[str],
                 train: dict[str, Any] | None = None) -> Path:
    """Write an adapter file atomically; returns the path written.

    Raises:
        RMAdapterError: the folder is not writable or the disk is full (any old file is untouched).
    """
    from safetensors.torch import save_file

    if len(class_names) != len(prompts):
        raise ValueError("class_names and prompts must have the same length")
    meta = {
        "format": "pt",
        "rmadapter.format_version": str(FORMAT_VERSION),
        "rmadapter.backbone": json.dumps(backbone.to_dict(), sort_keys=True),
        "rmadapter.adapter_config": json.dumps(adapter_config.to_dict(), sort_keys=True),
        "rmadapter.classes": json.dumps({"names": list(class_names), "prompts": list(prompts)}),
        "rmadapter.train": json.dumps(train or {}, sort_keys=True, default=str),
        "rmadapter.app_version": __version__,
        "rmadapter.created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    tensors = {k: v.detach().cpu().contiguous() for k, v in state.items()}
    atomic_write(Path(path), lambda tmp: save_file(tensors, str(tmp), metadata=meta))
    return Path(path)


def _parse(path: Path, meta: dict[str, str] | None) -> AdapterHeader:
    name = path.name
    if not meta or not all(k in meta for k in _REQUIRED):
        raise AdapterFileError(f"{name} is a safetensors file but not an RMAdapter adapter (no adapter metadata).")
    try:
        version = int(meta["rmadapter.format_version"])
    except ValueError as exc:
        raise AdapterFileError(f"{name}: unreadable format version") from exc
    if version > FORMAT_VERSION:
        raise AdapterFileError(f"{name} was saved by a newer RMAdapter Studio (format {version}; this version "
                               f"reads up to {FORMAT_VERSION}). Update the app to open it.")
    try:
        classes = json.loads(meta["rmadapter.classes"])
        return AdapterHeader(
            format_version=version,
            backbone=BackboneInfo.from_dict(json.loads(meta["rmadapter.backbone"])),
            adapter_config=AdapterConfig.from_dict(json.loads(meta["rmadapter.adapter_config"])),
            class_names=list(classes["names"]), prompts=list(classes["prompts"]),
            train=json.loads(meta.get("rmadapter.train", "{}")),
            app_version=meta.get("rmadapter.app_version", ""), created=meta.get("rmadapter.created", ""))
    except (ValueError, KeyError, TypeError) as exc:
        raise AdapterFileError(f"{name}: the adapter metadata is damaged ({exc}).") from exc


def read_adapter_header(path: Path) -> AdapterHeader:
    """Read the header only (no tensors are loaded).

    Raises:
        AdapterFileError: missing, unreadable, damaged, foreign or too new.
    """
    from safetensors import safe_open

    path = Path(path)
    if not path.is_file():
        raise AdapterFileError(f"Adapter file not found: {path}")
    try:
        with safe_open(str(path), framework="pt") as fh:
            meta = fh.metadata()
    except Exception as exc:  # safetensors raises its own error types for garbage
        raise AdapterFileError(f"{path.name} is not a readable adapter file (damaged or not safetensors).") from exc
    return _parse(path, meta)


def check_backbone(header: AdapterHeader, backbone: BackboneInfo, name: str = "adapter") -> None:
    """Raise AdapterFileError naming every mismatch between the file's backbone and ``backbone``."""
    want, have = header.backbone, backbone
    problems = []
    for attr in ("model_name", "vision_width", "vision_layers", "text_width", "text_layers", "embed_dim"):
        if getattr(want, attr) != getattr(have, attr):
            problems.append(f"{attr}: file has {getattr(want, attr)}, backbone has {getattr(have, attr)}")
    if want.weights_sha256 and have.weights_sha256 and want.weights_sha256 != have.weights_sha256:
        problems.append(f"weights: file was trained on {want.label} (sha256 {want.weights_sha256[:12]}), "
                        f"backbone is {have.label} (sha256 {have.weights_sha256[:12]})")
    if problems:
        raise AdapterFileError(f"{name} does not fit this backbone: " + "; ".join(problems))


def load_adapter(path: Path, backbone: BackboneInfo | None = None) -> tuple[AdapterHeader, AdapterSet]:
    """Load an adapter file into a fresh :class:`AdapterSet` after checking it completely.

    Raises:
        AdapterFileError: damaged, foreign, too new, wrong backbone, or missing/unexpected/misshapen keys.
    """
    from safetensors.torch import load_file

    path = Path(path)
    header = read_adapter_header(path)
    if backbone is not None:
        check_backbone(header, backbone, path.name)
    info = header.backbone
    try:
        adapters = AdapterSet(header.adapter_config, info.vision_width, info.text_width)
    except (ValueError, TypeError) as exc:
        raise AdapterFileError(f"{path.name}: adapter config is invalid ({exc})") from exc
    try:
        tensors = load_file(str(path))
    except Exception as exc:
        raise AdapterFileError(f"{path.name}: tensor data is damaged ({exc}).") from exc
    expected = adapters.inference_state_dict()
    missing = sorted(set(expected) - set(tensors))
    unexpected = sorted(set(tensors) - set(expected))
    wrong = sorted(k for k in set(expected) & set(tensors) if tuple(expected[k].shape) != tuple(tensors[k].shape))
    if missing or unexpected or wrong:
        parts = []
        if missing:
            parts.append(f"missing {len(missing)} tensors (e.g. {missing[0]})")
        if unexpected:
            parts.append(f"{len(unexpected)} unexpected tensors (e.g. {unexpected[0]})")
        if wrong:
            parts.append(f"wrong shape for {wrong[0]}: {tuple(tensors[wrong[0]].shape)} "
                         f"instead of {tuple(expected[wrong[0]].shape)}")
        raise AdapterFileError(f"{path.name} does not match its own config: " + "; ".join(parts))
    bad = [k for k, v in tensors.items() if not torch.isfinite(v).all()]
    if bad:
        raise AdapterFileError(f"{path.name}: tensor {bad[0]} contains NaN or infinite values.")
    adapters.load_state_dict(tensors, strict=False)
    return header, adapters
