"""Which Ray cluster to label on, and how many model-holding workers it gets (no torch, no Ray at import).

Ray is optional (the ``cluster`` extra): :func:`ray_installed` tells front ends whether to offer it
without importing it (the GUI calls it at start-up); :func:`connect` imports it when a run starts.
Labeling itself is :func:`rmadapter_app.core.label.ray_backend.label_on_ray`.
"""
from __future__ import annotations

import importlib.util
import logging
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path

from rmadapter_app.core.errors import RMAdapterError

logger = logging.getLogger(__name__)

INSTALL_HINT = 'pip install "rmadapter-studio[cluster]"'
LOCAL = "local"                    # start a one-machine Ray cluster inside this process
DEFAULT_CPUS_PER_WORKER = 4        # on a cluster without GPUs: one model copy per 4 cores
_LOOPBACK_ENV = "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"   # "0": Ray uses and binds 127.0.0.1 only


@dataclass(frozen=True)
class RayOptions:
    """Where and how to label on Ray.

    ``address``: ``auto`` (the cluster this machine belongs to, or ``RAY_ADDRESS``), ``HOST:PORT`` of a
    head node, or ``local`` (a cluster inside this process, on 127.0.0.1 only); anything else is handed
    to ``ray.init`` as it is (a ``ray://`` client address is passed on but was never tested). ``send_bytes``: the files are read on the driver's machine and their bytes sent
    to the workers (for workers that cannot see the driver's files); otherwise every worker reads the
    paths itself (shared storage). ``workers``, ``cpus_per_worker``, ``gpus_per_worker``: None chooses
    from the cluster's resources (:func:`plan_workers`).
    """

    address: str = "auto"
    send_bytes: bool = False
    workers: int | None = None
    cpus_per_worker: float | None = None
    gpus_per_worker: float | None = None


@dataclass(frozen=True)
class WorkerPlan:
    """The actor pool: how many model copies, and the CPUs and GPUs each one holds."""

    workers: int
    cpus: float
    gpus: float

    @property
    def device(self) -> str:
        return "cuda" if self.gpus > 0 else "cpu"

    @property
    def threads(self) -> int:
        """Decode threads and torch threads per worker: its whole CPUs, at least one."""
        return max(1, int(self.cpus))


def ray_installed() -> bool:
    """True when Ray with its data library is importable (checked without importing it)."""
    try:
        spec = importlib.util.find_spec("ray")
    except (ImportError, ValueError):
        return False
    if spec is None or not spec.submodule_search_locations:
        return False
    has_data = any((Path(loc) / "data" / "__init__.py").is_file() for loc in spec.submodule_search_locations)
    return has_data and importlib.util.find_spec("pyarrow") is not None


def import_ray():
    """The ``ray`` module with ``ray.data`` loaded, or a clear error naming the extra to install."""
    if not ray_installed():
        raise RMAdapterError(f"Labeling on a Ray cluster needs Ray, which is not installed: {INSTALL_HINT}")
    import ray
    import ray.data  # noqa: F401  (loads the data library)
    return ray


def plan_workers(resources: dict[str, float], options: RayOptions) -> WorkerPlan:
    """Workers, CPUs and GPUs per worker from the cluster's total resources and the user's choices.

    With GPUs: one worker per GPU, each with its share of the CPUs (for decoding). Without: one worker
    per :data:`DEFAULT_CPUS_PER_WORKER` cores (at least one worker).

    Raises:
        RMAdapterError: a worker would need more CPUs or GPUs than the cluster has.
    """
    total_cpu, total_gpu = float(resources.get("CPU", 0.0)), float(resources.get("GPU", 0.0))
    gpus = options.gpus_per_worker
    if gpus is None:
        gpus = 1.0 if total_gpu >= 1 else 0.0
    if gpus < 0 or (options.cpus_per_worker is not None and options.cpus_per_worker <= 0):
        raise RMAdapterError("CPUs per worker must be above 0 and GPUs per worker 0 or more.")
    if gpus > 0:
        if gpus > total_gpu:
            raise RMAdapterError(f"Each worker asks for {gpus:g} GPU, but the Ray cluster has {total_gpu:g}.")
        workers = options.workers or max(1, int(total_gpu // gpus))
        cpus = options.cpus_per_worker or max(1.0, float(math.floor(total_cpu / max(1, workers))))
    else:
        cpus = options.cpus_per_worker or float(max(1, min(DEFAULT_CPUS_PER_WORKER, int(total_cpu))))
        workers = options.workers or max(1, int(total_cpu // cpus))
    if cpus > total_cpu:
        raise RMAdapterError(f"Each worker asks for {cpus:g} CPUs, but the Ray cluster has {total_cpu:g}.")
    if workers < 1:
        raise RMAdapterError("There must be at least one worker.")
    return WorkerPlan(int(workers), float(cpus), float(gpus))


_connected: str | None = None      # the address this module connected Ray to (None: not us)


def _loopback_only(on: bool) -> None:
    """A ``local`` cluster talks over 127.0.0.1 only and listens on no other address."""
    from ray._private import ray_constants

    if on:
        os.environ[_LOOPBACK_ENV] = "0"       # for the processes Ray starts
        ray_constants.ENABLE_RAY_CLUSTER = False
    else:
        os.environ.pop(_LOOPBACK_ENV, None)
        ray_constants.ENABLE_RAY_CLUSTER = True


def connect(address: str) -> str:
    """Connect this process to the Ray cluster at ``address`` (see :class:`RayOptions`); returns it.

    A process already connected (by this module with the same address, or by its caller, e.g. a
    test or a notebook) keeps its connection; one this module connected elsewhere is disconnected first.

    Raises:
        RMAdapterError: Ray is not installed, or no cluster answers at ``address``.
    """
    global _connected
    ray = import_ray()
    address = (address or "auto").strip()
    if ray.is_initialized():
        if _connected is None or _connected == address:
            _quiet_ray_data(ray)
            return address
        ray.shutdown()
        _connected = None
    kwargs = {"include_dashboard": False, "logging_level": logging.WARNING, "log_to_driver": False}
    try:
        if address == LOCAL:
            _loopback_only(True)
            ray.init(address=LOCAL, **kwargs)
        else:
            _loopback_only(False)
            if address.startswith("ray://"):
                kwargs.pop("include_dashboard")
            ray.init(address=address, **kwargs)
    except (ConnectionError, RuntimeError, ValueError, TimeoutError) as exc:
        raise RMAdapterError(f"No Ray cluster answered at '{address}' ({short_ray_error(exc)}). Start one with "
                             "`ray start --head` (see docs/CLUSTER.md), or use 'local' to start one in this "
                             "process.") from exc
    _connected = address
    _quiet_ray_data(ray)
    return address


def _quiet_ray_data(ray) -> None:
    """No progress bars or per-dataset banners from Ray Data: the app reports progress itself."""
    log = logging.getLogger("ray.data")
    log.setLevel(logging.ERROR)                  # not the notice that progress bars are off
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False
    ctx.print_on_execution_start = False
    ctx.raise_original_map_exception = True      # a worker's own error, not Ray's wrapper around it
    log.setLevel(logging.WARNING)


def disconnect() -> None:
    """Disconnect (and for ``local``, stop) the cluster this module connected to; others are left alone."""
    global _connected
    if _connected is None or not ray_installed():
        return
    import ray
    ray.shutdown()
    _connected = None


_WRAPPERS = {"UserCodeException", "ActorDiedError", "ActorUnavailableError", "TaskCancelledError"}
_ERROR_LINE = re.compile(r"^(?:[\w.]+\.)?(\w*(?:Error|Exception|Exit)\w*): (.+)$")


def short_ray_error(exc: BaseException) -> str:
    """The sentence that matters in an error Ray hands back (it wraps the worker's traceback)."""
    text = str(exc)
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for line in reversed(lines):
        m = _ERROR_LINE.match(line)
        if m and not m.group(1).startswith("Ray") and m.group(1) not in _WRAPPERS:
            return m.group(2) if m.group(1) == "RMAdapterError" else f"{m.group(1)}: {m.group(2)}"
    return (lines[0] if lines else type(exc).__name__)[:400]
