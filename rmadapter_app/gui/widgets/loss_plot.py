"""Live training plots (pyqtgraph): loss terms per step and accuracy per epoch.

One PlotDataItem per series, created once; new points go into Python lists and reach the
curves through ``setData`` on a throttled timer, so thousands of steps cost little.

The loss plot speaks to someone who has never seen a loss curve: by default it shows how wrong
the classifier still is on the training images ("classification", left axis) and the total the
training lowers (right axis, its own scale: the reconstruction terms can be a thousand times the
classification loss, which would flatten it on a shared axis). The terms behind the total are
behind "Details", named in words, with a tooltip each.
"""
from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, Qt, QTimer, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QVBoxLayout, QWidget

LOSS_KEYS = ("ce", "consistency", "recon_v", "recon_t", "total")
DETAIL_KEYS = ("consistency", "recon_v", "recon_t")       # behind "Details"
LEFT_KEYS = ("ce",)                                        # the rest share the right axis with the total
# Mid-tone colours: readable on white and on a dark window background.
COLOURS = {"ce": "#3b82f6", "consistency": "#f59e0b", "recon_v": "#10b981", "recon_t": "#a855f7",
           "total": "#ef4444", "train": "#3b82f6", "val": "#f59e0b", "zero_shot": "#8b8b8b"}
# what each term is called in the legend, and what it means (the core's keys never reach the user)
NAMES = {"ce": QT_TRANSLATE_NOOP("LossPlot", "classification"),
         "total": QT_TRANSLATE_NOOP("LossPlot", "total"),
         "consistency": QT_TRANSLATE_NOOP("LossPlot", "staying close to CLIP"),
         "recon_v": QT_TRANSLATE_NOOP("LossPlot", "image reconstruction"),
         "recon_t": QT_TRANSLATE_NOOP("LossPlot", "text reconstruction")}
EXPLAIN = {
    "ce": QT_TRANSLATE_NOOP("LossPlot", "Classification: how wrong the model still is about the training "
                                        "images. It should go down."),
    "total": QT_TRANSLATE_NOOP("LossPlot", "Total: everything training tries to lower, added up (right axis). "
                                           "It should go down."),
    "consistency": QT_TRANSLATE_NOOP("LossPlot", "Staying close to CLIP: how far the adapted model has moved "
                                                 "from the original CLIP. Keeping it small keeps what CLIP "
                                                 "already knows, such as classes named without images."),
    "recon_v": QT_TRANSLATE_NOOP("LossPlot", "Image reconstruction: how well the adapter can rebuild the "
                                             "image features it was given, so it keeps their information."),
    "recon_t": QT_TRANSLATE_NOOP("LossPlot", "Text reconstruction: the same for the class names' text "
                                             "features."),
}
REDRAW_MS = 200
LOG_FLOOR = 1e-6


def term_name(key: str) -> str:
    """The legend name of a loss term (its key when it is one this version does not know)."""
    return QCoreApplication.translate("LossPlot", NAMES[key]) if key in NAMES else key


def _style_plot(plot: pg.PlotWidget, widget: QWidget) -> None:
    """Background and axes from the widget's palette (follows the light or dark theme)."""
    pal = widget.palette()
    plot.setBackground(pal.color(QPalette.ColorRole.Base))
    fg = pal.color(QPalette.ColorRole.Text)
    for name in ("left", "bottom", "right"):
        axis = plot.getAxis(name)
        axis.setPen(pg.mkPen(fg))
        axis.setTextPen(pg.mkPen(fg))


def _remove_legend_entry(legend, curve) -> None:
    """Take ``curve``'s entry out of ``legend`` and destroy its sample and label at once.

    pyqtgraph's ``removeItem`` leaves them to Python's cyclic garbage collector (they sit in reference
    cycles), so they would linger until the next collection; deleted here, they go at once.
    """
    import shiboken6

    parts = [part for entry in legend.items if entry[0].item is curve for part in entry]
    legend.removeItem(curve)
    for part in parts:
        if shiboken6.isValid(part):
            shiboken6.delete(part)


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
    """The classification loss (left axis) and the total (right axis) per training step; the
    other terms (staying close to CLIP, image and text reconstruction) behind "Details"."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        item = self.plot.getPlotItem()
        item.setLabel("bottom", self.tr("training step"))
        item.setLabel("left", self.tr("classification"))
        item.showAxis("right")
        item.setLabel("right", self.tr("total"))
        self.right = pg.ViewBox()                        # the total's own scale
        item.scene().addItem(self.right)
        item.getAxis("right").linkToView(self.right)
        self.right.setXLink(item)
        item.vb.sigResized.connect(self._sync_views)
        self.plot.setToolTip("\n\n".join(QCoreApplication.translate("LossPlot", EXPLAIN[k])
                                          for k in ("ce", "total")))
        self._x: list[float] = []
        self._y: dict[str, list[float]] = {}
        self._curves: dict[str, pg.PlotDataItem] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REDRAW_MS)
        self._timer.timeout.connect(self.flush)
        self.details_box = QCheckBox(self.tr("Details"), self)
        self.details_box.setToolTip("\n\n".join(QCoreApplication.translate("LossPlot", EXPLAIN[k])
                                                 for k in DETAIL_KEYS))
        self.details_box.toggled.connect(self._on_details_toggled)
        self.log_box = QCheckBox(self.tr("Log scale"), self)
        self.log_box.setToolTip(self.tr("Show the loss axes on a logarithmic scale (small changes of small "
                                        "values become visible)."))
        self.log_box.toggled.connect(self.set_log_y)
        bar = QHBoxLayout()
        bar.addStretch(1)
        bar.addWidget(self.details_box)
        bar.addWidget(self.log_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        layout.addLayout(bar)

    @Slot()
    def _sync_views(self) -> None:
        vb = self.plot.getPlotItem().vb
        self.right.setGeometry(vb.sceneBoundingRect())
        self.right.linkedViewChanged(vb, self.right.XAxis)

    def _curve(self, key: str) -> pg.PlotDataItem:
        if key not in self._curves:
            width = 2.5 if key in ("total", "ce") else 1.5
            curve = pg.PlotDataItem([], [], pen=pg.mkPen(COLOURS.get(key, "#888888"), width=width))
            curve.setToolTip(QCoreApplication.translate("LossPlot", EXPLAIN[key]) if key in EXPLAIN else key)
            if key in LEFT_KEYS:
                self.plot.getPlotItem().addItem(curve)
            else:
                self.right.addItem(curve)
            curve.setLogMode(False, self.log_box.isChecked())
            self._curves[key] = curve
            self._show_curve(key)
        return self._curves[key]

    def _show_curve(self, key: str) -> None:
        """Show or hide a curve (and its legend entry) as the Details box says."""
        curve = self._curves[key]
        visible = key not in DETAIL_KEYS or self.details_box.isChecked()
        curve.setVisible(visible)
        _remove_legend_entry(self.legend, curve)
        if visible:
            axis = self.tr(" (left)") if key in LEFT_KEYS else self.tr(" (right)")
            self.legend.addItem(curve, term_name(key) + (axis if key in ("ce", "total") else ""))

    @Slot(bool)
    def _on_details_toggled(self, on: bool) -> None:
        for key in self._curves:
            self._show_curve(key)
        self.right.enableAutoRange(axis=pg.ViewBox.YAxis)   # x follows the left axis

    def legend_names(self) -> list[str]:
        """The names the legend shows now."""
        return [label.text for _, label in self.legend.items]

    def visible_keys(self) -> list[str]:
        return [k for k, c in self._curves.items() if c.isVisible()]

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
        self._sync_views()

    @Slot(bool)
    def set_log_y(self, on: bool) -> None:
        """Logarithmic loss axes on or off."""
        if self.log_box.isChecked() != on:
            self.log_box.setChecked(on)
            return
        item = self.plot.getPlotItem()
        item.setLogMode(y=on)
        item.getAxis("right").setLogMode(False, on)
        for curve in self._curves.values():
            curve.setLogMode(False, on)
        self.flush()
        self.right.enableAutoRange(axis=pg.ViewBox.YAxis)   # x follows the left axis

    def clear(self) -> None:
        """Forget every point (a new run starts)."""
        self._timer.stop()
        self._x.clear()
        self._y.clear()
        for curve in self._curves.values():
            curve.setData([], [])
        self.plot.getPlotItem().enableAutoRange()            # a zoom or pan of the last run is forgotten
        self.right.enableAutoRange(axis=pg.ViewBox.YAxis)

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
        self.plot.setLabel("bottom", self.tr("pass over the images (epoch)"))
        self.plot.setLabel("left", self.tr("share correct"))
        self.plot.setYRange(0, 1.02)
        self.plot.setToolTip(self.tr("How many images the model gets right after each pass over the images: "
                                     "on the images it trains on, and on images held back to check it. The "
                                     "dashed line is frozen CLIP: CLIP before any training. From the second "
                                     "pass on, it trains on randomly cropped and flipped copies of your "
                                     "images, which are harder, so the training curve may fall while the "
                                     "held-back one rises."))
        self.train_curve = self.plot.plot([], [], pen=pg.mkPen(COLOURS["train"], width=2), symbol="o",
                                          symbolSize=6, symbolBrush=COLOURS["train"], name=self.tr("training images"))
        self.val_curve = self.plot.plot([], [], pen=pg.mkPen(COLOURS["val"], width=2), symbol="s",
                                        symbolSize=6, symbolBrush=COLOURS["val"], name=self.tr("held-back images"))
        self.zero_line = pg.InfiniteLine(angle=0, movable=False,
                                         pen=pg.mkPen(COLOURS["zero_shot"], width=1.5, style=Qt.PenStyle.DashLine),
                                         label=self.tr("frozen CLIP {value:.2f}"),
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
