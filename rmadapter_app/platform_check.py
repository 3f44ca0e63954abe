"""Before Qt starts on Linux: are the system libraries its X11 (xcb) plugin needs there?

Without them Qt prints "could not load the Qt platform plugin xcb" and aborts, which tells a user
nothing they can act on. This checks first and names the packages to install. No Qt import here.
"""
from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable

# (shared library, Debian/Ubuntu package, Fedora package): what Qt 6's xcb plugin (libQt6XcbQpa) links
# against, as `ldd` lists it for PySide6 6.10; the first ones are those a fresh desktop most often lacks.
XCB_LIBRARIES = [
    ("libxcb-cursor.so.0", "libxcb-cursor0", "xcb-util-cursor"),
    ("libxcb-icccm.so.4", "libxcb-icccm4", "xcb-util-wm"),
    ("libxcb-keysyms.so.1", "libxcb-keysyms1", "xcb-util-keysyms"),
    ("libxcb-image.so.0", "libxcb-image0", "xcb-util-image"),
    ("libxcb-render-util.so.0", "libxcb-render-util0", "xcb-util-renderutil"),
    ("libxcb-util.so.1", "libxcb-util1", "xcb-util"),
    ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0", "libxkbcommon-x11"),
    ("libxkbcommon.so.0", "libxkbcommon0", "libxkbcommon"),
    ("libxcb-randr.so.0", "libxcb-randr0", "libxcb"),
    ("libxcb-shape.so.0", "libxcb-shape0", "libxcb"),
    ("libxcb-shm.so.0", "libxcb-shm0", "libxcb"),
    ("libxcb-sync.so.1", "libxcb-sync1", "libxcb"),
    ("libxcb-xfixes.so.0", "libxcb-xfixes0", "libxcb"),
    ("libxcb-xkb.so.1", "libxcb-xkb1", "libxcb"),
    ("libxcb-render.so.0", "libxcb-render0", "libxcb"),
    ("libX11-xcb.so.1", "libx11-xcb1", "libX11-xcb"),
    ("libxcb.so.1", "libxcb1", "libxcb"),
    ("libEGL.so.1", "libegl1", "libglvnd-egl"),
]


def _loadable(name: str) -> bool:
    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True


def uses_xcb(env: dict[str, str] | None = None) -> bool:
    """True when Qt would pick its X11 plugin here (Linux, no Wayland session, no other platform asked for)."""
    env = os.environ if env is None else env
    if not sys.platform.startswith("linux"):
        return False
    platform = env.get("QT_QPA_PLATFORM", "")
    if platform:
        return platform.split(":")[0] == "xcb"
    return not (env.get("WAYLAND_DISPLAY") and env.get("XDG_SESSION_TYPE") == "wayland")


def missing_xcb_libraries(loadable: Callable[[str], bool] = _loadable) -> list[tuple[str, str, str]]:
    return [entry for entry in XCB_LIBRARIES if not loadable(entry[0])]


def startup_problem(env: dict[str, str] | None = None, loadable: Callable[[str], bool] = _loadable) -> str | None:
    """A message saying what to install (or that there is no screen), or None when Qt can start."""
    env = os.environ if env is None else env
    if not uses_xcb(env):
        return None
    if not env.get("DISPLAY"):
        return ("RMAdapter Studio needs a screen, and no display was found (DISPLAY is not set). Start it from "
                "your desktop session, or use the command line: rmadapter --help")
    missing = missing_xcb_libraries(loadable)
    if not missing:
        return None
    debian = " ".join(dict.fromkeys(m[1] for m in missing))
    fedora = " ".join(dict.fromkeys(m[2] for m in missing))
    names = ", ".join(m[0] for m in missing)
    return ("RMAdapter Studio cannot open its window: system libraries that Qt needs for X11 are missing "
            f"({names}).\nInstall them, then start it again:\n"
            f"  Debian/Ubuntu: sudo apt install {debian}\n"
            f"  Fedora:        sudo dnf install {fedora}\n"
            "The command line works without them: rmadapter --help")
