"""Widgets and layout of the Project page (kept apart from its behaviour in project_view.py)."""
from __future__ import annotations

import os
from functools import partial

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QFont, QKeySequence, QPalette
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QLabel, QLineEdit, QMenu, QProgressBar, QPushButton,
                               QSplitter, QToolButton, QVBoxLayout, QWidget)

from .qt_models import ClassItemDelegate, NameRole, PathRole
from .thumbnails import THUMB_SIZE
from .widgets.drop_area import DropListView, make_grid
from .widgets.problems_panel import ProblemsPanel


def _button(page: QWidget, text: str, tip: str) -> QPushButton:
    b = QPushButton(text, page)
    b.setToolTip(tip)
    return b


def _left(page) -> QWidget:
    box = QWidget(page)
    title = QLabel(page.tr("Classes"), box)
    font = QFont(title.font())
    font.setBold(True)
    title.setFont(font)
    page.new_class_edit = QLineEdit(box)
    page.new_class_edit.setPlaceholderText(page.tr("New class name…"))
    page.new_class_edit.setToolTip(page.tr("Type a class name and press Enter. A class without images is "
                                           "recognised zero-shot from its name."))
    page.new_class_edit.setClearButtonEnabled(True)
    page.add_class_btn = _button(box, page.tr("Add class"), page.tr("Add the typed class (Enter)"))
    row = QHBoxLayout()
    row.addWidget(page.new_class_edit, 1)
    row.addWidget(page.add_class_btn)
    page.class_view = DropListView(box, target_role=NameRole, empty_text=page.tr(
        "Type a class name above and press Enter, or drop a folder with one subfolder per class here."))
    page.class_view.setModel(page.class_model)
    page.class_view.setItemDelegate(ClassItemDelegate(page.class_view))
    page.class_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    page.class_view.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed
                                    | QAbstractItemView.EditTrigger.DoubleClicked)
    page.class_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    page.class_view.setToolTip(page.tr("Drop images or folders onto a class to add them. "
                                       "F2 or double-click renames, Delete removes."))
    page.rename_btn = _button(box, page.tr("Rename"), page.tr("Rename the selected class (F2)"))
    page.remove_class_btn = _button(box, page.tr("Remove"), page.tr("Remove the selected class and its images "
                                                                     "(Delete; Ctrl+Z brings it back)"))
    buttons = QHBoxLayout()
    buttons.addWidget(page.rename_btn)
    buttons.addWidget(page.remove_class_btn)
    buttons.addStretch(1)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(title)
    layout.addLayout(row)
    layout.addWidget(page.class_view, 1)
    layout.addLayout(buttons)
    return box


def _right(page) -> QWidget:
    box = QWidget(page)
    page.header = QLabel(box)
    font = QFont(page.header.font())
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.2)
    page.header.setFont(font)
    page.desc_edit = QLineEdit(box)
    page.desc_edit.setPlaceholderText(page.tr("Optional description, e.g. “a small domestic cat” (used in the prompt)"))
    page.desc_edit.setToolTip(page.tr("Words that help the model know what this class means; "
                                      "they are added to the class's text prompt."))
    page.prompt_label = QLabel(box)
    page.prompt_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    page.prompt_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)   # follows theme changes
    page.add_images_btn = _button(box, page.tr("Add images…"), page.tr("Choose image files to add to this class"))
    page.paste_btn = _button(box, page.tr("Paste"), page.tr("Paste an image or image files from the clipboard (Ctrl+V)"))
    page.remove_images_btn = _button(box, page.tr("Remove images"),
                                     page.tr("Remove the selected images (Delete; Ctrl+Z brings them back)"))
    page.move_btn = QToolButton(box)
    page.move_btn.setText(page.tr("Move to"))
    page.move_btn.setToolTip(page.tr("Move the selected images to another class"))
    page.move_btn.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    page.move_menu = QMenu(page.move_btn)
    page.move_btn.setMenu(page.move_menu)
    tools = QHBoxLayout()
    for w in (page.add_images_btn, page.paste_btn, page.remove_images_btn, page.move_btn):
        tools.addWidget(w)
    tools.addStretch(1)
    page.grid = DropListView(box)
    make_grid(page.grid, THUMB_SIZE)
    page.grid.setModel(page.image_model)
    page.grid.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    page.progress = QProgressBar(box)
    page.progress.setTextVisible(True)
    page.stop_btn = _button(box, page.tr("Stop"), page.tr("Stop adding; the images added so far are kept"))
    page.progress_row = QWidget(box)
    prow = QHBoxLayout(page.progress_row)
    prow.setContentsMargins(0, 0, 0, 0)
    prow.addWidget(page.progress, 1)
    prow.addWidget(page.stop_btn)
    page.progress_row.setVisible(False)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(page.header)
    layout.addWidget(page.desc_edit)
    layout.addWidget(page.prompt_label)
    layout.addLayout(tools)
    layout.addWidget(page.grid, 1)
    layout.addWidget(page.progress_row)
    return box


def build_project_page(page) -> None:
    """Create the page's widgets as attributes of ``page`` and lay them out."""
    page.problems = ProblemsPanel(page)
    right = QSplitter(Qt.Orientation.Vertical, page)
    right.addWidget(_right(page))
    right.addWidget(page.problems)
    right.setStretchFactor(0, 4)
    right.setStretchFactor(1, 1)
    right.setChildrenCollapsible(False)
    split = QSplitter(Qt.Orientation.Horizontal, page)
    split.addWidget(_left(page))
    split.addWidget(right)
    split.setStretchFactor(1, 1)
    split.setSizes([260, 700])
    layout = QVBoxLayout(page)
    layout.addWidget(split)


def update_header(page) -> None:
    """Show the selected class: name, image count or zero-shot, description, prompt."""
    project, name = page.state.project, page.current_class()
    if project is None or name is None or not project.has_class(name):
        page.header.setText(page.tr("No class selected") if project is not None and project.classes
                            else page.tr("Start by typing a class name on the left"))
        page.grid.empty_text = page.tr("Select a class on the left to see its images, or drop a folder "
                                       "with one subfolder per class anywhere on this page.")
        page.desc_edit.setText("")
        page.prompt_label.setText("")
        page.grid.viewport().update()
        return
    page.grid.empty_text = page.tr("No images yet: this class is recognised zero-shot from its name.\n"
                                   "Drop images or folders here, paste them (Ctrl+V) or use Add images…")
    c = project.get_class(name)
    n = len(c.images)
    page.header.setText(page.tr("{0} — %n image(s)", "", n).format(c.name) if n
                        else page.tr("{0} — zero-shot (no images yet)").format(c.name))
    if not page.desc_edit.hasFocus():
        page.desc_edit.setText(c.description)
    settings = project.settings
    template = (settings.get("train") or {}).get("template") or settings.get("template") or "a photo of a {}."
    try:
        prompt = project.prompt_for(c.name, template)
    except (IndexError, KeyError, ValueError):
        prompt = project.prompt_for(c.name)
    page.prompt_label.setText(page.tr("Prompt: {0}").format(prompt))


# ---------------------------------------------------------------- context menus
def fill_move_menu(page, menu: QMenu) -> None:
    """One action per other class; ``action.data()`` is the class name."""
    menu.clear()
    project = page.state.project
    for name in (project.class_names() if project else []):
        if name != page.current_class():
            menu.addAction(name).setData(name)


def show_grid_menu(page, pos) -> None:
    menu = QMenu(page)
    menu.addAction(page.tr("Remove"), QKeySequence(QKeySequence.StandardKey.Delete),
                   page.remove_selected_images).setEnabled(page.remove_images_btn.isEnabled())
    sub = menu.addMenu(page.tr("Move to"))
    sub.setEnabled(page.move_btn.isEnabled())
    fill_move_menu(page, sub)
    sub.triggered.connect(page._on_move_menu_triggered)
    index = page.grid.indexAt(pos)
    if index.isValid():
        menu.addSeparator()
        menu.addAction(page.tr("Open image"), partial(_open_path, index.data(PathRole)))
    menu.exec(page.grid.viewport().mapToGlobal(pos))


def show_class_menu(page, pos) -> None:
    menu = QMenu(page)
    enabled = page.current_class() is not None and not page.is_adding()
    menu.addAction(page.tr("Rename"), QKeySequence(Qt.Key.Key_F2), page._on_rename_clicked).setEnabled(enabled)
    menu.addAction(page.tr("Remove class"), QKeySequence(QKeySequence.StandardKey.Delete),
                   page.remove_selected_class).setEnabled(enabled)
    menu.addAction(page.tr("Add images…"), page.add_images_dialog).setEnabled(enabled)
    menu.exec(page.class_view.viewport().mapToGlobal(pos))


def _open_path(path: str) -> None:
    if path and os.path.exists(path):
        QDesktopServices.openUrl(QUrl.fromLocalFile(path))
