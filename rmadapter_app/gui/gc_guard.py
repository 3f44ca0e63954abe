"""Python's cyclic garbage collector runs in the GUI thread only.

Left automatic, the collector runs in whichever thread happens to allocate past its threshold; when
that is a job's worker thread (training, labeling) and the garbage holds a Qt object (a closed
dialog's or window's wrapper in a reference cycle), the Qt destructor runs on the worker and
PySide's GIL handling deadlocks against the GUI thread: the app freezes for good (seen in the test
suite: worker in ``gc_collect_main`` -> ``~QObject`` waiting for the GIL, GUI thread in
``~QObject`` waiting for Qt's mutex). pyqtgraph's ``GarbageCollector`` turns automatic collection
off and collects on a GUI-thread timer instead, with the same generation thresholds.

pyqtgraph's ``LabelItem`` (plot titles, legend entries) answers Qt's size queries from an attribute
its ``__init__`` sets late; when Qt asks while the Python side is not built yet or already cleared by
the collector, the override raised AttributeError inside Qt (seen: a GUI test failing once in about
four full runs, "'LabelItem' object has no attribute '_sizeHint'"; in the app it would reach the
error dialog). :func:`collect_in_gui_thread` also makes it answer an empty size then.
"""
from __future__ import annotations

import gc

_keeper: list = []


def collect_in_gui_thread(interval_s: float = 1.0):
    """Collect cyclic garbage on a GUI-thread timer from now on (idempotent); needs a QApplication."""
    if _keeper:
        return _keeper[0]
    from pyqtgraph.util.garbage_collector import GarbageCollector

    _label_items_answer_when_half_built()

    _keeper.append(GarbageCollector(interval=interval_s))
    return _keeper[0]


def restore_automatic() -> None:
    """Undo :func:`collect_in_gui_thread` (tests, and a QApplication about to go away)."""
    while _keeper:
        _keeper.pop().timer.stop()
    gc.enable()


def _label_items_answer_when_half_built() -> None:
    """``LabelItem.sizeHint`` answers an empty size, as it does for a hint it has no entry for, when
    its cache is not there (idempotent)."""
    import pyqtgraph as pg
    from PySide6.QtCore import QSizeF

    original = pg.LabelItem.sizeHint
    if getattr(original, "tolerates_half_built", False):
        return

    def size_hint(self, hint, constraint):
        if "_sizeHint" not in self.__dict__:        # being built, or cleared by the collector
            return QSizeF(0, 0)
        return original(self, hint, constraint)
    size_hint.tolerates_half_built = True
    pg.LabelItem.sizeHint = size_hint
