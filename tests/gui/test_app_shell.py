"""The window shell: reopening projects, menus reaching the pages, closing with a job, theme, errors, logging."""
from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QPalette, QStyleHints  # noqa: E402

from rmadapter_app.core import paths  # noqa: E402
from rmadapter_app.core.project import recent  # noqa: E402
from rmadapter_app.core.errors import ProjectError  # noqa: E402
from rmadapter_app.core.project.project import Project  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.fixture
def error_boxes(monkeypatch):
    from rmadapter_app.gui import errors
    shown = []
    monkeypatch.setattr(errors, "_present", lambda box: shown.append((box.windowTitle(), box.text(),
                                                                       box.informativeText(), box.detailedText())))
    return shown


def test_window_reopens_last_project_and_asks_before_closing_a_job(qtbot, monkeypatch, error_boxes, tmp_path):
    from rmadapter_app.gui import main_window, project_view
    win = main_window.MainWindow(restore_last=False, probe_device=False)
    qtbot.addWidget(win)
    monkeypatch.setattr(project_view, "ask_text", lambda *a: "")     # the new project's name left empty
    win.project_page.add_class("cat")
    folder = win.state.project.folder
    assert recent.recent_projects()[0] == folder.resolve()
    assert win.windowTitle().startswith("Untitled")
    win.undo()                                              # Edit > Undo reaches the project
    assert win.state.project.class_names() == []

    other = Project.create("Other", tmp_path)
    assert win.open_project(other.folder)
    win._fill_recent_menu()
    actions = [a for a in win.recent_menu.actions() if a.data()]
    assert [Path(a.data()) for a in actions] == [other.folder.resolve(), folder.resolve()]
    win._on_recent_menu_triggered(actions[1])               # File > Open recent
    assert win.state.project.folder == folder.resolve()

    win2 = main_window.MainWindow(probe_device=False)       # a new start reopens the last project
    qtbot.addWidget(win2)
    assert win2.state.project is not None and win2.state.project.folder == folder.resolve()

    # closing while a job runs asks first; "no" keeps it running, "yes" stops it and closes
    answers = iter([False, True])
    monkeypatch.setattr(main_window, "ask_stop_job", lambda parent, name: next(answers))
    stopped = []

    def job(on_event, should_stop):
        while not should_stop():
            time.sleep(0.01)
        stopped.append(True)
        return None

    win.show()
    assert win.state.jobs.start("long job", job)
    assert not win.close() and win.state.jobs.busy()
    assert win.close()
    assert stopped == [True] and not win.state.jobs.busy()
    assert not error_boxes


def test_menu_actions_reach_the_pages(qtbot, error_boxes, image_tree, monkeypatch):
    from rmadapter_app.gui import main_window, project_view
    win = main_window.MainWindow(restore_last=False, probe_device=False)
    qtbot.addWidget(win)
    assert [win.sidebar.item(i).text() for i in range(win.sidebar.count())] == \
        ["Project", "Train", "Results", "Try it", "Label"]
    shortcuts = {a.text().replace("&", ""): a.shortcut().toString() for m in win.menuBar().findChildren(type(
        win.recent_menu)) for a in m.actions()}
    assert shortcuts["Import folder of class folders…"] == "Ctrl+I"
    assert shortcuts["Train"] == "Ctrl+Return" and shortcuts["Stop"] == "Esc"
    assert shortcuts["Add class"] == "Ctrl+Shift+N" and shortcuts["Open adapter…"] == "Ctrl+Shift+O"
    monkeypatch.setattr(project_view, "ask_folder", lambda parent, title: image_tree)
    monkeypatch.setattr(project_view, "ask_text", lambda *a, **k: "")   # the new project's name left empty
    with qtbot.waitSignal(win.project_page.addFinished, timeout=60000):
        win.import_folder()                                  # File > Import folder of class folders
    assert win.state.project.class_names() == ["blue", "green", "red"]
    assert win.undo_action.isEnabled() and "Import" in win.undo_action.text()
    monkeypatch.setattr(project_view, "ask_text", lambda *a, **k: "Birds")
    win.new_project()                                        # File > New project
    assert win.state.project.folder == paths.projects_dir() / "Birds"
    assert win.windowTitle().startswith("Birds")
    win.new_project()                                        # the same name again: refused in words
    assert error_boxes and "not empty" in error_boxes[-1][1]


def test_open_damaged_project_shows_the_reason(qtbot, error_boxes, tmp_path):
    from rmadapter_app.gui.main_window import MainWindow
    p = Project.create("Broken", tmp_path)
    (p.folder / "project.json").write_text("{")
    win = MainWindow(restore_last=False, probe_device=False)
    qtbot.addWidget(win)
    assert not win.open_project(p.folder)
    title, text, info, _ = error_boxes[-1]
    assert "damaged" in text and "log" in info
    assert win.state.project is None


def test_theme_follows_the_os_colour_scheme(monkeypatch, qapp):
    from rmadapter_app import app as app_mod
    saved = qapp.palette()
    try:
        monkeypatch.setattr(QStyleHints, "colorScheme", lambda self: Qt.ColorScheme.Dark)
        app_mod.apply_theme(qapp)
        assert qapp.style().name().lower() == "fusion"
        window = qapp.palette().color(QPalette.ColorRole.Window)
        text = qapp.palette().color(QPalette.ColorRole.WindowText)
        assert window.lightness() < 100 < text.lightness()
        monkeypatch.setattr(QStyleHints, "colorScheme", lambda self: Qt.ColorScheme.Light)
        app_mod.apply_theme(qapp)
        assert qapp.palette().color(QPalette.ColorRole.Window).lightness() > 150
    finally:
        qapp.setPalette(saved)


def test_logging_and_unhandled_errors_reach_the_user(error_boxes, qapp):
    from rmadapter_app import app as app_mod
    from rmadapter_app.gui import errors
    log = errors.setup_logging()
    assert log.parent == paths.log_dir() and errors.setup_logging() == log     # idempotent
    try:
        raise ProjectError("The project folder is read-only.")
    except ProjectError:
        app_mod._excepthook(*sys.exc_info())
    try:
        raise ZeroDivisionError("boom")
    except ZeroDivisionError:
        app_mod._excepthook(*sys.exc_info())
    assert error_boxes[0][1] == "The project folder is read-only."
    assert "ZeroDivisionError" in error_boxes[1][1] and "boom" in error_boxes[1][3]   # details folded away
    for h in logging.getLogger("rmadapter_app").handlers:
        h.flush()
    text = log.read_text(encoding="utf-8")
    assert "read-only" in text and "ZeroDivisionError: boom" in text


def test_app_icon_and_desktop_file_exist():
    root = Path(__file__).resolve().parents[2]
    from rmadapter_app.gui.main_window import window_icon
    assert not window_icon().isNull()
    assert (root / "resources" / "icons" / "app.png").is_file()
    desktop = (root / "resources" / "rmadapter-studio.desktop").read_text()
    assert "Exec=rmadapter-studio" in desktop and "Type=Application" in desktop
