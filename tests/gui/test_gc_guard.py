"""Cyclic garbage holding Qt objects is collected in the GUI thread, never on a job's worker thread."""
from __future__ import annotations

import gc
import threading
import weakref

import pytest

pytest.importorskip("PySide6")

from tests.gui._train_fixtures import app_state, colour_project  # noqa: E402,F401


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



def test_quitting_waits_for_a_running_backbone_probe_and_skips_the_rest(qtbot, monkeypatch):
    """A probe thread still inside torch at interpreter exit aborts the process (seen: 'terminate
    called without an active exception' after the window closed); quitting waits for it instead."""
    import time

    from rmadapter_app.core.model.spec import BackboneSpec
    from rmadapter_app.gui import backbone_probe

    monkeypatch.setattr(backbone_probe, "_quitting", threading.Event())
    monkeypatch.setattr(backbone_probe, "_running", set())
    probed = []

    def slow_estimate(spec, *args):
        probed.append(spec.model_name)
        time.sleep(0.5)
        return backbone_probe.Estimate(spec, True)
    monkeypatch.setattr(backbone_probe, "estimate", slow_estimate)
    probe = backbone_probe.BackboneProbe()
    answers = []
    probe.ready.connect(answers.append)
    specs = [BackboneSpec(model_name=n, pretrained="openai") for n in ("ViT-B-32", "ViT-B-16", "ViT-L-14")]
    probe.request(specs, [0, 1], 2, None)
    qtbot.waitUntil(lambda: probed != [], timeout=5000)
    assert backbone_probe.finish_before_exit(10)
    assert not backbone_probe._running and probed == ["ViT-B-32"]      # the other two were never started
    qtbot.wait(100)
    assert answers == []                                               # nothing emitted to a closing app
    probe.request(specs, [0, 1], 2, None)                              # and nothing new starts
    assert not backbone_probe._running


def _drop_a_train_page_in_a_cycle(qtbot, app_state) -> None:
    from rmadapter_app.gui.train_view import TrainPage
    page = TrainPage(app_state)                    # a loss plot, an accuracy plot: pyqtgraph items
    page.show()
    qtbot.wait(50)
    page.cycle = page                              # only the cyclic collector can free it now


def test_a_page_freed_by_the_collector_is_destroyed_whole(qtbot, app_state):
    """Freed by a plain collection, a page's plots are destroyed by Qt after Python cleared their
    items ("'LabelItem' object has no attribute '_previousGeometry'" raised inside Qt, about one full
    GUI run in four); collect_safely destroys the C++ side first and nothing is raised."""
    from rmadapter_app.gui.gc_guard import collect_safely

    _drop_a_train_page_in_a_cycle(qtbot, app_state)
    with qtbot.capture_exceptions() as errors:
        assert collect_safely() > 0
        qtbot.wait(50)
    assert errors == []


def test_the_plain_collector_does_fail_on_the_same_page(qtbot, app_state):
    """The case above is a real hazard, not a case collect_safely is merely tuned to."""
    _drop_a_train_page_in_a_cycle(qtbot, app_state)
    with qtbot.capture_exceptions() as errors:
        gc.collect()
        qtbot.wait(50)
    assert any("LabelItem" in str(error[1]) for error in errors)


def test_collect_safely_frees_plain_garbage_and_leaves_gc_garbage_as_it_was():
    from rmadapter_app.gui.gc_guard import collect_safely

    gc.garbage.append("kept")
    try:
        class Node:
            pass
        node = Node()
        node.me = node
        ref = weakref.ref(node)
        del node
        assert collect_safely() >= 1
        assert ref() is None
        assert gc.garbage == ["kept"]
        assert gc.get_debug() == 0
    finally:
        gc.garbage.remove("kept")
