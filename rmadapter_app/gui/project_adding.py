"""Adding images on the Project page: paths, drops, paste, and the add's progress and summary.

:class:`ProjectAdding` is a base of :class:`rmadapter_app.gui.project_view.ProjectPage`; it uses the
page's adder, problems panel, progress row and its ``_can_edit``/``_edited``/``_say`` helpers.
Small adds run at once; larger ones run through ``state.jobs`` so the window stays responsive.
"""
from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtGui import QGuiApplication, QImage

from rmadapter_app.core.project.project import AddResult

from . import errors
from rmadapter_app.core.project.drops import plan_drop
from .widgets.drop_area import paths_from_mime

SYNC_LIMIT = 4      # up to this many single files are added on the GUI thread; more go to a job


class ProjectAdding:
    """The image-adding methods and slots of the Project page."""

    def add_paths(self, class_name: str, paths) -> bool:
        """Add files/folders (recursively) to a class: the code path of a drop onto that class."""
        paths = [Path(p) for p in paths]
        if not paths:
            return False
        small = len(paths) <= SYNC_LIMIT and all(p.is_file() for p in paths)
        return self._run_drop(plan_drop(paths, class_name), sync=small)

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
            for p in plan.unplaced:
                self.problems.add(p, self.tr("dropped outside a class: drop it onto a class"))
        if plan.empty():
            return False
        small = not plan.import_roots and not plan.folder_classes and len(plan.files) <= SYNC_LIMIT
        return self._run_drop(plan, sync=small)

    def paste(self) -> bool:
        """Paste file URLs or an image from the clipboard into the selected class."""
        mime = QGuiApplication.clipboard().mimeData()
        paths = paths_from_mime(mime)
        if paths:
            return self.add_paths(self._current, paths) if self._current else self.drop_paths(paths)
        if mime is None or not mime.hasImage():
            self._say(self.tr("The clipboard holds no image and no image files."))
            return False
        if self._current is None:
            self._say(self.tr("Select or add a class first."))
            return False
        image = QImage(QGuiApplication.clipboard().image())
        tmp = Path(tempfile.mkdtemp(prefix="rmadapter-paste-"))
        try:
            path = tmp / f"pasted-{time.strftime('%Y%m%d-%H%M%S')}.png"
            if image.isNull() or not image.save(str(path), "PNG"):
                self._say(self.tr("The clipboard image could not be read."))
                return False
            return self._run_drop(plan_drop([path], self._current), sync=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def is_adding(self) -> bool:
        return self.adder.busy()

    # ---------------------------------------------------------------- drops
    @Slot(list, str)
    def _on_class_view_paths_dropped(self, paths: list, target: str) -> None:
        self.drop_paths(paths, target or None)

    @Slot(list, str)
    def _on_grid_paths_dropped(self, paths: list, _target: str) -> None:
        self.drop_paths(paths, self._current)

    def dragEnterEvent(self, event) -> None:
        if paths_from_mime(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = paths_from_mime(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.drop_paths(paths)

    # ---------------------------------------------------------------- adding (sync or job)
    def _run_drop(self, plan, sync: bool) -> bool:
        if not self._can_edit():
            return False
        project = self.ensure_project()
        if project is None:
            return False
        refused = self.adder.run(project, plan, sync)
        if refused:
            self._say(refused)
        return not refused

    @Slot()
    def _on_adder_started(self) -> None:
        self.progress.setRange(0, 0)
        self.progress_row.setVisible(True)
        self._update_actions()

    @Slot(int, int)
    def _on_adder_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.setFormat(self.tr("Checking and copying images: %v of %m"))

    @Slot(object)
    def _on_add_done(self, result: AddResult) -> None:
        self.progress_row.setVisible(False)
        self.problems.add_result(result)
        if result.classes_created:
            self._current = result.classes_created[0]
        self._edited()
        parts = [self.tr("Added %n image(s).", "", len(result.added))]
        if result.classes_created:
            parts.append(self.tr("Created %n class(es).", "", len(result.classes_created)))
        if result.duplicates:
            parts.append(self.tr("%n already in the project.", "", len(result.duplicates)))
        if result.rejected:
            parts.append(self.tr("%n file(s) skipped: see Problems.", "", len(result.rejected)))
        if result.stopped:
            parts.append(self.tr("Stopped early; the images added so far are kept."))
        self._say(" ".join(parts))
        self.addFinished.emit(result)

    @Slot(str, str)
    def _on_add_failed(self, message: str, details: str) -> None:
        self.progress_row.setVisible(False)
        self._edited()
        errors.show_error(self, self.tr("Could not add the images"), message, details)
        self.addFinished.emit(None)
