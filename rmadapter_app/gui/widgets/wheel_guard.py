"""The scroll wheel never changes a setting the user has not clicked into.

Scrolling a page of settings with the wheel used to change whichever combo box, spin box or slider
passed under the pointer ("Name clash" went from Rename to Skip). :func:`install` puts one event
filter on the application, so it covers every window and every widget, including those created
later:

* a combo box, spin box or slider (not a scroll bar) no longer takes the keyboard focus from the
  wheel (its focus policy loses the wheel bit when it is first polished), and
* a wheel event over one of them that does not have the focus is refused: Qt then hands it to the
  parent, so the page around it scrolls as if the box were not there.

Once the user clicks into the box (or tabs to it), the wheel changes it as before.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractSlider, QAbstractSpinBox, QApplication, QComboBox, QScrollBar, QWidget

__all__ = ["WheelGuard", "install", "installed", "is_guarded"]

_GUARDED = (QComboBox, QAbstractSpinBox, QAbstractSlider)
_WHEEL = QEvent.Type.Wheel
_POLISH = QEvent.Type.Polish
_OBJECT_NAME = "rmadapter-wheel-guard"


def is_guarded(widget: QObject) -> bool:
    """True for the widgets whose value a stray wheel would change: combo boxes, spin boxes, sliders."""
    return isinstance(widget, _GUARDED) and not isinstance(widget, QScrollBar)


def _has_focus(widget: QWidget) -> bool:
    if widget.hasFocus():
        return True
    focus = QApplication.focusWidget()
    return focus is not None and widget.isAncestorOf(focus)


def _drop_wheel_focus(widget: QWidget) -> None:
    """Click or Tab still focus the widget; the wheel no longer does (Qt's WheelFocus = Strong + wheel)."""
    if widget.focusPolicy() == Qt.FocusPolicy.WheelFocus:
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)


class WheelGuard(QObject):
    """The application-wide event filter (see the module docstring). Counts the wheels it refused."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.setObjectName(_OBJECT_NAME)
        self.refused = 0

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if kind == _WHEEL:
            if is_guarded(obj) and not _has_focus(obj):
                event.ignore()            # refused here: Qt passes it on to the parent (the page scrolls)
                self.refused += 1
                return True
        elif kind == _POLISH and is_guarded(obj):
            _drop_wheel_focus(obj)
        return False


def installed(app: QApplication | None = None) -> WheelGuard | None:
    """The guard installed on ``app`` (default: the running application), or None."""
    app = app or QApplication.instance()
    return app.findChild(WheelGuard, _OBJECT_NAME) if app is not None else None


def install(app: QApplication | None = None) -> WheelGuard:
    """Install the guard on ``app`` (default: the running application) once; returns it.

    Widgets that exist already are fixed at once; later ones when Qt first polishes them.
    """
    app = app or QApplication.instance()
    if app is None:
        raise RuntimeError("create the QApplication before installing the wheel guard")
    guard = installed(app)
    if guard is None:
        guard = WheelGuard(app)
        app.installEventFilter(guard)
    for widget in QApplication.allWidgets():
        if is_guarded(widget):
            _drop_wheel_focus(widget)
    return guard
