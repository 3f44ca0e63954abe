"""Finds out, off the GUI thread, what each backbone would cost here: on disk or a download, and how
long training the open project would take (``core.model.catalog`` and ``core.project.estimate``).

Results come back as :class:`~rmadapter_app.gui.widgets.backbone_picker.Estimate` objects through the
``ready`` signal; a request made while another runs supersedes it (only the newest is answered).
"""
from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal

from rmadapter_app.core.model.spec import BackboneSpec
from rmadapter_app.gui.widgets.backbone_picker import Estimate

logger = logging.getLogger("rmadapter_app")
_one_at_a_time = threading.Lock()        # timings of two probes at once would disturb each other
_running: set[threading.Thread] = set()
_quitting = threading.Event()


def finish_before_exit(timeout_s: float = 20.0) -> bool:
    """The app is quitting: probes skip what they have not started, and this waits for the running ones.

    A probe thread still inside torch when Python exits makes the C++ runtime abort the process
    ("terminate called without an active exception"). True when none is left running."""
    _quitting.set()
    deadline = time.monotonic() + timeout_s
    for thread in list(_running):
        thread.join(max(0.0, deadline - time.monotonic()))
    return not any(t.is_alive() for t in _running)


def estimate(spec: BackboneSpec, labels: Sequence[int], n_classes: int, cfg, device: str) -> Estimate:
    """One backbone's Estimate (call on a worker: imports torch and open_clip, times a block)."""
    from rmadapter_app.core.model.catalog import model_facts
    from rmadapter_app.core.project.estimate import training_seconds

    facts = model_facts(spec, device)
    seconds = training_seconds(facts, list(labels), n_classes, cfg) if labels else None
    return Estimate(spec, facts.on_disk, facts.download_bytes, seconds)


class _Relay(QObject):
    """One for the process, never deleted: the worker threads emit on it, not on a page that may be
    gone by the time they finish (emitting on a deleted QObject from a thread can crash)."""

    done = Signal(int, object)          # (probe id, estimates)


_relay: _Relay | None = None
_ids = itertools.count(1)


def _the_relay() -> _Relay:
    global _relay
    if _relay is None:                  # made on the GUI thread, by the first BackboneProbe
        _relay = _Relay()
    return _relay


class BackboneProbe(QObject):
    """``request(specs, labels, n_classes, cfg)``; ``ready(dict)`` by ``spec.key()`` when done."""

    ready = Signal(object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._generation = 0
        self._lock = threading.Lock()
        self.busy = False
        self._id = next(_ids)
        _the_relay().done.connect(self._on_relay_done)

    def _on_relay_done(self, probe_id: int, out: object) -> None:
        if probe_id == self._id:
            self.busy = False
            self.ready.emit(out)

    def request(self, specs: Sequence[BackboneSpec], labels: Sequence[int], n_classes: int, cfg) -> None:
        with self._lock:
            self._generation += 1
            generation = self._generation
        if _quitting.is_set():
            return
        self.busy = True
        thread = threading.Thread(target=self._run, args=(generation, list(dict.fromkeys(specs)), list(labels),
                                                          n_classes, cfg), name="backbone-probe", daemon=True)
        _running.add(thread)
        thread.start()

    def _current(self, generation: int) -> bool:
        with self._lock:
            return generation == self._generation

    def _run(self, generation: int, specs: list[BackboneSpec], labels: list[int], n_classes: int, cfg) -> None:
        try:
            self._probe(generation, specs, labels, n_classes, cfg)
        finally:
            _running.discard(threading.current_thread())

    def _probe(self, generation: int, specs: list[BackboneSpec], labels: list[int], n_classes: int, cfg) -> None:
        with _one_at_a_time:
            if not self._current(generation):
                return
            out: dict[tuple, Estimate] = {}
            try:
                from rmadapter_app.core.device import resolve_device
                device = resolve_device(getattr(cfg, "device", "auto")).device.type
            except Exception:  # noqa: BLE001 - an unavailable GPU choice: time it on the CPU
                device = "cpu"
            for spec in specs:
                if spec.is_random or not self._current(generation) or _quitting.is_set():
                    continue
                try:
                    out[spec.key()] = estimate(spec, labels, n_classes, cfg, device)
                except Exception as exc:  # noqa: BLE001 - an unknown model or bad config: say so in the picker
                    logger.info("probing %s failed: %s", spec.label(), exc)
                    out[spec.key()] = Estimate(spec, True, error=str(exc))
        if self._current(generation) and not _quitting.is_set():
            _the_relay().done.emit(self._id, out)      # queued to the GUI thread; ignored when the page is gone
