"""Backbone checkpoints: downloading open_clip's pretrained weights with progress, importing local files.

The download URL comes from open_clip's own pretrained registry (``get_pretrained_cfg``: a
Hugging Face hub repo or a direct URL). The file is streamed into the platformdirs cache with
:class:`DownloadEvent` progress and a cancel check per chunk, written to ``*.part`` and renamed
when complete, so an interrupted download never looks like a finished one. ``HF_ENDPOINT`` is
honoured like huggingface_hub does.

Reading a checkpoint (:func:`read_checkpoint`) uses safetensors or ``torch.load(weights_only=True)``
and nothing else, after checking the file's size against the model's; file hashes are cached in
the app's cache folder (:func:`file_sha256`), never beside the user's file.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import re
import socket
import urllib.error
import urllib.request
import warnings
from pathlib import Path
from typing import Any

from rmadapter_app.core import fileio, paths
from rmadapter_app.core.config import MAX_CHECKPOINT_FACTOR, MAX_SAFETENSORS_HEADER_BYTES
from rmadapter_app.core.errors import BackboneUnavailableError, CancelledError, RMAdapterError
from rmadapter_app.core.events import DownloadEvent, EventHook, StopHook, never_stop, no_event

logger = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 10.0
CHUNK = 1 << 20
HF_FILENAMES = ("open_clip_model.safetensors", "open_clip_pytorch_model.bin")


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)


def weights_folder(model_name: str, pretrained: str) -> Path:
    """Cache folder for one (model, tag) pair."""
    folder = paths.weights_dir() / _safe(model_name) / _safe(pretrained)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def cached_weights(model_name: str, pretrained: str) -> Path | None:
    """The checkpoint already on disk for (model, tag), downloaded or imported, if any."""
    folder = weights_folder(model_name, pretrained)
    for name in (*HF_FILENAMES, "imported.safetensors", "imported.bin"):
        candidate = folder / name
        if candidate.is_file() and candidate.stat().st_size > 0:
            return candidate
    return None


def candidate_urls(model_name: str, pretrained: str) -> list[tuple[str, str]]:
    """(url, filename) pairs to try, best first, from open_clip's pretrained registry.

    Raises:
        BackboneUnavailableError: open_clip knows no such (model, tag).
    """
    import open_clip

    cfg = open_clip.get_pretrained_cfg(model_name, pretrained)
    if not cfg:
        tags = open_clip.list_pretrained_tags_by_model(model_name)
        raise BackboneUnavailableError(
            f"open_clip has no pretrained weights '{pretrained}' for {model_name}"
            + (f"; available tags: {', '.join(tags)}" if tags else "")
            + ". Import a local weights file instead.")
    endpoint = os.environ.get("HF_ENDPOINT", "https://huggingface.co").rstrip("/")
    urls: list[tuple[str, str]] = []
    hub = cfg.get("hf_hub", "")
    if hub:
        repo, filename = os.path.split(hub.rstrip("/")) if not hub.endswith("/") else (hub.rstrip("/"), "")
        names = [filename] if filename else list(HF_FILENAMES)
        if filename.endswith((".bin", ".pth")):
            names.insert(0, filename[:-4] + ".safetensors")
        urls += [(f"{endpoint}/{repo}/resolve/main/{n}", n) for n in names]
    if cfg.get("url"):
        urls.append((cfg["url"], Path(cfg["url"]).name))
    return urls


def _stream(url: str, target: Path, on_event: EventHook, should_stop: StopHook) -> None:
    part = target.with_name(target.name + ".part")
    req = urllib.request.Request(url, headers={"User-Agent": "rmadapter-studio"})
    with urllib.request.urlopen(req, timeout=CONNECT_TIMEOUT_S) as resp:
        total = int(resp.headers.get("Content-Length") or 0)
        done = 0
        on_event(DownloadEvent(target.name, 0, total))
        try:
            with open(part, "wb") as out:
                while True:
                    if should_stop():
                        raise CancelledError(f"Download of {target.name} cancelled")
                    chunk = resp.read(CHUNK)
                    if not chunk:
                        break
                    out.write(chunk)
                    done += len(chunk)
                    on_event(DownloadEvent(target.name, done, total))
            if total and done != total:
                raise BackboneUnavailableError(
                    f"Download of {target.name} stopped at {done} of {total} bytes; try again.")
            os.replace(part, target)
        except BaseException:
            part.unlink(missing_ok=True)
            raise


def ensure_pretrained(model_name: str, pretrained: str, *, on_event: EventHook | None = None,
                      should_stop: StopHook | None = None) -> Path:
    """Return the local checkpoint for (model, tag), downloading it if needed.

    Raises:
        BackboneUnavailableError: offline or not found; the message names the file and how to import one.
        CancelledError: ``should_stop`` returned True during the download.
    """
    on_event = on_event or no_event
    should_stop = should_stop or never_stop
    found = cached_weights(model_name, pretrained)
    if found:
        return found
    folder = weights_folder(model_name, pretrained)
    errors: list[str] = []
    for url, filename in candidate_urls(model_name, pretrained):
        try:
            _stream(url, folder / filename, on_event, should_stop)
            logger.info("downloaded %s to %s", url, folder / filename)
            return folder / filename
        except urllib.error.HTTPError as exc:
            errors.append(f"{filename}: HTTP {exc.code}")
            if exc.code in (401, 403, 404):
                continue
            break
        except (urllib.error.URLError, socket.timeout, ConnectionError, TimeoutError) as exc:
            reason = getattr(exc, "reason", exc)
            errors.append(f"{filename}: {reason}")
            break  # the network is down; the other candidates would fail the same way
    raise BackboneUnavailableError(
        f"The {model_name} '{pretrained}' weights are not on this computer and could not be downloaded "
        f"({'; '.join(errors) or 'no source'}). Expected file: {folder / HF_FILENAMES[0]}. "
        f"Connect to the internet, or import a weights file you already have "
        f"(rmadapter import-weights FILE --model {model_name} --pretrained {pretrained}, "
        "or 'Import weights file...' in the app).")


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, cached in the app's cache folder by absolute path, size and mtime.

    Checkpoints are large, so the hash is computed once per version of a file; nothing is ever
    written next to the user's file.
    """
    path = Path(path).absolute()
    st = path.stat()
    key = {"path": str(path), "size": st.st_size, "mtime_ns": st.st_mtime_ns}
    entry = paths.cache_dir() / "hashes" / (hashlib.sha256(str(path).encode("utf-8", "surrogatepass"))
                                            .hexdigest()[:32] + ".json")
    try:
        if entry.stat().st_size < 4096:
            cached = json.loads(entry.read_text(encoding="utf-8"))
            if {k: cached.get(k) for k in key} == key and re.fullmatch(r"[0-9a-f]{64}", cached["sha256"]):
                return cached["sha256"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    digest = fileio.sha256_of_file(path)
    try:
        fileio.atomic_write_json(entry, {**key, "sha256": digest})
    except RMAdapterError:
        pass  # an unwritable cache just means hashing again next time
    return digest


def _gb(n: float) -> str:
    return f"{n / 1e9:.1f} GB" if n >= 1e8 else f"{n / 1e6:.1f} MB"


def _looks_like_safetensors(path: Path, size: int) -> tuple[bool, int]:
    """(is it safetensors, header length) from the first 9 bytes."""
    with open(path, "rb") as fh:
        head = fh.read(9)
    if len(head) < 9:
        return path.suffix == ".safetensors", 0
    length = int.from_bytes(head[:8], "little")
    return path.suffix == ".safetensors" or (length <= size - 8 and head[8:9] == b"{"), length


def read_checkpoint(path: Path, model_name: str, parameters: int | None = None) -> dict[str, Any]:
    """A checkpoint's state dict, read with safetensors or ``torch.load(weights_only=True)`` only.

    ``parameters`` (the model's estimated parameter count) bounds the file's size: a file far
    larger than the model's fp32 weights is refused before a byte of it is read.

    Raises:
        BackboneUnavailableError: missing, empty, far too large, damaged, truncated, or holding
            Python objects other than tensors; one sentence that names the file.
    """
    import torch

    path = Path(path)
    name = path.name
    if not path.is_file():
        raise BackboneUnavailableError(f"Weights file not found: {path}")
    size = path.stat().st_size
    if size == 0:
        raise BackboneUnavailableError(f"{name} is empty; choose an open_clip checkpoint file.")
    if parameters and size > parameters * 4 * MAX_CHECKPOINT_FACTOR + (64 << 20):
        raise BackboneUnavailableError(
            f"{name} is {_gb(size)}, much larger than a '{model_name}' checkpoint (about {_gb(parameters * 4)}); "
            "it is not a checkpoint for this model.")
    if path.suffix in (".npz", ".npy"):
        raise BackboneUnavailableError(f"{name} is a NumPy file; only safetensors and PyTorch checkpoints "
                                       "(.safetensors, .bin, .pt, .pth) can be read.")
    damaged = f"{name} is damaged or truncated (it is not a complete checkpoint file)."
    not_tensors = (f"{name} does not fit '{model_name}' or is damaged: it is not a plain file of tensors "
                   "(files that hold other Python objects are never loaded, for safety).")
    try:
        is_safetensors, header = _looks_like_safetensors(path, size)
        if is_safetensors:
            if header > min(MAX_SAFETENSORS_HEADER_BYTES, size - 8):
                raise BackboneUnavailableError(damaged)
            from safetensors.torch import load_file
            checkpoint = load_file(str(path), device="cpu")
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # torch's pickle-protocol chatter
                checkpoint = torch.load(str(path), map_location="cpu", weights_only=True)
    except BackboneUnavailableError:
        raise
    except pickle.UnpicklingError as exc:  # never retried without weights_only
        if "weights_only" in str(exc) or "global" in str(exc).lower():
            raise BackboneUnavailableError(not_tensors) from exc
        raise BackboneUnavailableError(damaged) from exc
    except Exception as exc:  # safetensors, zip and pickle readers raise many types for damage
        if "TorchScript" in str(exc):   # a TorchScript archive can run code: refused like a pickle
            raise BackboneUnavailableError(not_tensors) from exc
        raise BackboneUnavailableError(damaged) from exc
    if isinstance(checkpoint, dict) and isinstance(checkpoint.get("state_dict"), dict):
        checkpoint = checkpoint["state_dict"]
    if not isinstance(checkpoint, dict) or not checkpoint or not all(
            isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in checkpoint.items()):
        raise BackboneUnavailableError(not_tensors)
    if next(iter(checkpoint)).startswith("module."):
        checkpoint = {k.removeprefix("module."): v for k, v in checkpoint.items()}
    return checkpoint
