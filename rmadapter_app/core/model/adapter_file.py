"""The adapter file: one small ``.safetensors`` with adapter tensors and JSON metadata.

Keys are independent of open_clip's module paths (``visual.layer4.down.weight``). The header
(``__metadata__``) records the format version, the backbone (name, pretrained tag, weights hash,
tower shapes), the resolved adapter config, class names and prompts in label order, the
training config and final metrics, and the app version. It is read without loading tensors.
No pickle is ever involved.
"""
from __future__ import annotations

import json
import math
import re
import struct
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from rmadapter_app import __version__
from rmadapter_app.core.config import (
    MAX_ADAPTER_HEADER_BYTES,
    MAX_ADAPTER_PARAMETERS,
    MAX_BOTTLENECK,
    MAX_CLASS_NAME_CHARS,
    MAX_CLASSES,
    MAX_EMBED_DIM,
    MAX_IMAGE_SIZE,
    MAX_PROMPT_CHARS,
    MAX_SHORT_TEXT_CHARS,
    MAX_TOWER_LAYERS,
    MAX_TOWER_WIDTH,
    AdapterConfig,
    parse_json,
)
from rmadapter_app.core.errors import AdapterFileError
from rmadapter_app.core.fileio import atomic_write
from rmadapter_app.core.model.adapter import AdapterSet
from rmadapter_app.core.model.backbone import BackboneInfo

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


# ------------------------------------------------------------------------------------ header schema
# Every field of the header is checked against this schema (limits: config.py) before anything is
# built from it; a file that breaks it gets one sentence naming the field.
TENSOR_DTYPES = {"F32": 4, "F16": 2, "BF16": 2}   # safetensors dtype -> bytes per element
_TEMPLATE_FIELDS = ("", "0")                       # "a photo of a {}." or "a photo of a {0}."


class _Bad(ValueError):
    """A header field breaks the schema; the message names it."""


def _show(value: Any, limit: int = 40) -> str:
    text = repr(value) if not isinstance(value, BaseException) else str(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _kind(value: Any) -> str:
    kinds = {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list",
             dict: "an object", type(None): "null"}
    return kinds.get(type(value), type(value).__name__)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _field(obj: dict, key: str, where: str) -> Any:
    if key not in obj:
        raise _Bad(f"{where} has no {key}")
    return obj[key]


def _int(obj: dict, key: str, where: str, lo: int, hi: int) -> int:
    value = _field(obj, key, where)
    if not _is_int(value):
        raise _Bad(f"{where}.{key} is {_kind(value)}, not a whole number")
    if not lo <= value <= hi:
        raise _Bad(f"{where}.{key} is {_show(value)}, outside {lo}..{hi}")
    return value


def _number(obj: dict, key: str, where: str, lo: float, hi: float) -> float:
    value = _field(obj, key, where)
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
        raise _Bad(f"{where}.{key} is {_kind(value)} {_show(value)}, not a finite number")
    if not lo <= value <= hi:
        raise _Bad(f"{where}.{key} is {_show(value)}, outside {lo}..{hi}")
    return value


def _text(value: Any, what: str, limit: int, *, printable: bool = False) -> str:
    if not isinstance(value, str):
        raise _Bad(f"{what} is {_kind(value)}, not text")
    if len(value) > limit:
        raise _Bad(f"{what} has {len(value):,} characters (at most {limit:,})")
    if printable and any(ord(c) < 32 for c in value):
        raise _Bad(f"{what} contains control characters")
    return value


def _json_object(meta: dict, key: str, default: str | None = None) -> dict:
    where = key.removeprefix("rmadapter.")
    text = meta.get(key, default)
    if not isinstance(text, str):
        raise _Bad(f"{where} is {_kind(text)}, not JSON text")
    try:
        value = parse_json(text)
    except ValueError as exc:
        raise _Bad(f"{where} is not readable JSON: {_show(exc, 80)}") from None
    if not isinstance(value, dict):
        raise _Bad(f"{where} is {_kind(value)}, not an object")
    return value


def _check_backbone_info(d: dict) -> BackboneInfo:
    w = "backbone"
    sha = _field(d, "weights_sha256", w)
    if sha is not None and not (isinstance(sha, str) and re.fullmatch(r"[0-9a-f]{64}", sha)):
        raise _Bad(f"backbone.weights_sha256 is {_show(sha)}, not a SHA-256 hex digest")
    pretrained = _field(d, "pretrained", w)
    return BackboneInfo(
        model_name=_text(_field(d, "model_name", w), "backbone.model_name", MAX_SHORT_TEXT_CHARS, printable=True),
        pretrained=None if pretrained is None else _text(pretrained, "backbone.pretrained",
                                                         MAX_SHORT_TEXT_CHARS, printable=True),
        weights_sha256=sha,
        vision_width=_int(d, "vision_width", w, 1, MAX_TOWER_WIDTH),
        vision_layers=_int(d, "vision_layers", w, 1, MAX_TOWER_LAYERS),
        text_width=_int(d, "text_width", w, 1, MAX_TOWER_WIDTH),
        text_layers=_int(d, "text_layers", w, 1, MAX_TOWER_LAYERS),
        embed_dim=_int(d, "embed_dim", w, 1, MAX_EMBED_DIM),
        image_size=_int(d, "image_size", w, 1, MAX_IMAGE_SIZE))


def _check_layers(d: dict, key: str, depth: int) -> None:
    layers = _field(d, key, "adapter_config")
    if not isinstance(layers, list) or not 1 <= len(layers) <= depth:
        size = f"{len(layers):,} entries" if isinstance(layers, list) else _kind(layers)
        raise _Bad(f"adapter_config.{key} is {size}; the tower has {depth} layers")
    if not all(_is_int(i) and 0 <= i < depth for i in layers) or layers != sorted(set(layers)):
        raise _Bad(f"adapter_config.{key} must list increasing layer numbers below {depth}, not {_show(layers)}")


def _check_adapter_config(d: dict, info: BackboneInfo) -> AdapterConfig:
    w = "adapter_config"
    widest = min(MAX_BOTTLENECK, max(info.vision_width, info.text_width))
    r = _int(d, "bottleneck", w, 1, widest)
    if d.get("recon_hidden") is not None:
        _int(d, "recon_hidden", w, 1, widest)
    if "alpha" in d:
        _number(d, "alpha", w, 1e-12, 10)
    if "start_fraction" in d:
        _number(d, "start_fraction", w, 0, 0.9999)
    _check_layers(d, "vision_layers", info.vision_layers)
    _check_layers(d, "text_layers", info.text_layers)
    if d.get("activation", "relu") not in ("relu", "gelu"):
        raise _Bad(f"adapter_config.activation is {_show(d['activation'])}, not 'relu' or 'gelu'")
    if not isinstance(d.get("grad_scale_trick", True), bool):
        raise _Bad("adapter_config.grad_scale_trick is not true/false")
    h = d.get("recon_hidden") or r
    per_layer = [2 * r * width + r + width + r * h + h + h * width + width
                 for width, n in ((info.vision_width, len(d["vision_layers"])), (info.text_width, len(d["text_layers"])))
                 for _ in range(n)]
    total = sum(per_layer) + min(len(d["vision_layers"]), len(d["text_layers"])) * (r * r + r)
    if total > MAX_ADAPTER_PARAMETERS:
        raise _Bad(f"the adapter would have {total:,} parameters (at most {MAX_ADAPTER_PARAMETERS:,})")
    try:
        return AdapterConfig.from_dict(d)
    except (ValueError, TypeError) as exc:
        raise _Bad(f"adapter_config is invalid: {_show(exc, 120)}") from None


def _check_classes(d: dict) -> tuple[list[str], list[str]]:
    names, prompts = _field(d, "names", "classes"), _field(d, "prompts", "classes")
    for what, items in (("class names", names), ("prompts", prompts)):
        if not isinstance(items, list):
            raise _Bad(f"the {what} are {_kind(items)}, not a list")
    if not 1 <= len(names) <= MAX_CLASSES:
        raise _Bad(f"the adapter lists {len(names):,} classes (1..{MAX_CLASSES:,} are supported)")
    if len(prompts) != len(names):
        raise _Bad(f"there are {len(names):,} class names but {len(prompts):,} prompts")
    for i, name in enumerate(names):
        if not _text(name, f"class name {i + 1}", MAX_CLASS_NAME_CHARS).strip():
            raise _Bad(f"class name {i + 1} is empty")
    for i, prompt in enumerate(prompts):
        _text(prompt, f"prompt {i + 1}", MAX_PROMPT_CHARS)
    return names, prompts


def _check_template(template: Any) -> None:
    from string import Formatter

    _text(template, "the prompt template", MAX_PROMPT_CHARS)
    try:
        fields = [f for f in Formatter().parse(template) if f[1] is not None]
    except ValueError:
        fields = None
    if fields is None or len(fields) != 1 or fields[0][1] not in _TEMPLATE_FIELDS or fields[0][2] or fields[0][3]:
        raise _Bad(f"the prompt template {_show(template)} must hold exactly one plain {{}} for the class name")


def _check_train(d: dict) -> dict:
    if "template" in d:
        _check_template(d["template"])
    metrics = d.get("metrics", {})
    if not isinstance(metrics, dict):
        raise _Bad(f"train.metrics is {_kind(metrics)}, not an object")
    for key in ("val_accuracy", "zero_shot_accuracy"):
        if metrics.get(key) is not None:
            _number(metrics, key, "train.metrics", 0, 1)
    if not isinstance(d.get("config", {}), dict):
        raise _Bad("train.config is not an object")
    if not isinstance(d.get("stopped_early", False), bool):
        raise _Bad("train.stopped_early is not true/false")
    return d


def check_header(meta: dict, version: int) -> AdapterHeader:
    """The header of a metadata dict that passes the schema; raises _Bad naming the first broken field."""
    info = _check_backbone_info(_json_object(meta, "rmadapter.backbone"))
    cfg = _check_adapter_config(_json_object(meta, "rmadapter.adapter_config"), info)
    names, prompts = _check_classes(_json_object(meta, "rmadapter.classes"))
    train = _check_train(_json_object(meta, "rmadapter.train", "{}"))
    extra = {key: _text(meta.get(f"rmadapter.{key}", ""), key, MAX_SHORT_TEXT_CHARS, printable=True)
             for key in ("app_version", "created")}
    return AdapterHeader(format_version=version, backbone=info, adapter_config=cfg, class_names=list(names),
                         prompts=list(prompts), train=train, **extra)


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


def _parse(path: Path, meta: Any) -> AdapterHeader:
    name = path.name
    if not isinstance(meta, dict) or not all(k in meta for k in _REQUIRED):
        raise AdapterFileError(f"{name} is a safetensors file but not an RMAdapter adapter (no adapter metadata).")
    raw_version = meta["rmadapter.format_version"]
    if not isinstance(raw_version, str) or not re.fullmatch(r"[0-9]{1,6}", raw_version):
        raise AdapterFileError(f"{name}: unreadable format version")
    version = int(raw_version)
    if version > FORMAT_VERSION:
        raise AdapterFileError(f"{name} was saved by a newer RMAdapter Studio (format {version}; this version "
                               f"reads up to {FORMAT_VERSION}). Update the app to open it.")
    try:
        return check_header(meta, version)
    except _Bad as exc:
        raise AdapterFileError(f"{name}: the adapter metadata is damaged ({exc}).") from None


def _read_raw_header(path: Path) -> tuple[dict[str, Any], int]:
    """The safetensors JSON header and the length of the data after it, reading only the header.

    The 8-byte length prefix is checked against the file's size and a limit before anything
    more is read, so a file claiming a header of gigabytes costs nothing.
    """
    name = path.name
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            prefix = fh.read(8)
            if len(prefix) < 8:
                raise AdapterFileError(f"{name} is not a readable adapter file (damaged or not safetensors).")
            length = struct.unpack("<Q", prefix)[0]
            if length > MAX_ADAPTER_HEADER_BYTES:
                raise AdapterFileError(
                    f"{name} is not a readable adapter file (damaged or not safetensors): its header claims "
                    f"{length:,} bytes, more than an adapter's header may have ({MAX_ADAPTER_HEADER_BYTES:,}).")
            if length > size - 8:
                raise AdapterFileError(f"{name} is not a readable adapter file (damaged or truncated): its header "
                                       f"claims {length:,} bytes but the file has only {size:,}.")
            raw = fh.read(length)
    except OSError as exc:
        raise AdapterFileError(f"{name} cannot be read: {exc.strerror or exc}.") from exc
    try:
        header = parse_json(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        header = None
    if not isinstance(header, dict):
        raise AdapterFileError(f"{name} is not a readable adapter file (damaged or not safetensors).")
    return header, size - 8 - length


def read_adapter_header(path: Path) -> AdapterHeader:
    """Read and check the header only (no tensors are loaded; :func:`load_adapter` checks those).

    Raises:
        AdapterFileError: missing, unreadable, damaged, foreign, too new, or beyond the limits in config.py.
    """
    path = Path(path)
    if not path.is_file():
        raise AdapterFileError(f"Adapter file not found: {path}")
    return _parse(path, _read_raw_header(path)[0].get("__metadata__"))


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


def expected_tensor_shapes(cfg: AdapterConfig, vision_width: int, text_width: int) -> dict[str, tuple[int, ...]]:
    """Name -> shape of every tensor an adapter file with this config holds (AdapterSet's inference keys)."""
    r = cfg.bottleneck
    shapes: dict[str, tuple[int, ...]] = {}
    for tower, layers, width in (("visual", cfg.vision_layers, vision_width), ("text", cfg.text_layers, text_width)):
        for i in layers or ():
            shapes.update({f"{tower}.layer{i}.down.weight": (r, width), f"{tower}.layer{i}.down.bias": (r,),
                           f"{tower}.layer{i}.up.weight": (width, r), f"{tower}.layer{i}.up.bias": (width,)})
    for j in range(min(len(cfg.vision_layers or ()), len(cfg.text_layers or ()))):
        shapes.update({f"shared.slot{j}.weight": (r, r), f"shared.slot{j}.bias": (r,)})
    return shapes


def _check_tensor_entries(name: str, header: dict[str, Any], data_len: int,
                          expected: dict[str, tuple[int, ...]]) -> None:
    """Compare the file's tensor table with what its metadata implies, before any tensor is read."""
    entries = {k: v for k, v in header.items() if k != "__metadata__"}
    missing = sorted(set(expected) - set(entries))
    unexpected = sorted(set(entries) - set(expected))
    wrong = []
    for key in sorted(set(expected) & set(entries)):
        entry = entries[key]
        shape = entry.get("shape") if isinstance(entry, dict) else None
        if not isinstance(shape, list) or tuple(shape) != expected[key]:
            wrong.append(f"wrong shape for {key}: {_show(shape)} instead of {expected[key]}")
            continue
        dtype, offsets = entry.get("dtype"), entry.get("data_offsets")
        if dtype not in TENSOR_DTYPES:
            wrong.append(f"{key} has dtype {_show(dtype)}, not one of {', '.join(TENSOR_DTYPES)}")
        elif (not isinstance(offsets, list) or len(offsets) != 2 or not all(_is_int(o) for o in offsets)
              or not 0 <= offsets[0] <= offsets[1] <= data_len
              or offsets[1] - offsets[0] != math.prod(shape) * TENSOR_DTYPES[dtype]):
            wrong.append(f"the data of {key} lies outside the file or has the wrong length")
    if missing or unexpected or wrong:
        parts = []
        if missing:
            parts.append(f"missing {len(missing)} tensors (e.g. {missing[0]})")
        if unexpected:
            parts.append(f"{len(unexpected)} unexpected tensors (e.g. {_show(unexpected[0])})")
        parts.extend(wrong[:1])
        raise AdapterFileError(f"{name} does not match its own config: " + "; ".join(parts))


def load_adapter(path: Path, backbone: BackboneInfo | None = None) -> tuple[AdapterHeader, AdapterSet]:
    """Load an adapter file into a fresh :class:`AdapterSet` after checking it completely.

    The header is checked against the limits in config.py and the tensor table against the
    header before any tensor is read or any module is built.

    Raises:
        AdapterFileError: damaged, foreign, too new, wrong backbone, or missing/unexpected/misshapen keys.
    """
    from safetensors.torch import load_file

    path = Path(path)
    if not path.is_file():
        raise AdapterFileError(f"Adapter file not found: {path}")
    raw, data_len = _read_raw_header(path)
    header = _parse(path, raw.get("__metadata__"))
    if backbone is not None:
        check_backbone(header, backbone, path.name)
    info = header.backbone
    _check_tensor_entries(path.name, raw, data_len,
                          expected_tensor_shapes(header.adapter_config, info.vision_width, info.text_width))
    try:
        tensors = load_file(str(path))
    except Exception as exc:
        raise AdapterFileError(f"{path.name}: tensor data is damaged ({_show(exc, 200)}).") from exc
    bad = [k for k, v in tensors.items() if not torch.isfinite(v).all()]
    if bad:
        raise AdapterFileError(f"{path.name}: tensor {bad[0]} contains NaN or infinite values.")
    try:
        adapters = AdapterSet(header.adapter_config, info.vision_width, info.text_width)
        adapters.load_state_dict(tensors, strict=False)
    except (ValueError, TypeError, RuntimeError) as exc:
        raise AdapterFileError(f"{path.name}: the adapter cannot be built ({_show(exc, 200)}).") from exc
    return header, adapters
