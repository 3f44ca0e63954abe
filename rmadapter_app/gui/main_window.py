"""The main window: a sidebar of pages, menus with shortcuts, a status bar. No ML logic here.

The window owns the :class:`AppState` the pages share and the one :class:`JobRunner`. Every page
is built as ``Page(state)``; menu actions call page methods when the page has them
(``start_training``, ``stop_training``, ``save_adapter``, ``load_adapter``, ``paste``).
"""
from __future__ import annotations

import logging
import threading
import traceback
from pathlib import Path

from PySide6.QtCore import QObject, QSize, QUrl, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QStyle,
    QWidget,
)

from rmadapter_app import __version__
from rmadapter_app.core import paths
from rmadapter_app.core.errors import RMAdapterError
from rmadapter_app.core.project import recent
from rmadapter_app.core.project.project import Project
from rmadapter_app.gui import errors, project_view
from rmadapter_app.gui.icons import page_icon
from rmadapter_app.gui.jobs import JobRunner
from rmadapter_app.gui.label_view import LabelPage
from rmadapter_app.gui.project_view import ProjectPage
from rmadapter_app.gui.results_view import ResultsPage
from rmadapter_app.gui.state import AppState
from rmadapter_app.gui.train_view import TrainPage
from rmadapter_app.gui.try_view import TryPage

logger = logging.getLogger(__name__)

# (key, page class, title, standard icon); every page is built as ``Page(state)``
PAGES = [
    ("project", ProjectPage, "Project", QStyle.StandardPixmap.SP_DirIcon),
    ("train", TrainPage, "Train", QStyle.StandardPixmap.SP_MediaPlay),
    ("results", ResultsPage, "Results", QStyle.StandardPixmap.SP_FileDialogDetailedView),
    ("try", TryPage, "Try it", QStyle.StandardPixmap.SP_DialogApplyButton),
    ("label", LabelPage, "Label", QStyle.StandardPixmap.SP_DirOpenIcon),
]


def ask_stop_job(parent: QWidget, job_name: str) -> bool:
    """Closing while a job runs: True when the user agrees to stop it (tests replace this)."""
    answer = QMessageBox.question(
        parent, parent.tr("A job is running"),
        parent.tr("“{0}” is still running. Stop it and quit?").format(job_name),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


class _DeviceProbe(QObject):
    """Finds the compute device on a plain thread (importing torch takes seconds); emits ``found``."""

    found = Signal(str)
    gpu = Signal(bool)                 # whether a GPU can train (only when the probe worked)

    def start(self) -> None:
        threading.Thread(target=self._run, name="device-probe", daemon=True).start()

    def _run(self) -> None:
        has_gpu = None
        try:
            from rmadapter_app.core.device import gpu_available, resolve_device
            info = resolve_device("auto")
            text = info.description
            has_gpu = gpu_available()
        except Exception as exc:  # a broken torch install must not stop the window
            logger.warning("device probe failed: %s", exc)
            text = "unknown"
        try:
            self.found.emit(text)
            if has_gpu is not None:
                self.gpu.emit(has_gpu)
        except RuntimeError:
            pass


class MainWindow(QMainWindow):
    """Sidebar + stacked pages; owns ``state`` (AppState) and ``state.jobs`` (JobRunner)."""

    def __init__(self, parent: QWidget | None = None, *, restore_last: bool = True, probe_device: bool = True):
        super().__init__(parent)
        self.state = AppState(self)
        self.state.jobs = JobRunner(self)
        self.setWindowTitle(self.tr("RMAdapter Studio"))
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        self.resize(min(1280, screen.width()) if screen else 1280, min(800, screen.height()) if screen else 800)
        self.pages: dict[str, QWidget] = {}
        self.sidebar = QListWidget(self)
        self.sidebar.setIconSize(QSize(24, 24))
        self.sidebar.setFixedWidth(150)
        self.sidebar.setToolTip(self.tr("Switch pages (Ctrl+1 … Ctrl+5)"))
        self.stack = QStackedWidget(self)
        for key, page_class, title, icon in PAGES:
            page = page_class(self.state)
            self.pages[key] = page
            self.stack.addWidget(page)
            item = QListWidgetItem(page_icon(key, self.style().standardIcon(icon)), self.tr(title))
            self.sidebar.addItem(item)
        self.sidebar.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.sidebar.setCurrentRow(0)
        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.device_label = QLabel(self.tr("Device: checking…"), self)
        self.device_label.setToolTip(self.tr("Where training and classifying run"))
        self.statusBar().addPermanentWidget(self.device_label)
        self._build_menus()
        self.state.message.connect(self._on_state_message)
        self.project_page.projectRenamed.connect(lambda _name: self._on_state_project_changed())
        self.state.projectChanged.connect(self._on_state_project_changed)
        self.state.projectEdited.connect(self._update_undo)
        self.state.jobs.busyChanged.connect(self._on_jobs_busy_changed)
        self._probe = None
        if probe_device:
            self._probe = _DeviceProbe()
            self._probe.found.connect(self._on_probe_found)
            self._probe.gpu.connect(self.state.set_machine)
            self._probe.start()
        if restore_last:
            self.reopen_last()
        self._update_undo()

    @property
    def project_page(self) -> ProjectPage:
        return self.pages["project"]

    # ---------------------------------------------------------------- menus
    def _action(self, menu, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        m = self.menuBar().addMenu(self.tr("&File"))
        self._action(m, self.tr("&New project…"), self.new_project, QKeySequence.StandardKey.New,
                     self.tr("Create an empty project folder"))
        self._action(m, self.tr("&Open project…"), self.open_project_dialog, QKeySequence.StandardKey.Open,
                     self.tr("Open a project folder"))
        self.recent_menu = m.addMenu(self.tr("Open &recent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.recent_menu.triggered.connect(self._on_recent_menu_triggered)
        self._action(m, self.tr("&Import folder of class folders…"), self.import_folder, "Ctrl+I",
                     self.tr("Create one class per subfolder, with its images"))
        self._action(m, self.tr("Show project &folder"), self.show_project_folder, None,
                     self.tr("Open the project folder in the file manager"))
        m.addSeparator()
        self._action(m, self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit)
        m = self.menuBar().addMenu(self.tr("&Edit"))
        self.undo_action = self._action(m, self.tr("&Undo"), self.undo, QKeySequence.StandardKey.Undo)
        self._action(m, self.tr("Add &class"), self.add_class, "Ctrl+Shift+N", self.tr("Type a new class name"))
        self._action(m, self.tr("&Paste images"), self.paste, QKeySequence.StandardKey.Paste,
                     self.tr("Paste an image or image files into the selected class"))
        m = self.menuBar().addMenu(self.tr("&Model"))
        self._action(m, self.tr("&Train"), self.start_training, "Ctrl+Return", self.tr("Train on the project"))
        self._action(m, self.tr("&Stop"), self.stop, "Esc", self.tr("Stop the running job; partial results are kept"))
        m.addSeparator()
        self._action(m, self.tr("&Save adapter…"), self.save_adapter, QKeySequence.StandardKey.Save)
        self._action(m, self.tr("&Open adapter…"), self.load_adapter, "Ctrl+Shift+O")
        m = self.menuBar().addMenu(self.tr("&Help"))
        self._action(m, self.tr("&About RMAdapter Studio"), self.about)
        self._action(m, self.tr("Open &log folder"), self.open_log_folder)
        for i in range(len(PAGES)):
            act = QAction(self)
            act.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            act.setData(i)
            act.triggered.connect(self._on_page_shortcut)
            self.addAction(act)

    # ---------------------------------------------------------------- projects
    def set_project(self, project: Project) -> None:
        self.state.set_project(project)

    def open_project(self, folder: Path) -> bool:
        if not self._check_idle():
            return False
        try:
            project = Project.open(Path(folder))
        except RMAdapterError as exc:
            errors.show_error(self, self.tr("Could not open the project"), str(exc))
            return False
        except Exception as exc:          # noqa: BLE001 - a damaged project must never crash the window
            logger.exception("opening the project %s failed", folder)
            errors.show_error(self, self.tr("Could not open the project"),
                              self.tr("{0} could not be opened: the project looks damaged ({1}).")
                              .format(folder, _describe(exc)), traceback.format_exc())
            return False
        self.set_project(project)
        if project.missing:
            self.state.message.emit(self.tr("%n image file(s) are missing from the project folder; "
                                             "see Problems.", "", len(project.missing)))
        return True

    def reopen_last(self) -> bool:
        """Open the most recent project that still opens (quietly: a failure is only a status message)."""
        for folder in recent.recent_projects()[:1]:
            try:
                project = Project.open(folder)
            except RMAdapterError as exc:
                logger.warning("could not reopen %s: %s", folder, exc)
                self.state.message.emit(self.tr("Could not reopen the last project: {0}").format(exc))
            except Exception as exc:      # noqa: BLE001 - a damaged project must never stop the app starting
                logger.exception("could not reopen %s", folder)
                self.state.message.emit(self.tr("Could not reopen the last project: {0}").format(
                    self.tr("{0} looks damaged ({1})").format(folder, _describe(exc))))
            else:
                self.set_project(project)
                return True
        return False

    @Slot()
    def new_project(self) -> None:
        if not self._check_idle():
            return
        name = project_view.ask_text(self, self.tr("New project"), self.tr("Project name:"), self.tr("My classifier"))
        if not name or not name.strip():
            return
        try:
            project = Project.create(name.strip())
        except RMAdapterError as exc:
            errors.show_error(self, self.tr("Could not create the project"), str(exc))
            return
        self.set_project(project)
        self.sidebar.setCurrentRow(0)
        self.project_page.focus_new_class()

    @Slot()
    def open_project_dialog(self) -> None:
        folder = project_view.ask_folder(self, self.tr("Open project folder"))
        if folder is not None:
            self.open_project(folder)

    @Slot()
    def import_folder(self) -> None:
        self.sidebar.setCurrentRow(0)
        self.project_page.import_folder_dialog()

    @Slot()
    def show_project_folder(self) -> None:
        if self.state.project is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.state.project.folder)))

    @Slot()
    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        items = recent.recent_projects()
        for folder in items:
            action = self.recent_menu.addAction(folder.name)
            action.setToolTip(str(folder))
            action.setStatusTip(str(folder))
            action.setData(str(folder))
        if not items:
            self.recent_menu.addAction(self.tr("(no recent projects)")).setEnabled(False)

    @Slot(QAction)
    def _on_recent_menu_triggered(self, action: QAction) -> None:
        if action.data():
            self.open_project(Path(action.data()))

    # ---------------------------------------------------------------- edit / model actions
    @Slot()
    def undo(self) -> None:
        self.project_page.undo()

    @Slot()
    def add_class(self) -> None:
        self.sidebar.setCurrentRow(0)
        self.project_page.focus_new_class()

    @Slot()
    def paste(self) -> None:
        page = self.stack.currentWidget()
        target = page if hasattr(page, "paste") else self.project_page
        target.paste()

    def _page_call(self, method: str, preferred: str | None = None, show: bool = True):
        """Call ``method`` on the preferred page (or the first page having it); None when none has it."""
        order = [preferred] if preferred else []
        order += [k for k in self.pages if k != preferred]
        for key in order:
            page = self.pages.get(key)
            if page is not None and hasattr(page, method):
                if show:
                    self.sidebar.setCurrentRow(list(self.pages).index(key))
                return getattr(page, method)()
        self.state.message.emit(self.tr("That is not available in this build."))
        return None

    @Slot()
    def start_training(self) -> None:
        self._page_call("start_training", "train")

    @Slot()
    def stop(self) -> None:
        page = self.pages.get("train")
        if page is not None and hasattr(page, "stop_training"):
            page.stop_training()
        if self.state.jobs.busy():
            self.state.jobs.stop()
            self.state.message.emit(self.tr("Stopping…"))

    @Slot()
    def save_adapter(self) -> None:
        self._page_call("save_adapter", "results")

    @Slot()
    def load_adapter(self) -> None:
        self._page_call("load_adapter", "results")

    @Slot()
    def about(self) -> None:
        QMessageBox.about(self, self.tr("About RMAdapter Studio"), self.tr(
            "<b>RMAdapter Studio</b> {0}<br>Build an image classifier from a few pictures per class: "
            "RMAdapter on a frozen CLIP, on your own computer.").format(__version__))

    @Slot()
    def open_log_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(paths.log_dir())))

    # ---------------------------------------------------------------- slots
    @Slot(str)
    def _on_state_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    @Slot(str)
    def _on_probe_found(self, text: str) -> None:
        self.device_label.setText(self.tr("Device: {0}").format(text))

    @Slot()
    def _on_state_project_changed(self) -> None:
        project = self.state.project
        if project is None:
            self.setWindowTitle(self.tr("RMAdapter Studio"))
        else:
            self.setWindowTitle(self.tr("{0} — RMAdapter Studio").format(project.name))
            self.setWindowFilePath(str(project.folder))
            recent.add_recent(project.folder)
            self.state.message.emit(self.tr("Project folder: {0}").format(project.folder))
        self._update_undo()

    @Slot()
    def _update_undo(self) -> None:
        project = self.state.project
        what = project.undo_description() if project is not None else None
        self.undo_action.setEnabled(bool(what))
        self.undo_action.setText(self.tr("&Undo {0}").format(what) if what else self.tr("&Undo"))

    @Slot(bool)
    def _on_jobs_busy_changed(self, busy: bool) -> None:
        name = self.state.jobs.current_title()
        if busy and name:
            self.statusBar().showMessage(self.tr("Running: {0}").format(name))
        elif not busy and self.statusBar().currentMessage().startswith(self.tr("Running: ").strip()):
            self.statusBar().clearMessage()          # pages post their own outcome; never a stale "Running"

    @Slot()
    def _on_page_shortcut(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.sidebar.setCurrentRow(int(action.data()))

    def _check_idle(self) -> bool:
        if self.state.jobs.busy():
            self.state.message.emit(self.tr("Wait until “{0}” has finished (or stop it with Esc).")
                                    .format(self.state.jobs.current_title()))
            return False
        return True

    def closeEvent(self, event: QCloseEvent) -> None:
        jobs = self.state.jobs
        if jobs.busy():
            if not ask_stop_job(self, jobs.current_title()):
                event.ignore()
                return
            jobs.stop()
            self.statusBar().showMessage(self.tr("Stopping…"))
            if not jobs.wait_idle(60000):
                logger.warning("job %r did not stop within 60 s; closing anyway", jobs.current())
        self.project_page.thumbs.clear()
        self.project_page.thumbs.wait(5000)
        event.accept()


def window_icon() -> QIcon:
    """The app icon, from the package assets or the source tree's resources folder."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "assets" / "app.png", here.parent / "resources" / "icons" / "app.png"):
        if candidate.is_file():
            return QIcon(str(candidate))
    return QIcon()


def _describe(exc: BaseException) -> str:
    """A short, one-line name for an unexpected error (its type, and its text cut short)."""
    text = " ".join(str(exc).split())[:200]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
