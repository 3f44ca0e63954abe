"""Carrying out a drop plan: at once for a few files, else as a job on ``state.jobs`` with progress.

:class:`ImageAdder` lives in the GUI thread; whichever way the add runs, it ends with exactly one of
``finished(AddResult)`` or ``failed(message, details)``, emitted on the GUI thread.
"""
from __future__ import annotations

from functools import partial

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication

from rmadapter_app.core.errors import RMAdapterError
from rmadapter_app.core.events import ProgressEvent, StatusEvent, never_stop, no_event
from rmadapter_app.core.project.drops import DropPlan, run_drop_plan


class ImageAdder(QObject):
    """Signals: started(), progress(done, total), status(str), finished(object), failed(str, str)."""

    started = Signal()
    progress = Signal(int, int)
    status = Signal(str)
    finished = Signal(object)
    failed = Signal(str, str)

    def __init__(self, state, parent: QObject | None = None):
        super().__init__(parent)
        self.state = state
        self._running = False

    def busy(self) -> bool:
        """True while an add runs as a job."""
        return self._running

    def run(self, project, plan: DropPlan, sync: bool) -> str:
        """Start the add. Returns "" when it started (or finished), else why it could not start."""
        fn = partial(run_drop_plan, project, plan)
        jobs = self.state.jobs
        if jobs is None or sync:
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                result = fn(no_event, never_stop)
            except RMAdapterError as exc:
                QGuiApplication.restoreOverrideCursor()
                self.failed.emit(str(exc), "")
                return ""
            QGuiApplication.restoreOverrideCursor()
            self.finished.emit(result)
            return ""
        if jobs.busy():
            return self.tr("Wait until “{0}” has finished, then add the images again.").format(jobs.current_title())
        if not jobs.start(self.tr("Adding images"), fn, on_event=self._on_job_event, on_done=self._on_job_done,
                          on_failed=self._on_job_failed):
            return self.tr("Another job is running.")
        self._running = True
        self.started.emit()
        return ""

    def stop(self) -> None:
        if self._running and self.state.jobs is not None:
            self.state.jobs.stop()

    # runner callbacks: called on the GUI thread by JobRunner
    def _on_job_event(self, event) -> None:
        if isinstance(event, ProgressEvent) and event.total > 0:
            self.progress.emit(event.done, event.total)
        elif isinstance(event, StatusEvent) and event.level == "info":
            self.status.emit(event.text)

    def _on_job_done(self, result) -> None:
        self._running = False
        self.finished.emit(result)

    def _on_job_failed(self, message: str, details: str) -> None:
        self._running = False
        self.failed.emit(message, details)
