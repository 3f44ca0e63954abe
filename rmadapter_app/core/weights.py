"""Backbone checkpoints: downloading open_clip's pretrained weights with progress, importing local files.

The download URL comes from open_clip's own pretrained registry (``get_pretrained_cfg``: a
Hugging Face hub repo or a direct URL). The file is streamed into the platformdirs cache with
:class:`DownloadEvent` progress and a cancel check per chunk, written to ``*.part`` and renamed
when complete, so an interrupted download never looks like a finished one. ``HF_ENDPOINT`` is
honoured like huggingface_hub does.
"""
from __future__ import annotations

import logging
import os
import shutil
import socket
import urllib.error
import urllib.request
from pathlib import Path

from . import paths
from .errors import BackboneUnavailableError, CancelledError, RMAdapterError
from .events import DownloadEvent, EventHook, StopHook, never_stop, no_event

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


def import_weights(source: Path, model_name: str, pretrained: str = "imported") -> Path:
    """Copy a local checkpoint into the cache under (model, tag) after checking it loads.

    Returns the cached path. The source file is not modified.

    Raises:
        BackboneUnavailableError: the file does not load into ``model_name``.
    """
    from .backbone import load_backbone

    source = Path(source)
    load_backbone(model_name, weights=source)  # validates: raises a clear error when it does not fit
    suffix = ".safetensors" if source.suffix == ".safetensors" else ".bin"
    target = weights_folder(model_name, pretrained) / ("imported" + suffix)
    tmp = target.with_name(target.name + ".part")
    try:
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise RMAdapterError(f"Could not copy {source.name} into {target.parent}: {exc}") from exc
    return target
