"""The confidence histogram (pyqtgraph) with a draggable threshold line."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QVBoxLayout, QWidget


class ConfidenceHistogram(QWidget):
    """Bars of top confidences with a draggable threshold line.

    Signals:
        thresholdDragged(float): the user dragged the line to a new threshold.
    """

    thresholdDragged = Signal(float)

    def __init__(self, parent: QWidget | None = None, bins: int = 20):
        super().__init__(parent)
        self.bins = bins
        self.plot = pg.PlotWidget(self)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setLabel("bottom", self.tr("top confidence"))
        self.plot.setLabel("left", self.tr("images"))
        self.plot.setXRange(0, 1, padding=0.02)
        self.plot.setToolTip(self.tr("How sure the classifier is about each image. Images left of the line "
                                     "go to the Uncertain folder; drag the line or use the slider."))
        pal = self.palette()
        self.plot.setBackground(pal.color(QPalette.ColorRole.Base))
        self.bars = pg.BarGraphItem(x=[], height=[], width=1.0 / bins * 0.9, brush="#3b82f6")
        self.plot.addItem(self.bars)
        self.line = pg.InfiniteLine(pos=0.0, angle=90, movable=True, pen=pg.mkPen("#ef4444", width=2),
                                    bounds=(0.0, 1.0))
        self.plot.addItem(self.line)
        self.line.sigPositionChanged.connect(self._on_line_moved)
        self._setting = False
        self._counts = np.zeros(bins, dtype=np.int64)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)

    def set_confidences(self, confidences) -> None:
        from rmadapter_app.core.label.plan import confidence_histogram
        edges, counts = confidence_histogram(confidences, self.bins)
        self._counts = counts
        centers = (edges[:-1] + edges[1:]) / 2
        self.bars.setOpts(x=centers, height=counts, width=(edges[1] - edges[0]) * 0.9)
        self.plot.setYRange(0, max(1, int(counts.max()) if len(counts) else 1) * 1.1, padding=0)

    def counts(self) -> np.ndarray:
        return self._counts.copy()

    def set_threshold(self, value: float) -> None:
        self._setting = True
        try:
            self.line.setValue(float(value))
        finally:
            self._setting = False

    @Slot(object)
    def _on_line_moved(self, _line) -> None:
        if not self._setting:
            self.thresholdDragged.emit(float(self.line.value()))
