"""A Linux desktop without Qt's X11 libraries gets a sentence naming the packages, not Qt's abort."""
from __future__ import annotations

import sys

import pytest

from rmadapter_app import platform_check as pc

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")


def test_missing_xcb_cursor_names_the_package():
    msg = pc.startup_problem({"DISPLAY": ":0"}, loadable=lambda name: "cursor" not in name)
    assert "libxcb-cursor.so.0" in msg and "sudo apt install libxcb-cursor0" in msg
    assert "sudo dnf install xcb-util-cursor" in msg and "rmadapter --help" in msg


def test_nothing_missing_or_another_platform_is_fine():
    assert pc.startup_problem({"DISPLAY": ":0"}, loadable=lambda name: True) is None
    assert pc.startup_problem({"QT_QPA_PLATFORM": "offscreen"}, loadable=lambda name: False) is None
    assert pc.startup_problem({"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"},
                              loadable=lambda name: False) is None


def test_no_display_is_said_plainly():
    assert "no display was found" in pc.startup_problem({}, loadable=lambda name: True)


def test_the_app_exits_with_the_message_before_qt_starts(monkeypatch, capsys):
    from rmadapter_app import app

    monkeypatch.setattr(pc, "startup_problem", lambda: "cannot open its window: install libxcb-cursor0")
    assert app.main(["rmadapter-studio"]) == 1
    assert "libxcb-cursor0" in capsys.readouterr().err
