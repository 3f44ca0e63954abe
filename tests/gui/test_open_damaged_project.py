"""Opening a damaged project in the window: any failure is a plain message, never a crash (issue 8)."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from rmadapter_app.core.project import recent  # noqa: E402
from rmadapter_app.core.project.project import Project  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.fixture
def error_boxes(monkeypatch):
    from rmadapter_app.gui import errors
    shown = []
    monkeypatch.setattr(errors, "_present", lambda box: shown.append((box.windowTitle(), box.text())))
    return shown


def _raiser(exc):
    def open_(folder):
        raise exc
    return open_


@pytest.mark.parametrize("exc", [RecursionError("maximum recursion depth exceeded"), TypeError("bad type"),
                                 MemoryError(), ValueError("embedded null byte"), OSError(36, "File name too long")])
def test_any_error_from_open_is_a_message(qtbot, monkeypatch, error_boxes, tmp_path, exc):
    from rmadapter_app.gui import main_window
    p = Project.create("Broken", tmp_path)
    win = main_window.MainWindow(restore_last=False, probe_device=False)
    qtbot.addWidget(win)
    monkeypatch.setattr(main_window.Project, "open", staticmethod(_raiser(exc)))
    assert not win.open_project(p.folder)
    assert error_boxes and error_boxes[-1][0] == "Could not open the project"
    assert win.state.project is None


@pytest.mark.parametrize("exc", [RecursionError("deep"), TypeError("bad type"), MemoryError()])
def test_reopen_last_at_start_survives_any_error(qtbot, monkeypatch, error_boxes, tmp_path, exc):
    from rmadapter_app.gui import main_window
    p = Project.create("Broken", tmp_path)
    recent.add_recent(p.folder)
    monkeypatch.setattr(main_window.Project, "open", staticmethod(_raiser(exc)))
    win = main_window.MainWindow(probe_device=False)          # reopens the last project at start
    qtbot.addWidget(win)
    assert win.state.project is None and not error_boxes       # quiet: a status message only


def test_really_damaged_project_opens_to_a_message(qtbot, error_boxes, tmp_path):
    from rmadapter_app.gui.main_window import MainWindow
    p = Project.create("Deep", tmp_path)
    (p.folder / "project.json").write_text("[" * 100_000 + "]" * 100_000)
    win = MainWindow(restore_last=False, probe_device=False)
    qtbot.addWidget(win)
    assert not win.open_project(p.folder)
    assert "damaged" in error_boxes[-1][1]
