"""Python's cyclic garbage collector runs in the GUI thread only, and destroys Qt objects whole.

Left automatic, the collector runs in whichever thread happens to allocate past its threshold; when
that is a job's worker thread (training, labeling) and the garbage holds a Qt object (a closed
dialog's or window's wrapper in a reference cycle), the Qt destructor runs on the worker and
PySide's GIL handling deadlocks against the GUI thread: the app freezes for good (seen in the test
suite: worker in ``gc_collect_main`` -> ``~QObject`` waiting for the GIL, GUI thread in
``~QObject`` waiting for Qt's mutex). :func:`collect_in_gui_thread` turns automatic collection off
and collects on a GUI-thread timer instead, with the same generation thresholds (as pyqtgraph's
``GarbageCollector`` does).

Second hazard, same collector: it first clears the Python side of everything in a cycle (instance
dictionaries emptied) and only then frees the wrappers. A widget the cycle owns is then destroyed by
Qt with its children's Python side already empty, and Qt calls their Python overrides on the way
(pyqtgraph's ``LabelItem.boundingRect``/``resizeEvent``: "'LabelItem' object has no attribute
'_previousGeometry'", raised inside Qt; seen failing GUI tests about once in four full runs, and
reproduced every time by dropping a Train page in a cycle). :func:`collect_safely` collects with
``gc.DEBUG_SAVEALL`` so that nothing is cleared yet, destroys the C++ side of every Qt object the
garbage owns while its Python side is whole, then lets the collector free the rest.
"""
from __future__ import annotations

import gc

_keeper: list = []


def collect_safely(generation: int = 2) -> int:
    """``gc.collect(generation)``, with Qt objects owned by the garbage destroyed before Python clears
    them. Returns the number of unreachable objects found. Call it in the GUI thread."""
    import shiboken6

    debug = gc.get_debug()
    before = len(gc.garbage)
    gc.set_debug(debug | gc.DEBUG_SAVEALL)
    try:
        found = gc.collect(generation)
    finally:
        gc.set_debug(debug)
    garbage = gc.garbage[before:]
    del gc.garbage[before:]
    if not garbage:
        return found
    for obj in garbage:
        # Python-owned: what freeing the wrapper would destroy anyway (its children go with it).
        if isinstance(obj, shiboken6.Object) and shiboken6.isValid(obj) and shiboken6.ownedByPython(obj):
            shiboken6.delete(obj)
    del garbage, obj
    gc.collect(min(generation + 1, 2))          # the saved objects were moved one generation up
    return found


class _GuiThreadCollector:
    """Collects on a GUI-thread timer when a generation's allocation count passes its threshold."""

    def __init__(self, interval_s: float):
        from PySide6.QtCore import QTimer

        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer()
        self.timer.timeout.connect(self.check)
        self.timer.start(int(interval_s * 1000))

    def check(self) -> None:
        counts = gc.get_count()
        generation = -1
        for gen in range(3):                     # gen 1 only when gen 0 is due, as the collector does
            if counts[gen] <= self.threshold[gen]:
                break
            generation = gen
        if generation >= 0:
            collect_safely(generation)


def collect_in_gui_thread(interval_s: float = 1.0):
    """Collect cyclic garbage on a GUI-thread timer from now on (idempotent); needs a QApplication."""
    if not _keeper:
        _keeper.append(_GuiThreadCollector(interval_s))
    return _keeper[0]


def restore_automatic() -> None:
    """Undo :func:`collect_in_gui_thread` (tests, and a QApplication about to go away)."""
    while _keeper:
        _keeper.pop().timer.stop()
    gc.enable()
