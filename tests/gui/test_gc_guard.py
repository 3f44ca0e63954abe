"""Cyclic garbage holding Qt objects is collected in the GUI thread, never on a job's worker thread."""
from __future__ import annotations

import gc
import threading
import weakref

import pytest

pytest.importorskip("PySide6")


def test_a_worker_allocating_never_collects_qt_garbage_the_gui_timer_does(qtbot):
    from PySide6.QtWidgets import QWidget

    from rmadapter_app.gui.gc_guard import collect_in_gui_thread
    collect_in_gui_thread()                          # as app.main does (idempotent)
    assert not gc.isenabled()
    collected_in = []
    widget = QWidget()
    widget.cycle = widget                            # only the cyclic collector can free it
    weakref.finalize(widget, lambda: collected_in.append(threading.current_thread().name))
    del widget

    def allocate():                                  # far past every generation's threshold
        junk = []
        for i in range(200_000):
            a = [i]
            a.append(a)
            junk.append(a)
            if len(junk) > 1000:
                junk.clear()
    worker = threading.Thread(target=allocate, name="worker")
    worker.start()
    worker.join()
    assert collected_in == []                        # the worker did not collect it
    qtbot.waitUntil(lambda: collected_in != [], timeout=5000)
    assert collected_in == [threading.main_thread().name]

