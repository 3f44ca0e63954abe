"""The Project page: classes on the left, the selected class's images on the right.

Every way of adding images (drop, file dialog, paste, menu import) ends in :meth:`ProjectPage.add_paths`
or :meth:`ProjectPage.drop_paths`, which tests call directly; those live in :mod:`project_adding`. The
dialog helpers stay here (tests and the main window replace/call them on this module). Every edit
emits ``state.projectEdited``.
"""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QModelIndex, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QWidget

from rmadapter_app.core.errors import RMAdapterError
from rmadapter_app.core.project.project import Project

from . import errors
from .image_adder import ImageAdder
from .project_adding import SYNC_LIMIT, ProjectAdding
from .project_layout import build_project_page, fill_move_menu, show_class_menu, show_grid_menu, update_header
from .qt_models import ClassListModel, IdRole, ImageListModel, NameRole
from .thumbnails import THUMB_SIZE, ThumbnailCache

__all__ = ["ProjectPage", "ask_image_files", "ask_folder", "ask_text", "IMAGE_FILTER", "SYNC_LIMIT"]

logger = logging.getLogger(__name__)

IMAGE_FILTER = ("Images (*.png *.jpg *.jpeg *.jpe *.jfif *.bmp *.dib *.gif *.tif *.tiff *.webp *.ppm *.pgm "
                "*.pbm *.pnm *.tga *.ico);;All files (*)")


# ---------------------------------------------------------------- dialogs (tests replace these)
def ask_image_files(parent: QWidget | None) -> list[Path]:
    names, _ = QFileDialog.getOpenFileNames(parent, parent.tr("Add images") if parent else "Add images",
                                            "", IMAGE_FILTER)
    return [Path(n) for n in names]


def ask_folder(parent: QWidget | None, title: str) -> Path | None:
    name = QFileDialog.getExistingDirectory(parent, title)
    return Path(name) if name else None


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
    return value if ok else None


class ProjectPage(ProjectAdding, QWidget):
    """Classes and their images. ``Page(state, parent=None)`` like every page.

    Signals:
        addFinished(object): an add ended (the core ``AddResult``, or None when it failed).
    """

    addFinished = Signal(object)

    def __init__(self, state, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self._current: str | None = None
        self.thumbs = ThumbnailCache(THUMB_SIZE, parent=self)
        self.adder = ImageAdder(state, self)
        self.class_model = ClassListModel(self._project, rename=self.rename_class, parent=self)
        self.image_model = ImageListModel(self._project, self.thumbs, self)
        self._build_ui()
        self.setAcceptDrops(True)
        state.projectChanged.connect(self._on_state_project_changed)
        state.projectEdited.connect(self._on_state_project_edited)
        self._on_state_project_changed()

    def _project(self) -> Project | None:
        return self.state.project

    # ---------------------------------------------------------------- layout
    def _build_ui(self) -> None:
        build_project_page(self)
        self.new_class_edit.returnPressed.connect(self._on_new_class_return)
        self.add_class_btn.clicked.connect(self._on_new_class_return)
        self.class_view.selectionModel().currentChanged.connect(self._on_class_current_changed)
        self.class_view.pathsDropped.connect(self._on_class_view_paths_dropped)
        self.class_view.imagesDropped.connect(self._on_class_view_images_dropped)
        self.class_view.customContextMenuRequested.connect(self._on_class_view_menu)
        self.grid.pathsDropped.connect(self._on_grid_paths_dropped)
        self.grid.customContextMenuRequested.connect(self._on_grid_menu)
        self.grid.selectionModel().selectionChanged.connect(self._update_actions)
        self.rename_btn.clicked.connect(self._on_rename_clicked)
        self.remove_class_btn.clicked.connect(self.remove_selected_class)
        self.desc_edit.editingFinished.connect(self._on_desc_edit_finished)
        self.add_images_btn.clicked.connect(self.add_images_dialog)
        self.paste_btn.clicked.connect(self.paste)
        self.remove_images_btn.clicked.connect(self.remove_selected_images)
        self.move_menu.aboutToShow.connect(self._fill_move_menu)
        self.move_menu.triggered.connect(self._on_move_menu_triggered)
        self.stop_btn.clicked.connect(self.adder.stop)
        self.adder.started.connect(self._on_adder_started)
        self.adder.progress.connect(self._on_adder_progress)
        self.adder.status.connect(self._say)
        self.adder.finished.connect(self._on_add_done)
        self.adder.failed.connect(self._on_add_failed)
        self.grid.deletePressed.connect(self.remove_selected_images)
        self.class_view.deletePressed.connect(self.remove_selected_class)

    # ---------------------------------------------------------------- public API (menus, tests)
    def current_class(self) -> str | None:
        return self._current

    def select_class(self, name: str | None) -> None:
        row = self.class_model.row_of(name) if name else -1
        if row < 0 and self.class_model.rowCount() > 0 and name is None:
            row = 0
        if row >= 0:
            self.class_view.setCurrentIndex(self.class_model.index(row))
        else:
            self._set_current(None)

    def focus_new_class(self) -> None:
        self.new_class_edit.setFocus()
        self.new_class_edit.selectAll()

    def ensure_project(self) -> Project | None:
        """The open project, creating an "Untitled" one on first use."""
        if self.state.project is None:
            try:
                self.state.set_project(Project.create_unique(self.tr("Untitled")))
            except RMAdapterError as exc:
                errors.show_error(self, self.tr("Could not create a project"), str(exc))
                return None
        return self.state.project

    def add_class(self, name: str) -> bool:
        if not self._can_edit():
            return False
        project = self.ensure_project()
        if project is None:
            return False
        try:
            entry = project.add_class(name)
        except RMAdapterError as exc:
            self._say(str(exc))
            return False
        self._edited()
        self.select_class(entry.name)
        self._say(self.tr("Added class “{0}”. Drop images onto it, or keep it as a zero-shot class.").format(entry.name))
        return True

    def rename_class(self, old: str, new: str) -> bool:
        project = self._project()
        if project is None or not self._can_edit():
            return False
        try:
            project.rename_class(old, new)
        except RMAdapterError as exc:
            self._say(str(exc))
            return False
        self._current = project.get_class(new).name
        self._edited()
        return True

    def remove_selected_class(self) -> None:
        project, name = self._project(), self._current
        if project is None or name is None or not self._can_edit():
            return
        try:
            project.remove_class(name)
        except RMAdapterError as exc:
            errors.show_error(self, self.tr("Could not remove the class"), str(exc))
            return
        self._current = None
        self._edited()
        self._say(self.tr("Removed class “{0}” (Ctrl+Z brings it back).").format(name))

    def selected_image_ids(self) -> list[str]:
        rows = sorted(i.row() for i in self.grid.selectionModel().selectedIndexes())
        return [self.image_model.index(r).data(IdRole) for r in rows]

    def remove_selected_images(self) -> int:
        project, ids = self._project(), self.selected_image_ids()
        if project is None or not ids or self._current is None or not self._can_edit():
            return 0
        try:
            n = project.remove_images(self._current, ids)
        except RMAdapterError as exc:
            errors.show_error(self, self.tr("Could not remove the images"), str(exc))
            return 0
        self._edited()
        self._say(self.tr("Removed %n image(s) (Ctrl+Z brings them back).", "", n))
        return n

    def move_selected_images(self, dst: str) -> int:
        return self._move(self.selected_image_ids(), dst)

    def undo(self) -> str | None:
        project = self._project()
        if project is None or not project.can_undo() or not self._can_edit():
            self._say(self.tr("Nothing to undo."))
            return None
        try:
            what = project.undo()
        except RMAdapterError as exc:
            self._edited()
            errors.show_error(self, self.tr("Could not undo"), str(exc))
            return None
        self._edited()
        self._say(self.tr("Undone: {0}").format(what))
        return what

    def add_images_dialog(self) -> None:
        if self._current is None:
            self._say(self.tr("Select or add a class first."))
            return
        files = ask_image_files(self)
        if files:
            self.add_paths(self._current, files)

    def import_folder_dialog(self) -> None:
        root = ask_folder(self, self.tr("Folder with one subfolder per class"))
        if root is not None:
            self.drop_paths([root])

    # ---------------------------------------------------------------- helpers
    def _can_edit(self) -> bool:
        if self.adder.busy():
            self._say(self.tr("Images are still being added; wait a moment."))
            return False
        return True

    def _edited(self) -> None:
        self.state.projectEdited.emit()

    def _say(self, text: str) -> None:
        self.state.message.emit(text)

    def _move(self, ids: list[str], dst: str) -> int:
        project, src = self._project(), self._current
        if project is None or src is None or not ids or not self._can_edit():
            return 0
        try:
            n = project.move_images(ids, src, dst)
        except RMAdapterError as exc:
            errors.show_error(self, self.tr("Could not move the images"), str(exc))
            return 0
        self._edited()
        self._say(self.tr("Moved %n image(s) to “{0}”.", "", n).format(project.get_class(dst).name))
        return n

    def _set_current(self, name: str | None) -> None:
        self._current = name
        if self.image_model.class_name != name:
            self.image_model.set_class(name)
        self._update_header()
        self._update_actions()

    def _update_header(self) -> None:
        update_header(self)

    @Slot()
    def _update_actions(self, *args) -> None:
        project = self._project()
        has_class = self._current is not None
        has_sel = bool(self.grid.selectionModel().selectedIndexes())
        idle = not self.adder.busy()
        for w in (self.rename_btn, self.remove_class_btn, self.add_images_btn, self.paste_btn, self.desc_edit):
            w.setEnabled(has_class and idle)
        self.remove_images_btn.setEnabled(has_sel and idle)
        self.move_btn.setEnabled(has_sel and idle and project is not None and len(project.classes) > 1)

    # ---------------------------------------------------------------- slots
    @Slot()
    def _on_state_project_changed(self) -> None:
        self.thumbs.clear()
        self.problems.clear()
        self.class_model.reset()
        self._current = None
        self.select_class(None)
        project = self._project()
        if project is not None:
            for cls_name, entry in getattr(project, "missing", []):
                self.problems.add(project.image_path(entry),
                                  self.tr("missing from the project folder (class “{0}”)").format(cls_name))
        self._update_actions()

    @Slot()
    def _on_state_project_edited(self) -> None:
        keep, keep_row = self._current, self.class_view.currentIndex().row()
        project = self._project()
        self.class_model.refresh()
        if keep is not None and project is not None and project.has_class(keep):
            keep = project.get_class(keep).name
        elif project is not None and 0 <= keep_row < len(project.classes):
            keep = project.classes[keep_row].name        # renamed (e.g. by undo): stay on its row
        else:
            keep = None
        self.image_model.refresh()
        self.select_class(keep)
        if keep is not None:
            self._set_current(keep)
        self._update_header()
        self._update_actions()

    @Slot(QModelIndex, QModelIndex)
    def _on_class_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._set_current(current.data(NameRole) if current.isValid() else None)

    @Slot()
    def _on_new_class_return(self) -> None:
        if self.add_class(self.new_class_edit.text()):
            self.new_class_edit.clear()

    @Slot()
    def _on_rename_clicked(self) -> None:
        if self._current is not None:
            self.class_view.edit(self.class_view.currentIndex())

    @Slot()
    def _on_desc_edit_finished(self) -> None:
        project, name = self._project(), self._current
        if project is None or name is None or not project.has_class(name):
            return
        text = self.desc_edit.text()
        if " ".join(text.split()) == project.get_class(name).description or not self._can_edit():
            return
        project.set_description(name, text)
        self._edited()

    @Slot(list, str)
    def _on_class_view_images_dropped(self, ids: list, target: str) -> None:
        self._move(ids, target)

    @Slot()
    def _fill_move_menu(self) -> None:
        fill_move_menu(self, self.move_menu)

    @Slot(QAction)
    def _on_move_menu_triggered(self, action: QAction) -> None:
        if action.data():
            self.move_selected_images(str(action.data()))

    def _on_grid_menu(self, pos) -> None:
        show_grid_menu(self, pos)

    def _on_class_view_menu(self, pos) -> None:
        show_class_menu(self, pos)
