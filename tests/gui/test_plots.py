"""LossPlot / AccuracyPlot: one curve per loss key, throttled redraw, log scale with zero terms, themes."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

pytestmark = pytest.mark.gui


def test_loss_plot_curves_flush_log_and_clear(qtbot):
    from rmadapter_app.gui.widgets.loss_plot import LossPlot

    plot = LossPlot()
    qtbot.addWidget(plot)
    for step in range(1, 51):
        plot.append(step, {"ce": 1.0 / step, "consistency": 0.0, "recon_v": 2.0, "recon_t": 1.5, "total": 5.0 / step})
    assert plot.point_count("total") == 0                 # drawn on the timer, not per step
    with qtbot.waitSignal(plot._timer.timeout, timeout=5000):
        pass
    assert plot.point_count("total") == 50
    assert plot.keys() == ["ce", "consistency", "recon_v", "recon_t", "total"]
    plot.set_log_y(True)                                   # a zero-valued term must not break log mode
    assert plot.log_box.isChecked()
    _, ys = plot._curves["consistency"].getData()
    assert ys is not None and len(ys) == 50
    plot.clear()
    assert plot.point_count("total") == 0
    plot.append(1, {"total": 1.0})
    plot.flush()
    assert plot.point_count("total") == 1


def test_accuracy_plot_zero_shot_line_and_fold_mean(qtbot):
    from rmadapter_app.gui.widgets.loss_plot import AccuracyPlot

    plot = AccuracyPlot()
    qtbot.addWidget(plot)
    assert plot.zero_shot() is None
    plot.set_zero_shot(0.4)
    assert plot.zero_shot() == pytest.approx(0.4)
    assert "0.40" in plot.zero_line.label.toPlainText()
    plot.add_epoch(1, 0.5, None, fold=None)
    plot.add_epoch(1, 0.6, 0.5, fold=0)
    plot.add_epoch(1, 0.7, 1.0, fold=1)
    _, ys = plot.val_curve.getData()
    assert list(ys) == [pytest.approx(0.75)]
    assert plot.point_counts() == (1, 1)


def test_plots_follow_the_palette(qtbot):
    from PySide6.QtGui import QColor, QPalette

    from rmadapter_app.gui.widgets.loss_plot import LossPlot

    plot = LossPlot()
    qtbot.addWidget(plot)
    dark = QPalette(plot.palette())
    dark.setColor(QPalette.ColorRole.Base, QColor("#202124"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#e8eaed"))
    plot.setPalette(dark)
    assert plot.plot.backgroundBrush().color().name() == "#202124"
    assert plot.plot.getAxis("left").textPen().color().name() == "#e8eaed"



def test_a_legend_entry_taken_out_is_destroyed_at_once_not_left_to_the_garbage_collector(qtbot):
    """Left to the collector, a removed entry's label had its Python side cleared before Qt destroyed it,
    and Qt's size query then failed inside a later test ('LabelItem' object has no attribute '_sizeHint')."""
    import shiboken6

    from rmadapter_app.gui.widgets.loss_plot import LossPlot

    plot = LossPlot()
    qtbot.addWidget(plot)
    for step in range(1, 4):
        plot.append(step, {"ce": 1.0, "consistency": 0.1, "recon_v": 2.0, "recon_t": 1.0, "total": 4.0})
    plot.flush()
    plot.details_box.setChecked(True)
    shown = [part for entry in plot.legend.items for part in entry]
    assert len(shown) == 10
    plot.details_box.setChecked(False)                 # the entries are rebuilt: the old ones must be gone
    assert not any(shiboken6.isValid(part) for part in shown)
    assert len(plot.legend.items) == 2 and all(shiboken6.isValid(p) for e in plot.legend.items for p in e)
    assert plot.legend_names() == ["classification (left)", "total (right)"]
