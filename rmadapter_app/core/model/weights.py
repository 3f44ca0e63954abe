"""Backbone checkpoints: open_clip's pretrained weights from the Hugging Face hub, and imported files.

Where a checkpoint comes from, in the order :func:`cached_weights` looks (never over the network):

1. a file the user imported (``import-weights``; the only kind the app's own weights folder,
   :func:`weights_folder`, receives now), or one an earlier version downloaded there;
2. the shared Hugging Face hub cache (``HF_HUB_CACHE``, else ``HF_HOME/hub``, else
   ``~/.cache/huggingface/hub``), where other tools put the same files: a ViT-B/16 already there
   is not downloaded again.

:func:`ensure_pretrained` downloads what is missing with ``huggingface_hub.hf_hub_download`` (tokens,
proxies, ``HF_ENDPOINT`` and its cache layout as every hub tool has them). The hub repo and file come
from open_clip's own pretrained registry (``get_pretrained_cfg(...)["hf_hub"]``), the safetensors
file first. Progress reaches ``on_event`` as :class:`DownloadEvent` through a tqdm-compatible class;
``should_stop`` is polled per chunk and a stop raises there, which makes huggingface_hub delete its
temporary file: a cancelled download leaves nothing in the cache. Offline (``HF_HUB_OFFLINE=1``, or
no connection) gives one plain sentence saying how to get the weights.

Reading a checkpoint (:func:`read_checkpoint`) uses safetensors or ``torch.load(weights_only=True)``
and nothing else, after checking the file's size against the model's; file hashes are cached in
the app's cache folder (:func:`file_sha256`), never beside the user's file.
"""
from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import pickle
import re
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rmadapter_app.core import fileio, paths
from rmadapter_app.core.config import MAX_CHECKPOINT_FACTOR, MAX_SAFETENSORS_HEADER_BYTES
from rmadapter_app.core.errors import BackboneUnavailableError, CancelledError, RMAdapterError
from rmadapter_app.core.events import DownloadEvent, EventHook, StopHook, never_stop, no_event

logger = logging.getLogger(__name__)

CHUNK = 1 << 20                      # bytes per progress report / stop check while downloading
HF_FILENAMES = ("open_clip_model.safetensors", "open_clip_pytorch_model.bin")   # open_clip's names on the hub
IMPORTED_NAMES = ("imported.safetensors", "imported.bin")
# a failed download with one of these is the disk's fault (full, read-only, no permission), not the network's
DISK_ERRNOS = {getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EACCES", "EPERM", "EROFS", "ENAMETOOLONG")
               if hasattr(errno, name)}


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)


def _app_folder(model_name: str, pretrained: str) -> Path:
    return paths.weights_dir() / _safe(model_name) / _safe(pretrained)


def weights_folder(model_name: str, pretrained: str) -> Path:
    """The app's folder for one (model, tag) pair, created: where imported checkpoints are filed."""
    folder = _app_folder(model_name, pretrained)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# ------------------------------------------------------------------------------- the hub's side
@dataclass(frozen=True)
class HubFile:
    """One file of a Hugging Face hub model repository."""

    repo_id: str
    filename: str

    def __str__(self) -> str:
        return f"{self.repo_id}/{self.filename}"


def _truthy(value: str | None) -> bool:
    return (value or "").strip().upper() in {"1", "ON", "YES", "TRUE"}


def hub_offline() -> bool:
    """True when hub traffic is switched off (``HF_HUB_OFFLINE``, read now or when huggingface_hub loaded)."""
    from huggingface_hub import constants

    return _truthy(os.environ.get("HF_HUB_OFFLINE")) or bool(constants.HF_HUB_OFFLINE)


def hub_cache_dir() -> Path:
    """The shared hub cache, resolved from the environment now (huggingface_hub reads it once, on import)."""
    from huggingface_hub import constants

    env = os.environ
    for key in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"):
        if env.get(key):
            return Path(env[key]).expanduser()
    if env.get("HF_HOME"):
        return Path(env["HF_HOME"]).expanduser() / "hub"
    return Path(constants.HF_HUB_CACHE)


def _registry_hub_entry(model_name: str, pretrained: str) -> str | None:
    """open_clip's ``hf_hub`` entry for (model, tag); None when open_clip knows no such pair."""
    import open_clip

    cfg = open_clip.get_pretrained_cfg(model_name, pretrained)
    return (cfg.get("hf_hub") or "") if cfg else None


def _files_of(entry: str) -> list[HubFile]:
    """``org/repo/`` (open_clip's default file names) or ``org/repo/file.bin`` -> files to try, safetensors first."""
    entry = entry.strip("/")
    if entry.count("/") <= 1:                               # a repo id alone ("org/repo/" in the registry)
        return [HubFile(entry, name) for name in HF_FILENAMES]
    repo_id, filename = entry.rsplit("/", 1)
    names = [filename]
    if filename.endswith((".bin", ".pth")):
        names.insert(0, filename[:-4] + ".safetensors")     # as open_clip does: the safe format when it exists
    return [HubFile(repo_id, n) for n in names]


def hub_files(model_name: str, pretrained: str) -> list[HubFile]:
    """The hub files that hold (model, tag), best first, from open_clip's pretrained registry.

    Raises:
        BackboneUnavailableError: open_clip knows no such (model, tag), or no hub copy of it.
    """
    import open_clip

    entry = _registry_hub_entry(model_name, pretrained)
    if entry is None:
        tags = open_clip.list_pretrained_tags_by_model(model_name)
        raise BackboneUnavailableError(
            f"open_clip has no pretrained weights '{pretrained}' for {model_name}"
            + (f"; available tags: {', '.join(tags)}" if tags else "")
            + ". Import a local weights file instead.")
    if not entry:
        raise BackboneUnavailableError(
            f"open_clip lists no Hugging Face hub copy of the {model_name} '{pretrained}' weights. "
            "Import a local weights file instead.")
    return _files_of(entry)


def _in_hub_cache(file: HubFile) -> Path | None:
    """The file in the hub cache (main revision), found without any network access."""
    from huggingface_hub import try_to_load_from_cache

    try:
        found = try_to_load_from_cache(file.repo_id, file.filename, cache_dir=hub_cache_dir())
    except (OSError, ValueError):        # an unreadable cache folder or a malformed repo id: not cached
        return None
    if isinstance(found, str) and Path(found).is_file() and Path(found).stat().st_size > 0:
        return Path(found)
    return None


def cached_weights(model_name: str, pretrained: str) -> Path | None:
    """The checkpoint already on this computer for (model, tag), if any; never touches the network.

    Looks at imported files, then files an earlier version downloaded into the app's folder, then
    the shared Hugging Face hub cache.
    """
    folder = _app_folder(model_name, pretrained)
    for name in (*IMPORTED_NAMES, *HF_FILENAMES):
        candidate = folder / name
        if candidate.is_file() and candidate.stat().st_size > 0:
            return candidate
    entry = _registry_hub_entry(model_name, pretrained)
    for file in _files_of(entry) if entry else []:
        found = _in_hub_cache(file)
        if found is not None:
            return found
    return None


# ------------------------------------------------------------------------------- downloading
def progress_class(filename: str, on_event: EventHook, should_stop: StopHook) -> type:
    """A tqdm-compatible class for ``hf_hub_download(tqdm_class=...)``: DownloadEvents, and Stop.

    huggingface_hub creates one bar per transfer and calls ``update(n)`` for each chunk it writes.
    This bar draws nothing; it reports bytes done to ``on_event`` and raises
    :class:`CancelledError` from ``update`` once ``should_stop()`` is true.
    """
    from tqdm import tqdm

    class DownloadProgress(tqdm):
        def __init__(self, *args: Any, **kwargs: Any):
            kwargs.pop("name", None)         # huggingface_hub's own bars take a name; tqdm does not
            kwargs["disable"] = True         # nothing on the terminal: the app shows the events
            super().__init__(*args, **kwargs)
            self.done_bytes = int(kwargs.get("initial") or 0)
            self.total_bytes = int(kwargs.get("total") or 0)
            on_event(DownloadEvent(filename, self.done_bytes, self.total_bytes))

        def update(self, n: float | None = 1) -> bool:
            if should_stop():
                raise CancelledError(f"Download of {filename} cancelled")
            self.done_bytes += int(n or 0)
            on_event(DownloadEvent(filename, self.done_bytes, self.total_bytes))
            return True

    return DownloadProgress


_TRANSFER_LOCK = threading.Lock()


@contextmanager
def _stoppable_transfers() -> Iterator[None]:
    """Downloads that Stop can stop: huggingface_hub's plain HTTP path, in 1 MiB chunks.

    With hf_xet installed, huggingface_hub moves the bytes on hf_xet's own threads and an exception
    raised in the progress callback is swallowed there (huggingface_hub issue 4632): a stopped
    download would run to its end. The HTTP path calls the bar inline for each chunk, so raising
    ends it at once; 1 MiB chunks (instead of 10 MiB) make that quick on a slow line too. Both are
    module-level settings huggingface_hub reads at call time; they are put back afterwards.
    """
    from huggingface_hub import constants

    with _TRANSFER_LOCK:
        saved = constants.HF_HUB_DISABLE_XET, constants.DOWNLOAD_CHUNK_SIZE
        constants.HF_HUB_DISABLE_XET, constants.DOWNLOAD_CHUNK_SIZE = True, CHUNK
        try:
            yield
        finally:
            constants.HF_HUB_DISABLE_XET, constants.DOWNLOAD_CHUNK_SIZE = saved


def _why(exc: Exception, file: HubFile) -> tuple[str, bool]:
    """(the reason in words, whether another file of the same repo is worth trying)."""
    from huggingface_hub import errors

    if isinstance(exc, errors.LocalEntryNotFoundError):        # checked first: older versions derive it
        return "no connection to the Hugging Face hub", False  # from EntryNotFoundError too
    if isinstance(exc, getattr(errors, "RemoteEntryNotFoundError", errors.EntryNotFoundError)):
        return f"{file.filename} is not on the hub", True
    if isinstance(exc, errors.GatedRepoError):
        return f"{file.repo_id} needs a Hugging Face login with access to it", False
    if isinstance(exc, errors.RepositoryNotFoundError):
        return f"the hub has no repository {file.repo_id} (or it needs a login)", False
    if isinstance(exc, errors.HfHubHTTPError):
        status = getattr(getattr(exc, "response", None), "status_code", None)
        return f"the hub answered HTTP {status}" if status else "the hub refused the download", False
    if isinstance(exc, OSError) and exc.errno is None:
        return "the download was incomplete", False     # huggingface_hub's size check
    return "the connection failed", False


def _unavailable(model_name: str, pretrained: str, files: list[HubFile], reasons: list[str]) -> BackboneUnavailableError:
    where = f"{files[0].filename} from the Hugging Face hub repository {files[0].repo_id}" if files else "no source"
    return BackboneUnavailableError(
        f"The {model_name} '{pretrained}' weights are not on this computer and could not be downloaded "
        f"({'; '.join(reasons) or 'no source'}). Expected file: {where}. "
        f"Connect to the internet, or import a weights file you already have "
        f"(rmadapter import-weights FILE --model {model_name} --pretrained {pretrained}, "
        "or 'Import weights file...' in the app).")


def ensure_pretrained(model_name: str, pretrained: str, *, on_event: EventHook | None = None,
                      should_stop: StopHook | None = None) -> Path:
    """Return the local checkpoint for (model, tag), downloading it into the hub cache if needed.

    Raises:
        BackboneUnavailableError: unknown tag, offline, not found, or not writable; one plain
            sentence that names the file and how to import one.
        CancelledError: ``should_stop`` returned True during the download (nothing is left behind).
    """
    from huggingface_hub import hf_hub_download

    on_event = on_event or no_event
    should_stop = should_stop or never_stop
    found = cached_weights(model_name, pretrained)
    if found:
        return found
    files = hub_files(model_name, pretrained)
    if hub_offline():
        raise _unavailable(model_name, pretrained, files, ["offline mode is on (HF_HUB_OFFLINE)"])
    cache = hub_cache_dir()
    reasons: list[str] = []
    with _stoppable_transfers():
        for file in files:
            if should_stop():
                raise CancelledError(f"Download of {file.filename} cancelled")
            try:
                path = Path(hf_hub_download(file.repo_id, file.filename, cache_dir=cache,
                                            tqdm_class=progress_class(file.filename, on_event, should_stop)))
            except (CancelledError, TypeError, AttributeError):
                raise                        # a stop, or a bug (an unsupported huggingface_hub): not the network
            except Exception as exc:  # noqa: BLE001 - huggingface_hub's and the HTTP client's errors, in words
                logger.info("download of %s failed: %r", file, exc)
                if isinstance(exc, OSError) and exc.errno in DISK_ERRNOS:    # the disk, not the network
                    raise BackboneUnavailableError(
                        f"The {model_name} '{pretrained}' weights could not be saved in {cache}: {exc.strerror}. "
                        "Free some space there, or set HF_HUB_CACHE to a folder with room.") from exc
                reason, try_next = _why(exc, file)
                reasons.append(reason)
                if try_next:
                    continue
                break
            logger.info("downloaded %s to %s", file, path)
            return path
    raise _unavailable(model_name, pretrained, files, reasons)


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
