"""Live training plots (pyqtgraph): loss terms per step and accuracy per epoch.

One PlotDataItem per series, created once; new points go into Python lists and reach the
curves through ``setData`` on a throttled timer, so thousands of steps cost little.
"""
from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, QTimer, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QVBoxLayout, QWidget

LOSS_KEYS = ("ce", "consistency", "recon_v", "recon_t", "total")
# Mid-tone colours: readable on white and on a dark window background.
COLOURS = {"ce": "#3b82f6", "consistency": "#f59e0b", "recon_v": "#10b981", "recon_t": "#a855f7",
           "total": "#ef4444", "train": "#3b82f6", "val": "#f59e0b", "zero_shot": "#8b8b8b"}
REDRAW_MS = 200
LOG_FLOOR = 1e-6


def _style_plot(plot: pg.PlotWidget, widget: QWidget) -> None:
    """Background and axes from the widget's palette (follows the light or dark theme)."""
    pal = widget.palette()
    plot.setBackground(pal.color(QPalette.ColorRole.Base))
    fg = pal.color(QPalette.ColorRole.Text)
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setPen(pg.mkPen(fg))
        axis.setTextPen(pg.mkPen(fg))


class _ThemedPlot(QWidget):
    """A QWidget holding one PlotWidget that restyles itself when the palette changes."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.plot = pg.PlotWidget(self)
        self.plot.showGrid(x=True, y=True, alpha=0.25)
        self.legend = self.plot.addLegend(offset=(-10, 10))
        _style_plot(self.plot, self)

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            _style_plot(self.plot, self)
        super().changeEvent(event)


class LossPlot(_ThemedPlot):
    """Each loss term (ce, consistency, recon_v, recon_t) and the total, per training step."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.plot.setLabel("bottom", self.tr("step"))
        self.plot.setLabel("left", self.tr("loss"))
        self.plot.setToolTip(self.tr("Training loss per step: the classification loss (ce), the "
                                     "consistency and reconstruction terms, and their weighted total."))
        self._x: list[float] = []
        self._y: dict[str, list[float]] = {}
        self._curves: dict[str, pg.PlotDataItem] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REDRAW_MS)
        self._timer.timeout.connect(self.flush)
        self.log_box = QCheckBox(self.tr("Log scale"), self)
        self.log_box.setToolTip(self.tr("Show the loss axis on a logarithmic scale."))
        self.log_box.toggled.connect(self.set_log_y)
        bar = QHBoxLayout()
        bar.addStretch(1)
        bar.addWidget(self.log_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        layout.addLayout(bar)

    def _curve(self, key: str) -> pg.PlotDataItem:
        if key not in self._curves:
            width = 2.5 if key == "total" else 1.5
            pen = pg.mkPen(COLOURS.get(key, "#888888"), width=width)
            self._curves[key] = self.plot.plot([], [], pen=pen, name=key)
        return self._curves[key]

    def append(self, x: float, losses: dict[str, float]) -> None:
        """Add one step's loss values (missing keys get NaN so the series stay aligned)."""
        n = len(self._x)
        self._x.append(float(x))
        for key in list(self._y) + [k for k in losses if k not in self._y]:
            series = self._y.setdefault(key, [math.nan] * n)
            value = losses.get(key)
            series.append(float(value) if value is not None else math.nan)
        if not self._timer.isActive():
            self._timer.start()

    @Slot()
    def flush(self) -> None:
        """Push the collected points to the curves now."""
        self._timer.stop()
        log = self.log_box.isChecked()
        keys = [k for k in LOSS_KEYS if k in self._y] + [k for k in self._y if k not in LOSS_KEYS]
        for key in keys:
            ys = self._y[key]
            if log:
                ys = [max(v, LOG_FLOOR) if v == v else v for v in ys]
            self._curve(key).setData(self._x, ys, connect="finite")

    @Slot(bool)
    def set_log_y(self, on: bool) -> None:
        """Logarithmic loss axis on or off."""
        if self.log_box.isChecked() != on:
            self.log_box.setChecked(on)
            return
        self.plot.getPlotItem().setLogMode(y=on)
        self.flush()

    def clear(self) -> None:
        """Forget every point (a new run starts)."""
        self._timer.stop()
        self._x.clear()
        self._y.clear()
        for curve in self._curves.values():
            curve.setData([], [])

    def point_count(self, key: str = "total") -> int:
        """How many points the curve for ``key`` currently draws."""
        curve = self._curves.get(key)
        if curve is None:
            return 0
        xs, _ = curve.getData()
        return 0 if xs is None else len(xs)

    def keys(self) -> list[str]:
        return list(self._curves)


class AccuracyPlot(_ThemedPlot):
    """Train and validation accuracy per epoch, and frozen CLIP's zero-shot accuracy as a dashed line.

    In cross-validation the validation curve is the mean over the folds finished so far.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.plot.setLabel("bottom", self.tr("epoch"))
        self.plot.setLabel("left", self.tr("accuracy"))
        self.plot.setYRange(0, 1.02)
        self.plot.setToolTip(self.tr("Accuracy per epoch on the training and validation images; the "
                                     "dashed line is frozen CLIP before training (zero-shot)."))
        self.train_curve = self.plot.plot([], [], pen=pg.mkPen(COLOURS["train"], width=2), symbol="o",
                                          symbolSize=6, symbolBrush=COLOURS["train"], name=self.tr("train"))
        self.val_curve = self.plot.plot([], [], pen=pg.mkPen(COLOURS["val"], width=2), symbol="s",
                                        symbolSize=6, symbolBrush=COLOURS["val"], name=self.tr("validation"))
        self.zero_line = pg.InfiniteLine(angle=0, movable=False,
                                         pen=pg.mkPen(COLOURS["zero_shot"], width=1.5, style=Qt.PenStyle.DashLine),
                                         label=self.tr("zero-shot CLIP {value:.2f}"),
                                         labelOpts={"position": 0.6, "color": COLOURS["zero_shot"]})
        self.zero_line.setVisible(False)
        self.plot.addItem(self.zero_line)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        self.clear()

    def clear(self) -> None:
        self._train: dict[int, float] = {}
        self._val: dict[int, float] = {}
        self._fold_val: dict[int, list[float]] = {}
        self.zero_line.setVisible(False)
        self._redraw()

    def add_epoch(self, epoch: int, train_accuracy: float | None, val_accuracy: float | None,
                  fold: int | None = None) -> None:
        """One epoch's accuracies; fold epochs feed the cross-validated mean."""
        if fold is None:
            if train_accuracy is not None:
                self._train[epoch] = float(train_accuracy)
            if val_accuracy is not None:
                self._val[epoch] = float(val_accuracy)
        elif val_accuracy is not None:
            self._fold_val.setdefault(epoch, []).append(float(val_accuracy))
        self._redraw()

    def set_zero_shot(self, accuracy: float | None) -> None:
        """Show (or hide, with None) the frozen-CLIP reference line."""
        if accuracy is None:
            self.zero_line.setVisible(False)
            return
        self.zero_line.setVisible(True)          # the label only updates while visible
        self.zero_line.setValue(float(accuracy))
        self.zero_line.label.valueChanged()

    def zero_shot(self) -> float | None:
        return float(self.zero_line.value()) if self.zero_line.isVisible() else None

    def _redraw(self) -> None:
        xs = sorted(self._train)
        self.train_curve.setData(xs, [self._train[x] for x in xs])
        val = dict(self._val)
        for epoch, accs in self._fold_val.items():
            if epoch not in val:
                val[epoch] = sum(accs) / len(accs)
        xv = sorted(val)
        self.val_curve.setData(xv, [val[x] for x in xv])

    def point_counts(self) -> tuple[int, int]:
        """(train points, validation points) drawn."""
        return len(self._train), len(self.val_curve.getData()[0] if self.val_curve.getData()[0] is not None else [])
