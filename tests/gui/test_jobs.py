"""JobRunner: one job at a time, exactly one terminal callback on the GUI thread, stop, coalescing."""
from __future__ import annotations

import threading
from typing import ClassVar

import pytest

pytest.importorskip("PySide6")

from rmadapter_app.core.errors import CancelledError, DatasetError  # noqa: E402
from rmadapter_app.core.events import ProgressEvent, StatusEvent, StepEvent  # noqa: E402

pytestmark = pytest.mark.gui


class Recorder:
    """Collects callbacks and the thread each ran on."""

    def __init__(self):
        self.events, self.done, self.failed, self.threads = [], [], [], set()

    def on_event(self, ev):
        self.threads.add(threading.get_ident())
        self.events.append(ev)

    def on_done(self, result):
        self.threads.add(threading.get_ident())
        self.done.append(result)

    def on_failed(self, message, details):
        self.threads.add(threading.get_ident())
        self.failed.append((message, details))

    def kwargs(self):
        return dict(on_event=self.on_event, on_done=self.on_done, on_failed=self.on_failed)


@pytest.fixture
def runner(qtbot):
    from rmadapter_app.gui.jobs import JobRunner
    r = JobRunner()
    yield r
    r.stop()
    assert r.wait_idle(30000)


def test_refuses_second_job_and_delivers_one_terminal_callback(runner, qtbot):
    gate = threading.Event()
    rec, rec2 = Recorder(), Recorder()

    def job(on_event, should_stop):
        gate.wait(10)
        on_event(StatusEvent("working"))
        return 42

    with qtbot.waitSignal(runner.busyChanged) as blocker:
        assert runner.start("first", job, **rec.kwargs())
    assert blocker.args == [True]
    assert runner.busy() and runner.current() == "first"
    assert not runner.start("second", job, **rec2.kwargs())
    gate.set()
    assert runner.wait_idle()
    assert rec.done == [42] and rec.failed == []
    assert [e.text for e in rec.events] == ["working"]
    assert rec.threads == {threading.get_ident()}          # callbacks ran on the GUI thread
    assert rec2.done == rec2.failed == rec2.events == []   # the refused job never ran
    assert not runner.busy() and runner.current() is None
    # once idle, a new job is accepted
    assert runner.start("third", lambda on_event, should_stop: "ok", **rec2.kwargs())
    assert runner.wait_idle()
    assert rec2.done == ["ok"] and rec.done == [42]


def test_stop_gives_stopped_message(runner):
    rec = Recorder()
    started = threading.Event()

    def job(on_event, should_stop):
        started.set()
        while not should_stop():
            threading.Event().wait(0.005)
        raise CancelledError("cancelled by the user")

    assert runner.start("loop", job, **rec.kwargs())
    assert started.wait(10)
    runner.stop()
    assert runner.wait_idle()
    assert rec.done == [] and len(rec.failed) == 1
    assert rec.failed[0][0] == "Stopped."


def test_errors_become_messages(runner):
    rec = Recorder()

    def own_error(on_event, should_stop):
        raise DatasetError("Training needs at least two classes.")

    assert runner.start("a", own_error, **rec.kwargs())
    assert runner.wait_idle()
    assert rec.failed == [("Training needs at least two classes.", "")]

    rec2 = Recorder()

    def bug(on_event, should_stop):
        raise ZeroDivisionError("division by zero")

    assert runner.start("b", bug, **rec2.kwargs())
    assert runner.wait_idle()
    assert rec2.done == [] and len(rec2.failed) == 1
    message, details = rec2.failed[0]
    assert "ZeroDivisionError" in message and "log file" in message
    assert "Traceback" in details and "bug" in details


def test_frequent_events_are_coalesced_and_last_delivered(runner):
    rec = Recorder()

    def job(on_event, should_stop):
        for i in range(1, 2001):
            on_event(StepEvent(i, 2000, 1, {"total": 1.0 / i}, 0.1))
        on_event(StatusEvent("between"))
        for i in range(1, 501):
            on_event(ProgressEvent("Caching", i, 500))
        return "end"

    assert runner.start("steps", job, throttle_s=10.0, **rec.kwargs())
    assert runner.wait_idle()
    steps = [e for e in rec.events if isinstance(e, StepEvent)]
    progress = [e for e in rec.events if isinstance(e, ProgressEvent)]
    assert 1 <= len(steps) <= 3 and steps[-1].step == 2000
    assert 1 <= len(progress) <= 3 and progress[-1].done == 500
    # order is kept: the last step comes before the status event, which comes before progress
    kinds = [type(e).__name__ for e in rec.events]
    assert kinds.index("StatusEvent") > max(i for i, k in enumerate(kinds) if k == "StepEvent")
    assert kinds.index("StatusEvent") < min(i for i, k in enumerate(kinds) if k == "ProgressEvent")
    assert rec.done == ["end"]


def test_done_callback_may_start_the_next_job(runner):
    order = []

    def second_done(result):
        order.append(result)

    def first_done(result):
        order.append(result)
        assert not runner.busy()
        assert runner.start("next", lambda on_event, should_stop: "second", on_done=second_done)

    assert runner.start("first", lambda on_event, should_stop: "first", on_done=first_done)
    assert runner.wait_idle()
    assert order == ["first", "second"]


def test_every_high_rate_event_type_is_coalesced_by_type(runner):
    """Steps, progress, labeling progress and download bytes: each type thinned, each type's last kept."""
    from dataclasses import dataclass

    from rmadapter_app.core.events import DownloadEvent, LabelProgressEvent

    @dataclass(frozen=True)
    class PluginTick:                     # a name no list knows: throttled because it says so
        # (ClassVar is imported at the top: dataclasses reads string annotations in the module's names)
        throttle: ClassVar[bool] = True
        n: int

    @dataclass(frozen=True)
    class StepEventLookalike:             # not throttled, whatever its name says
        n: int
    StepEventLookalike.__name__ = "StepEvent"

    bursts = {
        StepEvent: lambda i: StepEvent(i, 300, 1, {"total": 1.0}, 0.1),
        ProgressEvent: lambda i: ProgressEvent("Caching", i, 300),
        LabelProgressEvent: lambda i: LabelProgressEvent("Labeling", i, 300, images_per_s=50.0),
        DownloadEvent: lambda i: DownloadEvent("open_clip_model.safetensors", i, 300),
        PluginTick: lambda i: PluginTick(i),
    }
    rec = Recorder()

    def job(on_event, should_stop):
        for make in bursts.values():
            for i in range(1, 301):
                on_event(make(i))
            on_event(StatusEvent("burst over"))
        for i in range(1, 51):
            on_event(StepEventLookalike(i))
        return "end"

    assert runner.start("bursts", job, throttle_s=10.0, **rec.kwargs())
    assert runner.wait_idle()
    for kind, make in bursts.items():
        got = [e for e in rec.events if type(e) is kind]
        assert 1 <= len(got) <= 3, (kind.__name__, len(got))
        assert got[-1] == make(300)                     # the last of each burst always arrives
    assert [e.text for e in rec.events if isinstance(e, StatusEvent)] == ["burst over"] * len(bursts)
    assert [e.n for e in rec.events if type(e) is StepEventLookalike] == list(range(1, 51))
    assert rec.done == ["end"]


def test_the_core_marks_its_high_rate_events():
    from rmadapter_app.core import events as E

    fast = [E.StepEvent, E.ProgressEvent, E.LabelProgressEvent, E.DownloadEvent]
    slow = [E.StatusEvent, E.DeviceEvent, E.ZeroShotEvent, E.EpochEvent, E.FoldEvent, E.DoneEvent]
    assert all(k.throttle is True for k in fast)
    assert not any(getattr(k, "throttle", False) for k in slow)


def test_the_label_page_has_no_throttle_of_its_own():
    """Labeling progress goes straight to the job runner (it used to be thinned twice)."""
    import inspect

    from rmadapter_app.gui.label import worker_jobs

    assert "monotonic" not in inspect.getsource(worker_jobs)
