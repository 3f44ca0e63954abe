"""Running one heavy job at a time on a QThread: :class:`JobRunner` and its worker object.

The job is a plain function ``fn(on_event, should_stop) -> result`` (core style). The worker
lives in the job's thread, calls it inside try/except and always emits exactly one terminal
signal. The runner lives in the GUI thread and connects the worker's signals to its own bound
slots, so every user callback runs on the GUI thread. High-rate events (those whose class says
``throttle = True``, see :mod:`rmadapter_app.core.events`: steps, progress of any kind, downloads) are
coalesced in the worker, per event type: at most one per ``throttle_s``, the last always sent. This is
the one throttle of the app; pages hand their jobs' events through unfiltered.
The thread is cleaned up when ``QThread.finished`` arrives (never a blocking wait on a queued
quit); the user's terminal callback runs after that, so it may start the next job.
"""
from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEventLoop, QObject, QThread, QTimer, Signal, Slot

from rmadapter_app.core.events import is_throttled

logger = logging.getLogger("rmadapter_app")


def _tr(text: str) -> str:
    return QCoreApplication.translate("JobRunner", text)


# Job names the pages use, marked for translation; the user sees them in "busy" messages.
_JOB_TITLES = {
    "training": QT_TRANSLATE_NOOP("jobs", "training"),
    "import weights": QT_TRANSLATE_NOOP("jobs", "import weights"),
    "try image": QT_TRANSLATE_NOOP("jobs", "trying an image"),
    "import weights (try)": QT_TRANSLATE_NOOP("jobs", "import weights"),
    "label images": QT_TRANSLATE_NOOP("jobs", "labeling images"),
    "re-score labels": QT_TRANSLATE_NOOP("jobs", "re-scoring labels"),
    "write labeled files": QT_TRANSLATE_NOOP("jobs", "writing labeled files"),
    "undo labeled files": QT_TRANSLATE_NOOP("jobs", "undoing labeled files"),
}


def job_title(name: str) -> str:
    """A job's name in the user's language (unknown names are shown as they are)."""
    return QCoreApplication.translate("jobs", _JOB_TITLES.get(name, name))


class _Worker(QObject):
    """Runs ``fn`` once in its thread; emits events, then ``finished`` or ``failed``."""

    event = Signal(object)
    finished = Signal(object)
    failed = Signal(str, str)

    def __init__(self, name: str, fn: Callable, stop: threading.Event, throttle_s: float):
        super().__init__()
        self._name = name
        self._fn = fn
        self._stop = stop
        self._throttle = max(0.0, float(throttle_s))
        self._last_sent: dict[type, float] = {}      # per event type: when one was last emitted
        self._pending: Any = None

    # ---------------------------------------------------------------- event coalescing (worker thread)
    def _flush(self) -> None:
        if self._pending is not None:
            ev, self._pending = self._pending, None
            self._last_sent[type(ev)] = time.monotonic()
            self.event.emit(ev)

    def _on_event(self, ev: Any) -> None:
        """The ``on_event`` hook handed to the job; runs in the worker thread."""
        if not is_throttled(ev):
            self._flush()
            self.event.emit(ev)
            return
        if self._pending is not None and type(self._pending) is not type(ev):
            self._flush()                          # keep the order: a burst of another type ended
        kind = type(ev)
        now = time.monotonic()
        if now - self._last_sent.get(kind, -1e9) >= self._throttle:
            self._pending = None
            self._last_sent[kind] = now
            self.event.emit(ev)
        else:
            self._pending = ev  # delivered later: by the next event, or before the terminal signal

    def _should_stop(self) -> bool:
        return self._stop.is_set()

    # ---------------------------------------------------------------- the job
    @Slot()
    def run(self) -> None:
        from rmadapter_app.core.errors import CancelledError, RMAdapterError

        try:
            result = self._fn(self._on_event, self._should_stop)
        except CancelledError:
            self._flush()
            self.failed.emit(_tr("Stopped."), "")
        except RMAdapterError as exc:
            self._flush()
            self.failed.emit(str(exc) or type(exc).__name__, "")
        except BaseException as exc:  # the boundary: nothing may escape a worker thread
            details = traceback.format_exc()
            logger.error("job %r failed:\n%s", self._name, details)
            first = (str(exc).strip().splitlines() or [""])[0][:300]
            message = _tr("The job stopped because of an unexpected problem: {0}. "
                          "The details were written to the log file.").format(
                f"{type(exc).__name__}: {first}" if first else type(exc).__name__)
            self._flush()
            self.failed.emit(message, details)
        else:
            self._flush()
            self.finished.emit(result)


class JobRunner(QObject):
    """One heavy job at a time on a QThread; lives in the GUI thread.

    Signals:
        busyChanged(bool): a job started (True) or ended (False; emitted before its callback).
    """

    busyChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._name: str | None = None
        self._thread: QThread | None = None
        self._worker: _Worker | None = None
        self._stop_flag = threading.Event()
        self._callbacks: dict[str, Callable | None] = {}
        self._outcome: tuple[str, tuple] | None = None

    def busy(self) -> bool:
        """True while a job's thread exists (from start until its terminal callback)."""
        return self._thread is not None

    def current(self) -> str | None:
        """The running job's name, or None."""
        return self._name

    def current_title(self) -> str:
        """The running job's name as the user should read it (translated), or ""."""
        return job_title(self._name) if self._name else ""

    def start(self, name: str, fn: Callable, *, on_event: Callable | None = None,
              on_done: Callable | None = None, on_failed: Callable | None = None,
              throttle_s: float = 0.1) -> bool:
        """Run ``fn(on_event, should_stop) -> result`` on a worker thread.

        Returns False (and does nothing) when another job is running. ``on_event(obj)``,
        ``on_done(result)`` and ``on_failed(message, details)`` run on the GUI thread; exactly
        one of ``on_done`` / ``on_failed`` runs per job.
        """
        if self.busy():
            logger.info("job %r refused: %r is running", name, self._name)
            return False
        self._name = name
        self._stop_flag = threading.Event()
        self._callbacks = {"event": on_event, "done": on_done, "failed": on_failed}
        self._outcome = None
        thread = QThread()
        thread.setObjectName(f"job:{name}")
        worker = _Worker(name, fn, self._stop_flag, throttle_s)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.event.connect(self._on_worker_event)
        worker.finished.connect(self._on_worker_finished)
        worker.failed.connect(self._on_worker_failed)
        thread.finished.connect(self._on_thread_finished)
        self._thread, self._worker = thread, worker
        logger.info("job %r started", name)
        thread.start()
        self.busyChanged.emit(True)
        return True

    def stop(self) -> None:
        """Ask the running job to stop (its ``should_stop`` returns True from now on)."""
        if self.busy():
            self._stop_flag.set()

    def stop_requested(self) -> bool:
        """True when :meth:`stop` was called for the running job."""
        return self.busy() and self._stop_flag.is_set()

    def wait_idle(self, timeout_ms: int = 30000) -> bool:
        """Process events until no job runs (its callback included) or the timeout; True if idle."""
        deadline = time.monotonic() + timeout_ms / 1000.0
        while self.busy():
            left_ms = int((deadline - time.monotonic()) * 1000)
            if left_ms <= 0:
                return False
            loop = QEventLoop()
            self.busyChanged.connect(loop.quit)
            try:
                QTimer.singleShot(min(left_ms, 50), loop.quit)
                loop.exec()
            finally:
                self.busyChanged.disconnect(loop.quit)
        return True

    # ---------------------------------------------------------------- slots (GUI thread)
    @Slot(object)
    def _on_worker_event(self, ev: Any) -> None:
        cb = self._callbacks.get("event")
        if cb is not None:
            cb(ev)

    @Slot(object)
    def _on_worker_finished(self, result: Any) -> None:
        self._outcome = ("done", (result,))
        if self._thread is not None:
            self._thread.quit()

    @Slot(str, str)
    def _on_worker_failed(self, message: str, details: str) -> None:
        self._outcome = ("failed", (message, details))
        if self._thread is not None:
            self._thread.quit()

    @Slot()
    def _on_thread_finished(self) -> None:
        thread, worker, name = self._thread, self._worker, self._name
        outcome = self._outcome or ("failed", (_tr("The job ended without a result."), ""))
        callbacks = self._callbacks
        self._thread = self._worker = self._name = None
        self._callbacks, self._outcome = {}, None
        if thread is not None:
            thread.wait()  # already past its event loop: returns at once; then it is safe to drop
        del thread, worker
        logger.info("job %r %s", name, outcome[0])
        self.busyChanged.emit(False)
        cb = callbacks.get(outcome[0])
        if cb is not None:
            cb(*outcome[1])
