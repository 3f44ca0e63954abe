"""The right side of the Project page: the selected class (name, description, prompt), its image
grid, the image buttons, and the progress row of an add."""
from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QCoreApplication, QPoint, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QAction, QDesktopServices, QFont, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QProgressBar,
    QPushButton,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from rmadapter_app.core.naming import DEFAULT_TEMPLATE
from rmadapter_app.gui.qt_models import ImageListModel, PathRole
from rmadapter_app.gui.thumbnails import THUMB_MAX, THUMB_MIN, THUMB_SIZE
from rmadapter_app.gui.widgets.drop_area import DropListView, make_grid, set_grid_size
from rmadapter_app.gui.widgets.message_label import MessageLabel, fit_label


class ImageGridPanel(QWidget):
    """The shown class and its images, over ``model``; ``move_targets()`` lists the classes the
    selected images may move to. It owns its widgets and says what the user asked for; the page acts.

    Signals:
        descriptionEdited(str): the description field was left after typing.
        addImagesRequested(), pasteRequested(), removeRequested(): the buttons (and Delete, the menu).
        moveRequested(str): move the selected images to this class.
        stopRequested(): stop the running add.
        pathsDropped(list): files dropped on the grid (paths as str).
        cameraRequested(): take pictures for the shown class (the button exists only with a camera module).
        thumbSizeChanged(int): the size slider settled on a new thumbnail size (pixels).
    """

    descriptionEdited = Signal(str)
    addImagesRequested = Signal()
    pasteRequested = Signal()
    removeRequested = Signal()
    moveRequested = Signal(str)
    stopRequested = Signal()
    pathsDropped = Signal(list)
    cameraRequested = Signal()
    thumbSizeChanged = Signal(int)

    def __init__(self, model: ImageListModel, move_targets: Callable[[], list[str]], parent: QWidget | None = None,
                 *, camera_available: bool = False):
        super().__init__(parent)
        tr = self.tr
        self._move_targets = move_targets
        self.header = QLabel(self)
        font = QFont(self.header.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.header.setFont(font)
        self.desc_edit = QLineEdit(self)
        self.desc_edit.setPlaceholderText(tr("Optional description, e.g. “a small domestic cat” (used in the prompt)"))
        self.desc_edit.setToolTip(tr("Words that help the model know what this class means; "
                                     "they are added to the class's text prompt."))
        fit_label(self.header, max_lines=2)                  # a long class name wraps, never widens the window
        self.prompt_label = MessageLabel(parent=self, max_lines=3)
        self.prompt_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)   # follows theme changes
        self.add_images_btn = self._button(tr("Add images…"), tr("Choose image files to add to this class"))
        self.paste_btn = self._button(tr("Paste"), tr("Paste an image or image files from the clipboard (Ctrl+V)"))
        self.remove_images_btn = self._button(tr("Remove images"),
                                              tr("Remove the selected images (Delete; Ctrl+Z brings them back)"))
        self.move_btn = QToolButton(self)
        self.move_btn.setText(tr("Move to"))
        self.move_btn.setToolTip(tr("Move the selected images to another class"))
        self.move_btn.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.move_menu = QMenu(self.move_btn)
        self.move_btn.setMenu(self.move_menu)
        self.camera_btn = self._button(tr("Camera…"), tr("Take pictures for this class with a camera"))
        self.camera_btn.setVisible(camera_available)
        self.size_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.size_slider.setRange(THUMB_MIN, THUMB_MAX)
        self.size_slider.setSingleStep(16)
        self.size_slider.setPageStep(32)
        self.size_slider.setValue(THUMB_SIZE)
        self.size_slider.setFixedWidth(110)
        self.size_slider.setToolTip(tr("Thumbnail size"))
        self.size_slider.setAccessibleName(tr("Thumbnail size"))
        self._size_timer = QTimer(self)                     # new thumbnails once the slider rests
        self._size_timer.setSingleShot(True)
        self._size_timer.setInterval(150)
        self.grid = DropListView(self)
        make_grid(self.grid, THUMB_SIZE)
        self.grid.setModel(model)
        self.grid.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.progress = QProgressBar(self)
        self.progress.setTextVisible(True)
        self.stop_btn = self._button(tr("Stop"), tr("Stop adding; the images added so far are kept"))
        self.progress_row = QWidget(self)
        self._lay_out()

        self.desc_edit.editingFinished.connect(self._on_desc_edited)
        self.add_images_btn.clicked.connect(self.addImagesRequested)
        self.paste_btn.clicked.connect(self.pasteRequested)
        self.remove_images_btn.clicked.connect(self.removeRequested)
        self.grid.deletePressed.connect(self.removeRequested)
        self.stop_btn.clicked.connect(self.stopRequested)
        self.move_menu.aboutToShow.connect(partial(self._fill_move_menu, self.move_menu))
        self.move_menu.triggered.connect(self._on_move_action)
        self.camera_btn.clicked.connect(self.cameraRequested)
        self.size_slider.valueChanged.connect(self._on_size_moved)
        self._size_timer.timeout.connect(lambda: self.thumbSizeChanged.emit(self.size_slider.value()))
        self.grid.pathsDropped.connect(lambda paths, _target: self.pathsDropped.emit(paths))
        self.grid.customContextMenuRequested.connect(self._show_menu)

    def _button(self, text: str, tip: str) -> QPushButton:
        b = QPushButton(text, self)
        b.setToolTip(tip)
        return b

    def _lay_out(self) -> None:
        tools = QHBoxLayout()
        for w in (self.add_images_btn, self.paste_btn, self.camera_btn, self.remove_images_btn, self.move_btn):
            tools.addWidget(w)
        tools.addStretch(1)
        size_label = QLabel(self.tr("Size:"), self)
        size_label.setBuddy(self.size_slider)
        size_label.setToolTip(self.size_slider.toolTip())
        tools.addWidget(size_label)
        tools.addWidget(self.size_slider)
        prow = QHBoxLayout(self.progress_row)
        prow.setContentsMargins(0, 0, 0, 0)
        prow.addWidget(self.progress, 1)
        prow.addWidget(self.stop_btn)
        self.progress_row.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addWidget(self.desc_edit)
        layout.addWidget(self.prompt_label)
        layout.addLayout(tools)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.progress_row)

    # ---------------------------------------------------------------- what the page tells it
    def show_class(self, project, name: str | None) -> None:
        """Show the selected class: name, image count or zero-shot, description, prompt."""
        tr = self.tr
        if project is None or name is None or not project.has_class(name):
            self.header.setText(tr("No class selected") if project is not None and project.classes
                                else tr("Start by typing a class name on the left"))
            self.grid.empty_text = tr("Select a class on the left to see its images, or drop a folder "
                                      "with one subfolder per class anywhere on this page.")
            self.desc_edit.setText("")
            self.prompt_label.setText("")
            self.grid.viewport().update()
            return
        self.grid.empty_text = tr("No images yet: this class is recognised from its name alone.\n"
                                  "Drop images or folders here, paste them (Ctrl+V) or use Add images…")
        c = project.get_class(name)
        n = len(c.images)
        # plural forms are looked up under the page's name, where the English .qm has them
        self.header.setText(QCoreApplication.translate("ProjectPage", "{0} — %n image(s)", "", n).format(c.name)
                            if n else tr("{0} — no images yet: recognised by its name").format(c.name))
        if not self.desc_edit.hasFocus():
            self.desc_edit.setText(c.description)
        settings = project.settings
        template = (settings.get("train") or {}).get("template") or settings.get("template") or DEFAULT_TEMPLATE
        try:
            prompt = project.prompt_for(c.name, template)
        except (IndexError, KeyError, ValueError):
            prompt = project.prompt_for(c.name)
        self.prompt_label.setText(tr("Prompt: {0}").format(prompt))

    def set_actions_enabled(self, has_class: bool, has_selection: bool, can_move: bool) -> None:
        """Enable the buttons that make sense now (the page passes False for all while an add runs)."""
        for w in (self.add_images_btn, self.paste_btn, self.desc_edit, self.camera_btn):
            w.setEnabled(has_class)
        self.remove_images_btn.setEnabled(has_selection)
        self.move_btn.setEnabled(has_selection and can_move)

    def selected_rows(self) -> list[int]:
        return sorted(i.row() for i in self.grid.selectionModel().selectedIndexes())

    @Slot()
    def show_busy(self) -> None:
        """An add started: an indeterminate progress bar with its Stop button."""
        self.progress.setRange(0, 0)
        self.progress_row.setVisible(True)

    @Slot(int, int)
    def show_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.setFormat(self.tr("Checking and copying images: %v of %m"))

    def hide_progress(self) -> None:
        self.progress_row.setVisible(False)

    def set_thumb_size(self, size: int) -> None:
        """Lay the grid out for thumbnails of ``size`` pixels (the slider follows)."""
        set_grid_size(self.grid, size)
        if self.size_slider.value() != size:
            self.size_slider.blockSignals(True)
            self.size_slider.setValue(size)
            self.size_slider.blockSignals(False)

    # ---------------------------------------------------------------- slots
    @Slot(int)
    def _on_size_moved(self, size: int) -> None:
        set_grid_size(self.grid, size)                     # the grid follows at once (old pixmaps scale)
        self._size_timer.start()

    @Slot()
    def _on_desc_edited(self) -> None:
        self.descriptionEdited.emit(self.desc_edit.text())

    def _fill_move_menu(self, menu: QMenu) -> None:
        """One action per other class; ``action.data()`` is the class name."""
        menu.clear()
        for name in self._move_targets():
            menu.addAction(name).setData(name)

    @Slot(QAction)
    def _on_move_action(self, action: QAction) -> None:
        if action.data():
            self.moveRequested.emit(str(action.data()))

    @Slot(QPoint)
    def _show_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        menu.addAction(self.tr("Remove"), QKeySequence(QKeySequence.StandardKey.Delete),
                       self.removeRequested.emit).setEnabled(self.remove_images_btn.isEnabled())
        sub = menu.addMenu(self.tr("Move to"))
        sub.setEnabled(self.move_btn.isEnabled())
        self._fill_move_menu(sub)
        sub.triggered.connect(self._on_move_action)
        index = self.grid.indexAt(pos)
        if index.isValid():
            menu.addSeparator()
            menu.addAction(self.tr("Open image"), partial(_open_path, index.data(PathRole)))
        menu.exec(self.grid.viewport().mapToGlobal(pos))


def _open_path(path: str) -> None:
    if path and os.path.exists(path):
        QDesktopServices.openUrl(QUrl.fromLocalFile(path))
