"""The top of the Project page: the open project's name, naming a new project, renaming it."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from rmadapter_app.core.errors import RMAdapterError
from rmadapter_app.core.project.project import Project
from rmadapter_app.gui import errors
from rmadapter_app.gui.widgets.message_label import fit_label

AskText = Callable[[QWidget, str, str, str], "str | None"]     # (parent, title, label, text) -> answer or None


class ProjectNamePanel(QWidget):
    """"Project: <name>" (the folder in its tooltip) and "Rename project…" for ``state.project``.

    ``ask(parent, title, label, text)`` asks the user for a name (the page passes its patchable
    ``ask_text``); the page decides when renaming is allowed.

    Signals:
        renameRequested(): the button was clicked.
        renamed(str): the open project has a new name.
    """

    renameRequested = Signal()
    renamed = Signal(str)

    def __init__(self, state, ask: AskText, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self._ask = ask
        self.label = QLabel(self)
        font = QFont(self.label.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.label.setFont(font)
        fit_label(self.label, max_lines=1)          # a long name is cut, never widens the window
        self.rename_btn = QPushButton(self.tr("Rename project…"), self)
        self.rename_btn.setToolTip(self.tr("Give the project another name (its folder keeps its name)"))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label, 1)
        row.addWidget(self.rename_btn)
        self.rename_btn.clicked.connect(self.renameRequested)

    def show_project(self, project) -> None:
        """Show ``project``'s name (None: how to start one)."""
        if project is None:
            self.label.setText(self.tr("No project open: type a class name below to start one."))
            self.label.setToolTip("")
        else:
            self.label.setText(self.tr("Project: {0}").format(project.name))
            self.label.setToolTip(self.tr("{0}\nFolder: {1}").format(project.name, project.folder))
        self.rename_btn.setEnabled(project is not None)

    def ensure_project(self) -> Project | None:
        """The open project; else a new one named by the user ("Untitled" when left empty).

        None when the user cancels the question or the folder cannot be made."""
        if self.state.project is None:
            name = self._ask(self, self.tr("New project"),
                             self.tr("A name for the new project (you can change it later):"), "")
            if name is None:
                self.state.message.emit(self.tr("No project yet: it needs a name first."))
                return None
            try:
                self.state.set_project(Project.create_unique(" ".join(name.split()) or self.tr("Untitled")))
            except RMAdapterError as exc:
                errors.show_error(self, self.tr("Could not create a project"), str(exc))
                return None
        return self.state.project

    def rename(self) -> bool:
        """Ask for a new name of the open project; its folder stays where and as it is."""
        project = self.state.project
        if project is None:
            return False
        name = self._ask(self, self.tr("Rename project"), self.tr("New name (the folder keeps its name):"),
                         project.name)
        if name is None or " ".join(name.split()) == project.name:
            return False
        try:
            project.rename(name)
        except RMAdapterError as exc:
            errors.show_error(self, self.tr("Could not rename the project"), str(exc))
            return False
        self.show_project(project)
        self.renamed.emit(project.name)
        self.state.message.emit(self.tr("The project is now called “{0}”.").format(project.name))
        return True
