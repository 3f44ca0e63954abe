"""The live view of a training run: phase, progress with steps/s and ETA, loss and accuracy plots, a log.

``RunMonitor.handle(ev, steps)`` takes core events on the GUI thread. Step events arrive
coalesced (JobRunner), so the monitor also drains ``steps``, a deque the job fills with every
StepEvent, to draw each step; x keeps counting across the fits of a cross-validated run.

The phase line says what is really trained on: once the run has said how it checks accuracy
(``ZeroShotEvent``: the scheme and how many images it holds back), "Training on 20 of 24 images
(4 held back to check it)" rather than "all images"; during cross-validation, which round it is.
"""
from __future__ import annotations

import collections
import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QProgressBar, QSplitter, QVBoxLayout, QWidget

from rmadapter_app.core import events as E
from rmadapter_app.gui.formatting import fmt_duration
from rmadapter_app.gui.widgets.loss_plot import AccuracyPlot, LossPlot
from rmadapter_app.gui.widgets.message_label import MessageLabel


class RunMonitor(QWidget):
    """Progress bar + plots + log for one run at a time."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.phase_label = MessageLabel(parent=self, max_lines=3)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.progress.setToolTip(self.tr("Progress of the current phase."))
        self.eta_label = QLabel(self)
        self.eta_label.setToolTip(self.tr("Speed, and time left for the whole run (cross-validation included)."))
        self.loss_plot = LossPlot(self)
        self.acc_plot = AccuracyPlot(self)
        self.log = QPlainTextEdit(self)
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(2000)
        self.log.setToolTip(self.tr("What training is doing, step by step."))
        plots = QSplitter(Qt.Orientation.Horizontal, self)
        plots.addWidget(self.loss_plot)
        plots.addWidget(self.acc_plot)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(plots)
        split.addWidget(self.log)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        bar = QHBoxLayout()
        bar.addWidget(self.progress, 1)
        bar.addWidget(self.eta_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.phase_label)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        self.reset(clear_text=True)

    def reset(self, clear_text: bool = False) -> None:
        """Empty plots and progress for a new run (the log is kept unless ``clear_text``)."""
        self._fit_key: object = object()
        self._x_offset = self._last_x = 0
        self._fit_t0, self._fit_s0 = 0.0, 1
        self._scheme: str | None = None          # how the run checks accuracy, once it has said
        self._n_held = 0                         # images held back from the kept model (holdout)
        self.loss_plot.clear()
        self.acc_plot.clear()
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.eta_label.setText("")
        self.phase_label.setText("" if clear_text else self.tr("Starting…"))
        if clear_text:
            self.log.clear()

    def set_images(self, n: int) -> None:
        """How many images the run was given (for "Training on 20 of 24 images")."""
        self._n_images = n

    def busy(self, text: str) -> None:
        """An indeterminate phase (importing weights, ...)."""
        self.phase_label.setText(text)
        self.progress.setRange(0, 0)

    def finish(self, text: str, complete: bool = True) -> None:
        """The run ended: final text, all points drawn."""
        self.loss_plot.flush()
        value = self.progress.value()
        self.progress.setRange(0, 100)
        self.progress.setValue(100 if complete else max(0, value))
        self.eta_label.setText("")
        self.phase_label.setText(text)
        if text:
            self.append_log(text)

    def append_log(self, text: str) -> None:
        self.log.appendPlainText(f"{time.strftime('%H:%M:%S')}  {text}")

    # ---------------------------------------------------------------- events
    def handle(self, ev, steps: collections.deque | None = None) -> None:
        """Show one core event (StepEvent, EpochEvent, ZeroShotEvent, FoldEvent, Download/Progress/Status)."""
        if isinstance(ev, E.StepEvent):
            self._drain(steps if steps is not None else collections.deque([ev]))
            self._show_step(ev)
        elif isinstance(ev, E.EpochEvent):
            self.acc_plot.add_epoch(ev.epoch, ev.train_accuracy, ev.val_accuracy, ev.fold)
            val = "" if ev.val_accuracy is None else self.tr(", validation {0:.1%}").format(ev.val_accuracy)
            fold = "" if ev.fold is None else self.tr("fold {0}, ").format(ev.fold + 1)
            self.append_log(self.tr("{0}epoch {1}/{2}: train {3:.1%}{4}").format(
                fold, ev.epoch, ev.epochs, ev.train_accuracy, val))
        elif isinstance(ev, E.ZeroShotEvent):
            self.acc_plot.set_zero_shot(ev.accuracy)
            self._scheme = ev.scheme
            self._n_held = ev.n_images if ev.scheme == "holdout" else 0
            self.append_log(self.tr("Frozen CLIP (before training) gets {0:.1%} of {1} held-back images right.").format(
                ev.accuracy, ev.n_images))
        elif isinstance(ev, E.FoldEvent):
            self.append_log(self.tr("Cross-validation fold {0}/{1}: {2:.1%} on {3} held-out images.").format(
                ev.fold, ev.folds, ev.accuracy, ev.n_images))
        elif isinstance(ev, E.DownloadEvent):
            self._show_download(ev)
        elif isinstance(ev, E.ProgressEvent):
            self.phase_label.setText(ev.phase)
            self.progress.setRange(0, max(1, ev.total))
            self.progress.setValue(ev.done)
            self.eta_label.setText(f"{ev.done}/{ev.total}")
        elif isinstance(ev, E.AdapterReadyEvent):
            self.append_log(self.tr("The model is trained and kept; now checking how good it is."))
        elif isinstance(ev, E.StatusEvent):
            prefix = self.tr("Warning: ") if ev.level == "warning" else ""
            self.append_log(prefix + ev.text)
            self.phase_label.setText(ev.text[:80])

    def _phase_text(self, ev: E.StepEvent) -> str:
        """What this step trains on, in words (see the module docstring)."""
        n = getattr(self, "_n_images", 0)
        if ev.fold is not None:
            folds = max(1, ev.fits - 1)
            return self.tr("Checking accuracy, round {0} of {1} (a model trained without some images): step {2} "
                           "of {3}").format(ev.fold + 1, folds, ev.step, ev.total_steps)
        if self._scheme == "holdout" and n and self._n_held:
            return self.tr("Training on {0} of {1} images ({2} held back to check it): step {3} of {4}").format(
                n - self._n_held, n, self._n_held, ev.step, ev.total_steps)
        if self._scheme in ("kfold", "none") and n:
            return self.tr("Training on all {0} images: step {1} of {2}").format(n, ev.step, ev.total_steps)
        return self.tr("Training: step {0} of {1}").format(ev.step, ev.total_steps)

    def _show_download(self, ev: E.DownloadEvent) -> None:
        mb_done, mb_total = ev.done_bytes / 1e6, ev.total_bytes / 1e6
        self.phase_label.setText(self.tr("Downloading {0}").format(ev.filename))
        if ev.total_bytes:
            self.progress.setRange(0, 100)
            self.progress.setValue(int(100 * ev.done_bytes / ev.total_bytes))
            self.eta_label.setText(self.tr("{0:.0f} of {1:.0f} MB (Stop cancels)").format(mb_done, mb_total))
        else:
            self.progress.setRange(0, 0)
            self.eta_label.setText(self.tr("{0:.0f} MB (Stop cancels)").format(mb_done))

    def _drain(self, steps: collections.deque) -> None:
        """Draw every recorded step; a new fit (fold) continues the x axis where the last one ended."""
        while steps:
            ev = steps.popleft()
            key = (ev.fold, ev.total_steps)
            if key != self._fit_key:
                self._fit_key = key
                self._x_offset = self._last_x
                self._fit_t0, self._fit_s0 = ev.seconds, ev.step
            self._last_x = self._x_offset + ev.step
            self.loss_plot.append(self._last_x, ev.losses)

    def _show_step(self, ev: E.StepEvent) -> None:
        self.progress.setRange(0, max(1, ev.total_steps))
        self.progress.setValue(ev.step)
        self.phase_label.setText(self._phase_text(ev))
        elapsed, done = ev.seconds - self._fit_t0, ev.step - self._fit_s0
        if done > 0 and elapsed > 0:
            rate = done / elapsed
            # this training's steps, plus the trainings still to come (k-fold), of about the same length
            left = ((ev.total_steps - ev.step) + (ev.fits - ev.fit - 1) * ev.total_steps) / rate
            self.eta_label.setText(self.tr("{0:.1f} steps/s · about {1} left").format(rate, fmt_duration(left)))
