"""Icons that say what each page is: bundled SVGs (``rmadapter_app/assets/icons/<page>.svg``).

They are drawn in colours that read on light and dark palettes alike. When a file is missing (a
damaged install) the platform theme's icon of a similar meaning is used, then Qt's own.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QIcon

ICON_DIR = Path(__file__).resolve().parent.parent / "assets" / "icons"
PAGE_KEYS = ("project", "train", "results", "try", "label")
_THEME = {"project": "folder-pictures", "train": "system-run", "results": "x-office-spreadsheet",
          "try": "edit-find", "label": "tag"}


def icon_path(key: str) -> Path:
    return ICON_DIR / f"{key}.svg"


def page_icon(key: str, fallback: QIcon | None = None) -> QIcon:
    """The icon of page ``key`` ("project", "train", "results", "try", "label")."""
    path = icon_path(key)
    if path.is_file():
        icon = QIcon(str(path))
        if not icon.isNull():
            return icon
    return QIcon.fromTheme(_THEME.get(key, ""), fallback or QIcon())
