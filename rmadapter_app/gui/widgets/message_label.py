"""Messages that wrap and never widen the window, and the "Open folder" link that follows a write.

A plain QLabel asks its layout for the width of its longest unbreakable run of characters: one long
path or error text made the window wider than the screen. :class:`MessageLabel` wraps at words,
breaks runs longer than :data:`BREAK_EVERY` characters, asks for no width of its own, and shows at
most ``max_lines`` lines (the whole text stays in its tooltip, and it can be selected and copied).
:func:`fit_label` gives an existing QLabel the same behaviour for widths (pages that do not own
their labels' class use it).

:func:`folder_link` is the rich text of an "Open folder" link; :func:`open_folder` opens a folder in
the file manager through ``QDesktopServices.openUrl`` (tests patch that).
"""
from __future__ import annotations

import html
import re
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

__all__ = ["MessageLabel", "fit_label", "breakable", "folder_link", "open_folder", "BREAK_EVERY"]

BREAK_EVERY = 40           # a run of this many characters with no place to wrap gets one
_ZWSP = "\u200b"           # zero-width space: a place to wrap that shows nothing
_LONG_RUN = re.compile(r"[^\s/\\\-\u200b]{%d,}" % (BREAK_EVERY + 1))
_LONG_WORD = re.compile(r"\S{%d,}" % (BREAK_EVERY // 2 + 1))   # a file name, say
_SEPARATOR = re.compile(r"([_.\-])(?=\S)")


def _tr(text: str) -> str:
    return QCoreApplication.translate("MessageLabel", text)


def breakable(text: str, every: int = BREAK_EVERY) -> str:
    """``text`` with a zero-width space inside every run of more than ``every`` characters that has
    no space, slash or hyphen to wrap at, and after each "-", "_" and "." of a word longer than half
    that (a file name such as ``Project-2026-11-30_074014.rmadapter.safetensors``): what a wrapping
    label cannot break otherwise."""
    def cut(match: re.Match) -> str:
        run = match.group(0)
        return _ZWSP.join(run[i:i + every] for i in range(0, len(run), every))

    def soften(match: re.Match) -> str:        # Qt does not wrap after "-" before a digit, nor at "_" or "."
        return _SEPARATOR.sub("\\1" + _ZWSP, match.group(0))
    pattern = _LONG_RUN if every == BREAK_EVERY else re.compile(r"[^\s/\\\-\u200b]{%d,}" % (every + 1))
    return pattern.sub(cut, _LONG_WORD.sub(soften, str(text)))


def fit_label(label: QLabel, max_lines: int | None = None) -> QLabel:
    """Make ``label`` wrap and never ask its layout for width; at most ``max_lines`` lines tall."""
    label.setWordWrap(True)
    policy = label.sizePolicy()
    policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
    label.setSizePolicy(policy)
    label.setMinimumWidth(40)
    if max_lines:
        m = label.contentsMargins()
        label.setMaximumHeight(label.fontMetrics().lineSpacing() * max_lines + m.top() + m.bottom() + 4)
    return label


class MessageLabel(QLabel):
    """A status or error line: plain text that wraps (long runs too), selectable, at most
    ``max_lines`` lines; the full text is in the tooltip when it does not all show.

    ``text()`` gives back exactly what was set. ``setText`` is the only way in.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None, *, max_lines: int = 6):
        super().__init__(parent)
        self._text = ""
        self._max_lines = max_lines
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        fit_label(self, max_lines)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        self._text = str(text or "")
        shown = breakable(self._text)
        limit = 120 * self._max_lines          # far more than fits: the rest is in the tooltip
        if len(shown) > limit:
            shown = shown[:limit].rstrip() + "…"
        super().setText(shown)
        long = len(self._text) > 80 * self._max_lines or "\n" in self._text.strip()
        self.setToolTip(self._text if long else "")

    def text(self) -> str:  # noqa: D102
        return self._text


def folder_link(folder: Path | str, text: str | None = None) -> str:
    """Rich text of a link that opens ``folder`` (for a label with ``linkActivated`` -> :func:`open_folder`)."""
    url = QUrl.fromLocalFile(str(folder)).toString()
    label = html.escape(text or _tr("Open folder"))
    return (f'<span style="white-space:nowrap"><a href="{html.escape(url, quote=True)}">{label}</a></span>')   # one line


def open_folder(folder: Path | str) -> bool:
    """Open ``folder`` (a path, or a file:// link from :func:`folder_link`) in the file manager."""
    text = str(folder)
    url = QUrl(text) if text.startswith("file:") else QUrl.fromLocalFile(text)
    return bool(QDesktopServices.openUrl(url))
