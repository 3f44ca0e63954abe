"""Python's cyclic garbage collector runs in the GUI thread only.

Left automatic, the collector runs in whichever thread happens to allocate past its threshold; when
that is a job's worker thread (training, labeling) and the garbage holds a Qt object (a closed
dialog's or window's wrapper in a reference cycle), the Qt destructor runs on the worker and
PySide's GIL handling deadlocks against the GUI thread: the app freezes for good (seen in the test
suite: worker in ``gc_collect_main`` -> ``~QObject`` waiting for the GIL, GUI thread in
``~QObject`` waiting for Qt's mutex). pyqtgraph's ``GarbageCollector`` turns automatic collection
off and collects on a GUI-thread timer instead, with the same generation thresholds.
"""
from __future__ import annotations

import gc

_keeper: list = []


def collect_in_gui_thread(interval_s: float = 1.0):
    """Collect cyclic garbage on a GUI-thread timer from now on (idempotent); needs a QApplication."""
    if _keeper:
        return _keeper[0]
    from pyqtgraph.util.garbage_collector import GarbageCollector

    _keeper.append(GarbageCollector(interval=interval_s))
    return _keeper[0]


def restore_automatic() -> None:
    """Undo :func:`collect_in_gui_thread` (tests, and a QApplication about to go away)."""
    while _keeper:
        _keeper.pop().timer.stop()
    gc.enable()
