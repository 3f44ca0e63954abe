"""Errors for people: a log file with the details, and one dialog that says what happened in words.

``setup_logging()`` sends the ``rmadapter_app`` logger to a rotating file in the platformdirs log
folder. ``show_error()`` logs the error and shows a message box with the plain-words message, the
details folded away, and where the log file is. Tests replace :func:`_present` (or show_error).
"""
from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from rmadapter_app.core import paths

logger = logging.getLogger("rmadapter_app")

LOG_NAME = "rmadapter-studio.log"
_handler: logging.Handler | None = None


def _tr(text: str) -> str:
    return QCoreApplication.translate("errors", text)


def log_file() -> Path:
    """The log file the app writes (it may not exist before setup_logging)."""
    return paths.log_dir() / LOG_NAME


def setup_logging(level: int = logging.INFO) -> Path:
    """Log ``rmadapter_app`` (core and GUI) to a rotating file; safe to call more than once.

    Returns:
        The log file path.
    """
    global _handler
    path = log_file()
    if _handler is not None and getattr(_handler, "baseFilename", None) == str(path):
        return path
    root = logging.getLogger("rmadapter_app")
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"))
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    _handler = handler
    logger.info("log started: %s", path)
    return path


def _present(box: QMessageBox) -> None:
    """Show the box modally (tests replace this)."""
    box.exec()


def show_error(parent: QWidget | None, title: str, message: str, details: str = "") -> None:
    """Show an error in plain words, with the technical details folded away and the log file named."""
    logger.error("%s: %s%s", title, message, f"\n{details}" if details else "")
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent)
    box.setInformativeText(_tr("More details are in the log file:\n{0}").format(log_file()))
    if details:
        box.setDetailedText(details)
    _present(box)
