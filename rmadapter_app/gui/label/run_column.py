"""The Label page's left column: the settings in a scroll, with Run, Stop, the progress bar and the status
line below it, always in view (inside the settings they scrolled off a small screen)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from rmadapter_app.gui.label.setup_panel import SetupPanel
from rmadapter_app.gui.widgets.message_label import fit_label


def run_column(setup: SetupPanel, parent: QWidget) -> QWidget:
    """``setup`` in a scroll that never scrolls sideways; its Run/Stop row, progress bar and status line
    are moved below the scroll."""
    scroll = QScrollArea(parent)
    scroll.setWidgetResizable(True)
    scroll.setWidget(setup)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    # wide enough for the settings, plus the scroll bar
    scroll.setMinimumWidth(setup.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width())
    column = QWidget(parent)
    run_row = QHBoxLayout()
    run_row.addWidget(setup.run_button)
    run_row.addWidget(setup.stop_button)
    fit_label(setup.status_label, max_lines=6)          # a long message wraps; it never widens the window
    layout = QVBoxLayout(column)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(scroll, 1)
    layout.addLayout(run_row)
    layout.addWidget(setup.progress)
    layout.addWidget(setup.status_label)
    return column
