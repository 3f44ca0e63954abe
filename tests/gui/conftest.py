"""GUI test guard: a modal dialog that a test forgot to patch fails the test at once.

Without this, an unpatched QMessageBox or QFileDialog waits for a click that never comes on the
offscreen platform, and the test hangs until the timeout. Tests patch the app's own ask_*/show_*
helpers (gui/dialogs.py, gui/errors.py, page modules) instead.
"""
from __future__ import annotations

import pytest


class ModalDialogInTest(AssertionError):
    pass


def _refuse(name):
    def refuse(*_args, **_kwargs):
        raise ModalDialogInTest(f"a modal {name} opened during a test; patch the app's ask_*/show_* helper")
    return refuse


@pytest.fixture(autouse=True)
def _no_modal_dialogs(monkeypatch):
    from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox

    monkeypatch.setattr(QDialog, "exec", _refuse("QDialog"))
    monkeypatch.setattr(QMessageBox, "exec", _refuse("QMessageBox"))
    for name in ("information", "warning", "critical", "question", "about"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(_refuse(f"QMessageBox.{name}")))
    for name in ("getOpenFileName", "getOpenFileNames", "getSaveFileName", "getExistingDirectory"):
        monkeypatch.setattr(QFileDialog, name, staticmethod(_refuse(f"QFileDialog.{name}")))
    for name in ("getText", "getItem", "getInt", "getDouble"):
        monkeypatch.setattr(QInputDialog, name, staticmethod(_refuse(f"QInputDialog.{name}")))


@pytest.fixture(scope="session", autouse=True)
def _garbage_collected_in_the_gui_thread(qapp):
    """As the app does (gui/gc_guard.py): a worker thread never runs Qt destructors (a deadlock)."""
    from rmadapter_app.gui.gc_guard import collect_in_gui_thread, restore_automatic
    collect_in_gui_thread()
    yield
    restore_automatic()


def _destroy_leftovers() -> None:
    """Delete every window left over (its C++ side first, while its Python side is whole), then collect
    Python's cyclic garbage the app's way (gui/gc_guard.collect_safely). A plain collection clears the
    Python side of widgets that Qt still calls into while destroying them (pyqtgraph's overrides then
    fail inside the next test)."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication
    for widget in QApplication.topLevelWidgets():
        widget.deleteLater()
    for _ in range(3):                       # deleting a widget may post more deletions
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.processEvents()
    from rmadapter_app.gui.gc_guard import collect_safely
    collect_safely()


@pytest.fixture(autouse=True)
def _collect_around_each_test(qapp):
    """Windows are destroyed in the GUI thread while no job runs: before each test (what the previous
    one's fixtures still held when it ended) and after it (pytest-qt has closed its widgets)."""
    _destroy_leftovers()
    yield
    _destroy_leftovers()
