"""The Project page: classes on the left, the selected class's images on the right, problems below.

The page composes its panels (:mod:`rmadapter_app.gui.project`: name, classes, images) and the
problems list, and does the edits they ask for by calling the open project. It never refreshes by hand: the project tells what
changed (``state.projectChanges``, on the GUI thread) and :meth:`ProjectPage._on_project_changes`
hands that to the models, which insert and remove rows, then keeps the selected class in view.

Every way of adding images (drop, file dialog, paste, camera, menu import) ends in
:meth:`ProjectPage.add_paths` or :meth:`ProjectPage.drop_paths`, which tests call directly. The dialog
helpers (from :mod:`rmadapter_app.gui.dialogs`) are named here: tests and the main window replace or
call them on this module.
"""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from rmadapter_app.core.errors import RMAdapterError
from rmadapter_app.core.project.changes import ClassRenamed
from rmadapter_app.core.project.drops import DropPlan, plan_drop
from rmadapter_app.core.project.project import AddResult, Project
from rmadapter_app.gui import camera, errors
from rmadapter_app.gui.dialogs import PROJECT_IMAGE_FILTER as IMAGE_FILTER
from rmadapter_app.gui.dialogs import ask_folder, ask_image_files, ask_text  # noqa: F401 - patched here by tests
from rmadapter_app.gui.image_adder import ImageAdder
from rmadapter_app.gui.project.class_panel import ClassListPanel
from rmadapter_app.gui.project.image_panel import ImageGridPanel
from rmadapter_app.gui.project.name_panel import ProjectNamePanel
from rmadapter_app.gui.project_adding import (
    SYNC_LIMIT,
    add_summary,
    clipboard_has_image,
    clipboard_image_file,
    image_file,
    small_add,
    small_drop,
)
from rmadapter_app.gui.qt_models import ClassListModel, IdRole, ImageListModel, NameRole
from rmadapter_app.gui.thumbnails import THUMB_SIZE, ThumbnailCache
from rmadapter_app.gui.widgets.drop_area import paths_from_mime
from rmadapter_app.gui.widgets.problems_panel import ProblemsPanel

__all__ = ["ProjectPage", "ask_image_files", "ask_folder", "ask_text", "IMAGE_FILTER", "SYNC_LIMIT"]

logger = logging.getLogger(__name__)


class ProjectPage(QWidget):
    """Classes and their images. ``Page(state, parent=None)`` like every page.

    Parts: ``class_panel`` (:class:`ClassListPanel` over ``class_model``), ``image_panel``
    (:class:`ImageGridPanel` over ``image_model``), ``problems`` (files not added), ``adder``
    (runs adds), ``thumbs`` (thumbnail cache).

    Signals:
        addFinished(object): an add ended (the core ``AddResult``, or None when it failed).
        projectRenamed(str): the open project has a new name.
    """

    addFinished = Signal(object)
    projectRenamed = Signal(str)

    def __init__(self, state, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self._current: str | None = None
        self.thumbs = ThumbnailCache(THUMB_SIZE, parent=self)
        self.adder = ImageAdder(state, self)
        self.class_model = ClassListModel(self._project, rename=self.rename_class, parent=self)
        self.image_model = ImageListModel(self._project, self.thumbs, self)
        self.class_panel = ClassListPanel(self.class_model, self)
        self.image_panel = ImageGridPanel(self.image_model, self._move_targets, self,
                                          camera_available=camera.available())
        self.problems = ProblemsPanel(self)
        self.name_panel = ProjectNamePanel(state, lambda *a: ask_text(*a), self)    # ask_text: patchable
        self.camera = camera.CameraLauncher(self, self.add_picture)
        self._lay_out()
        self._connect()
        self.setAcceptDrops(True)
        state.projectChanged.connect(self._on_state_project_changed)
        state.projectChanges.connect(self._on_project_changes)
        self._on_state_project_changed()

    def _project(self) -> Project | None:
        return self.state.project

    def _lay_out(self) -> None:
        right = QSplitter(Qt.Orientation.Vertical, self)
        right.addWidget(self.image_panel)
        right.addWidget(self.problems)
        right.setStretchFactor(0, 4)
        right.setStretchFactor(1, 1)
        right.setChildrenCollapsible(False)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.class_panel)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([260, 700])
        layout = QVBoxLayout(self)
        layout.addWidget(self.name_panel)
        layout.addWidget(split, 1)

    def _connect(self) -> None:
        classes, images = self.class_panel, self.image_panel
        classes.addRequested.connect(self._on_add_requested)
        classes.removeRequested.connect(self.remove_selected_class)
        classes.addImagesRequested.connect(self.add_images_dialog)
        classes.pathsDropped.connect(lambda paths, target: self.drop_paths(paths, target or None))
        classes.imagesDropped.connect(lambda ids, target: self._move(ids, target))
        classes.view.selectionModel().currentChanged.connect(self._on_class_current_changed)
        images.descriptionEdited.connect(self._on_description_edited)
        images.addImagesRequested.connect(self.add_images_dialog)
        images.pasteRequested.connect(self.paste)
        images.removeRequested.connect(self.remove_selected_images)
        images.moveRequested.connect(self.move_selected_images)
        images.stopRequested.connect(self.adder.stop)
        images.pathsDropped.connect(lambda paths: self.drop_paths(paths, self._current))
        images.cameraRequested.connect(self.take_pictures)
        images.thumbSizeChanged.connect(self.set_thumb_size)
        self.name_panel.renameRequested.connect(self.rename_project)
        self.name_panel.renamed.connect(self.projectRenamed)
        images.grid.selectionModel().selectionChanged.connect(self._update_actions)
        self.adder.started.connect(images.show_busy)
        self.adder.started.connect(self._update_actions)
        self.adder.progress.connect(images.show_progress)
        self.adder.status.connect(self._say)
        self.adder.finished.connect(self._on_add_done)
        self.adder.failed.connect(self._on_add_failed)

    # ---------------------------------------------------------------- public API (menus, tests)
    def current_class(self) -> str | None:
        return self._current

    def select_class(self, name: str | None) -> None:
        """Select the class called ``name``; None selects the first class, if there is one."""
        row = self.class_model.row_of(name) if name else -1
        if row < 0 and self.class_model.rowCount() > 0 and name is None:
            row = 0
        if row >= 0:
            index = self.class_model.index(row)
            self.class_panel.view.setCurrentIndex(index)
            self._set_current(index.data(NameRole))
        else:
            self._set_current(None)

    def focus_new_class(self) -> None:
        self.class_panel.focus_new_class()

    def ensure_project(self) -> Project | None:
        """The open project; on first use, one named by the user (None when cancelled)."""
        return self.name_panel.ensure_project()

    def rename_project(self) -> bool:
        """Ask for a new name of the open project (the folder keeps its name)."""
        return self._can_edit() and self.name_panel.rename()

    def set_thumb_size(self, size: int) -> None:
        """Show thumbnails ``size`` pixels wide (the slider's value); they are made again at that size."""
        self.image_panel.set_thumb_size(size)
        if self.thumbs.set_size(size):
            self.image_model.refresh_icons()

    def take_pictures(self) -> bool:
        """Open the camera window for the shown class (only offered when a camera module is installed)."""
        if self._current is None:
            self._say(self.tr("Select or add a class first."))
            return False
        if not camera.available():
            self._say(self.tr("No camera support in this installation: {0}").format(camera.INSTALL_HINT))
            return False
        self.camera.open(self._current)
        return True

    def add_picture(self, class_name: str, image: QImage) -> bool:
        """Add one picture (a camera's or any QImage) to ``class_name`` as a PNG, like a dropped file."""
        if self._project() is None or not self._project().has_class(class_name):
            self._say(self.tr("The class “{0}” is gone; the picture was not added.").format(class_name))
            return False
        with image_file(image, "camera") as path:
            if path is None:
                self._say(self.tr("The picture could not be saved."))
                return False
            return self._run_drop(plan_drop([path], class_name), sync=True)

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
        self.select_class(entry.name)
        self._say(self.tr("Added class “{0}”. Drop images onto it, or keep it as it is: it is recognised by its name.").format(entry.name))
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
        self.select_class(project.get_class(new).name)        # the renamed class is the one shown
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
        self._say(self.tr("Removed class “{0}” (Ctrl+Z brings it back).").format(name))

    def selected_image_ids(self) -> list[str]:
        return [self.image_model.index(r).data(IdRole) for r in self.image_panel.selected_rows()]

    def remove_selected_images(self) -> int:
        project, ids = self._project(), self.selected_image_ids()
        if project is None or not ids or self._current is None or not self._can_edit():
            return 0
        try:
            n = project.remove_images(self._current, ids)
        except RMAdapterError as exc:
            errors.show_error(self, self.tr("Could not remove the images"), str(exc))
            return 0
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
            errors.show_error(self, self.tr("Could not undo"), str(exc))
            return None
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

    # ---------------------------------------------------------------- adding images
    def add_paths(self, class_name: str, paths) -> bool:
        """Add files/folders (recursively) to a class: the code path of a drop onto that class."""
        paths = [Path(p) for p in paths]
        if not paths:
            return False
        return self._run_drop(plan_drop(paths, class_name), sync=small_add(paths))

    def drop_paths(self, paths, target_class: str | None = None) -> bool:
        """What a drop does. Onto a class: add everything to it. Elsewhere: a folder of class folders
        becomes those classes, a folder of images becomes a class named after it, loose files go to
        the selected class."""
        paths = [Path(p) for p in paths]
        if not paths:
            return False
        if target_class:
            return self.add_paths(target_class, paths)
        plan = plan_drop(paths, None, self._current)
        if plan.unplaced:
            self._say(self.tr("Add a class first, then drop images onto it."))
            self.problems.add_rows((p, self.tr("dropped outside a class: drop it onto a class"), False)
                                   for p in plan.unplaced)
        if plan.empty():
            return False
        return self._run_drop(plan, sync=small_drop(plan))

    def paste(self) -> bool:
        """Paste file URLs or an image from the clipboard into the selected class."""
        paths = paths_from_mime(QGuiApplication.clipboard().mimeData())
        if paths:
            return self.add_paths(self._current, paths) if self._current else self.drop_paths(paths)
        if not clipboard_has_image():
            self._say(self.tr("The clipboard holds no image and no image files."))
            return False
        if self._current is None:
            self._say(self.tr("Select or add a class first."))
            return False
        with clipboard_image_file() as path:
            if path is None:
                self._say(self.tr("The clipboard image could not be read."))
                return False
            return self._run_drop(plan_drop([path], self._current), sync=True)

    def is_adding(self) -> bool:
        return self.adder.busy()

    def _run_drop(self, plan: DropPlan, sync: bool) -> bool:
        if not self._can_edit():
            return False
        project = self.ensure_project()
        if project is None:
            return False
        refused = self.adder.run(project, plan, sync)
        if refused:
            self._say(refused)
        return not refused

    def dragEnterEvent(self, event) -> None:
        if paths_from_mime(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = paths_from_mime(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.drop_paths(paths)

    @Slot(object)
    def _on_add_done(self, result: AddResult) -> None:
        self.image_panel.hide_progress()
        self.problems.add_result(result)
        if result.classes_created:
            self.select_class(result.classes_created[0])
        self._update_actions()
        self._say(add_summary(result))
        self.addFinished.emit(result)

    @Slot(str, str)
    def _on_add_failed(self, message: str, details: str) -> None:
        self.image_panel.hide_progress()
        self._update_actions()
        errors.show_error(self, self.tr("Could not add the images"), message, details)
        self.addFinished.emit(None)

    # ---------------------------------------------------------------- helpers
    def _can_edit(self) -> bool:
        if self.adder.busy():
            self._say(self.tr("Images are still being added; wait a moment."))
            return False
        return True

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
        self._say(self.tr("Moved %n image(s) to “{0}”.", "", n).format(project.get_class(dst).name))
        return n

    def _move_targets(self) -> list[str]:
        """The classes the selected images may move to: every class but the shown one."""
        project = self._project()
        return [n for n in (project.class_names() if project else []) if n != self._current]

    def _set_current(self, name: str | None) -> None:
        self._current = name
        if self.image_model.class_name != name:
            self.image_model.set_class(name)
        self.image_panel.show_class(self._project(), name)
        self._update_actions()

    @Slot()
    def _update_actions(self, *args) -> None:
        project = self._project()
        has_class = self._current is not None
        idle = not self.adder.busy()
        has_sel = bool(self.image_panel.selected_rows())
        self.class_panel.set_class_actions_enabled(has_class and idle)
        self.image_panel.set_actions_enabled(has_class and idle, has_sel and idle,
                                             project is not None and len(project.classes) > 1)

    # ---------------------------------------------------------------- slots
    @Slot()
    def _on_state_project_changed(self) -> None:
        self.camera.close()                             # bound to a class of the project that was open
        self.thumbs.clear()
        self.problems.clear()
        self.class_model.reset()
        self._current = None
        self.image_model.set_class(None)
        self.select_class(None)
        project = self._project()
        if project is not None:
            self.problems.add_rows(
                (project.image_path(entry), self.tr("missing from the project folder (class “{0}”)").format(cls_name),
                 False) for cls_name, entry in getattr(project, "missing", []))
        self.name_panel.show_project(project)
        self._update_actions()

    @Slot(object)
    def _on_project_changes(self, changes: tuple) -> None:
        """The open project changed (GUI thread): the models follow, then the selection does.

        The shown class stays shown (under its new name when renamed). When it went away, the class
        list's current row has already moved to a neighbour (Qt does that as the row is removed);
        with nothing selected the first class is shown, as after opening a project.
        """
        keep = self._current
        self.class_model.apply(changes)
        self.image_model.apply(changes)
        for change in changes:
            if isinstance(change, ClassRenamed) and change.old == keep:
                keep = change.new
        if keep is None or self.class_model.row_of(keep) < 0:
            current = self.class_panel.view.currentIndex()
            keep = current.data(NameRole) if current.isValid() else None
        self.select_class(keep)

    @Slot(QModelIndex, QModelIndex)
    def _on_class_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._set_current(current.data(NameRole) if current.isValid() else None)

    @Slot(str)
    def _on_add_requested(self, text: str) -> None:
        if self.add_class(text):
            self.class_panel.new_class_edit.clear()

    @Slot(str)
    def _on_description_edited(self, text: str) -> None:
        project, name = self._project(), self._current
        if project is None or name is None or not project.has_class(name):
            return
        if " ".join(text.split()) == project.get_class(name).description or not self._can_edit():
            return
        project.set_description(name, text)
