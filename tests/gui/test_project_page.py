"""The Project page and the window shell, driven through the same code paths as typing, drops and menus."""
from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PIL import Image  # noqa: E402
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl  # noqa: E402
from PySide6.QtGui import QColor, QDropEvent, QGuiApplication, QImage  # noqa: E402

from rmadapter_app.core import paths  # noqa: E402
from rmadapter_app.core.project.project import Project  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.fixture
def error_boxes(monkeypatch):
    """Error dialogs are recorded instead of shown."""
    from rmadapter_app.gui import errors
    shown = []
    monkeypatch.setattr(errors, "_present", lambda box: shown.append((box.windowTitle(), box.text())))
    return shown


@pytest.fixture
def names_asked(monkeypatch):
    """The project-name question: records (title, label, text) and answers ``answers[0]`` ("" = left empty)."""
    from rmadapter_app.gui import project_view
    asked = {"questions": [], "answers": [""]}

    def ask_text(parent, title, label, text=""):
        asked["questions"].append((title, label, text))
        return asked["answers"].pop(0) if len(asked["answers"]) > 1 else asked["answers"][0]
    monkeypatch.setattr(project_view, "ask_text", ask_text)
    return asked


@pytest.fixture
def page(qtbot, error_boxes, names_asked):
    from rmadapter_app.gui.jobs import JobRunner
    from rmadapter_app.gui.project_view import ProjectPage
    from rmadapter_app.gui.state import AppState
    state = AppState()
    state.jobs = JobRunner(state)
    state.messages = []
    state.message.connect(state.messages.append)
    p = ProjectPage(state)
    qtbot.addWidget(p)
    p.resize(900, 600)
    p.show()
    runner = state.jobs
    yield p
    runner.stop()
    assert runner.wait_idle(30000)
    p.thumbs.clear()
    assert p.thumbs.wait(10000)


def _png(path: Path, rgb=(200, 30, 30), size=24) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (size, size), rgb).save(path)
    return path


def _class_counts(p) -> dict[str, int]:
    return {c.name: len(c.images) for c in p.state.project.classes}


def _drop_on_class(p, qtbot, paths_: list[Path], class_name: str) -> None:
    """A real QDropEvent delivered to the class list over ``class_name``'s row."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(x)) for x in paths_])
    row = p.class_model.row_of(class_name)
    pos = p.class_panel.view.visualRect(p.class_model.index(row)).center()
    event = QDropEvent(QPointF(pos), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    p.class_panel.view.dropEvent(event)
    assert event.isAccepted()


def test_add_classes_by_typing(page, qtbot, qtmodeltester):
    assert page.state.project is None
    qtbot.keyClicks(page.class_panel.new_class_edit, "golden retriever")
    qtbot.keyClick(page.class_panel.new_class_edit, Qt.Key.Key_Return)
    project = page.state.project
    assert project is not None and project.folder.parent == paths.projects_dir()   # made on first use
    assert project.folder.name == "Untitled" and (project.folder / "project.json").is_file()   # name left empty
    assert page.class_model.rowCount() == 1 and page.current_class() == "golden retriever"
    assert page.class_panel.new_class_edit.text() == ""
    assert "by name only" in page.class_model.index(0).data(Qt.ItemDataRole.AccessibleTextRole)   # plain words
    assert "recognised by its name" in page.image_panel.header.text()
    assert "zero-shot" in page.class_model.index(0).data(Qt.ItemDataRole.ToolTipRole)        # the term: tooltip
    qtbot.keyClicks(page.class_panel.new_class_edit, "Golden Retriever")
    qtbot.keyClick(page.class_panel.new_class_edit, Qt.Key.Key_Return)
    assert page.class_model.rowCount() == 1
    assert page.class_panel.new_class_edit.text() == "Golden Retriever"          # kept so the user can fix it
    assert "already" in page.state.messages[-1]
    page.class_panel.new_class_edit.clear()
    page.add_class("poodle")
    assert Project.open(project.folder).class_names() == ["golden retriever", "poodle"]
    qtmodeltester.check(page.class_model)


def test_drop_folder_of_class_folders_reports_broken_files(page, qtbot, image_tree, error_boxes):
    (image_tree / "red" / "broken.png").write_bytes(b"\x89PNG not really")
    (image_tree / "red" / "readme.txt").write_text("ignored inside folders")
    with qtbot.waitSignal(page.addFinished, timeout=60000) as blocker:
        assert page.drop_paths([image_tree])            # a drop on the page, not on a class
    result = blocker.args[0]
    assert page.state.project.class_names() == ["blue", "green", "red"]
    assert _class_counts(page) == {"blue": 8, "green": 8, "red": 8}
    assert result.classes_created == ["blue", "green", "red"]
    rows = page.problems.rows()
    assert [Path(r[0]).name for r in rows] == ["broken.png"] and page.problems.isVisibleTo(page)
    assert "not an image" in rows[0][1] or "damaged" in rows[0][1]
    assert not error_boxes
    # the same folder again: everything is a duplicate, listed with the class that holds it
    with qtbot.waitSignal(page.addFinished, timeout=60000) as blocker:
        page.drop_paths([image_tree / "green"], target_class="blue")
    assert len(blocker.args[0].duplicates) == 8 and _class_counts(page)["blue"] == 8
    assert any("“green”" in reason for _, reason in page.problems.rows())


def test_drop_files_on_a_class_and_folder_becomes_class(page, qtbot, tmp_path):
    page.add_class("cat")
    page.add_class("dog")
    dog = [_png(tmp_path / "in" / f"dog{i}.png", (10, 10 * i, 200)) for i in range(2)]
    _drop_on_class(page, qtbot, dog, "dog")                  # small: added at once
    assert _class_counts(page) == {"cat": 0, "dog": 2}
    folder = tmp_path / "sea_lions"
    for i in range(3):
        _png(folder / f"s{i}.jpg", (5 * i, 90, 90))
    with qtbot.waitSignal(page.addFinished, timeout=60000):
        page.drop_paths([folder])                            # a folder of images: a class named after it
    assert _class_counts(page) == {"cat": 0, "dog": 2, "sea lions": 3}
    assert page.current_class() == "sea lions"
    loose = _png(tmp_path / "loose.png", (1, 2, 3))
    page.select_class("cat")
    page.drop_paths([loose])                                 # loose files go to the selected class
    assert _class_counts(page)["cat"] == 1


def test_thumbnails_are_made_off_the_gui_thread(page, qtbot, tmp_path):
    page.add_class("red")
    files = [_png(tmp_path / f"r{i}.png", (220, 20 + i, 20), size=300) for i in range(6)]
    with qtbot.waitSignal(page.addFinished, timeout=60000):
        page.add_paths("red", files)
    model = page.image_model
    assert model.rowCount() == 6
    paths_ = [model.path(r) for r in range(6)]
    for r in range(6):
        model.index(r).data(Qt.ItemDataRole.DecorationRole)       # what the view asks when painting
    qtbot.waitUntil(lambda: all(page.thumbs.has(p_) for p_ in paths_), timeout=30000)
    icon = model.index(0).data(Qt.ItemDataRole.DecorationRole)
    image = icon.pixmap(96, 96).toImage()
    assert max(image.width(), image.height()) == 96
    colour = image.pixelColor(image.width() // 2, image.height() // 2)
    assert colour.red() > 180 and colour.green() < 80


def test_rename_move_remove_and_undo(page, qtbot, tmp_path):
    page.add_class("cat")
    page.add_class("dog")
    page.add_paths("cat", [_png(tmp_path / f"c{i}.png", (30 * i, 100, 100)) for i in range(3)])
    project = page.state.project
    before = {p_.relative_to(project.folder) for p_ in (project.folder / "images").rglob("*.png")}
    # rename in place: what F2/double-click commits
    assert page.class_model.setData(page.class_model.index(0), "kitten")
    assert project.class_names() == ["kitten", "dog"] and page.current_class() == "kitten"
    assert not page.class_model.setData(page.class_model.index(0), "DOG")   # taken: refused, said why
    assert "already" in page.state.messages[-1]
    # move two images with the grid selection
    page.select_class("kitten")
    sel = page.image_panel.grid.selectionModel()
    for r in (0, 1):
        sel.select(page.image_model.index(r), sel.SelectionFlag.Select)
    assert page.image_panel.move_btn.isEnabled()
    assert page.move_selected_images("dog") == 2
    assert _class_counts(page) == {"kitten": 1, "dog": 2}
    # remove the last one with the Delete key
    page.image_panel.grid.selectionModel().select(page.image_model.index(0), sel.SelectionFlag.Select)
    qtbot.keyClick(page.image_panel.grid, Qt.Key.Key_Delete)
    assert _class_counts(page) == {"kitten": 0, "dog": 2}
    page.select_class("dog")
    page.remove_selected_class()
    assert project.class_names() == ["kitten"]
    assert Project.open(project.folder).class_names() == ["kitten"]
    for expected in ("Remove class", "Remove 1 image", "Move 2 image", "Rename"):
        assert page.undo().startswith(expected)
    assert project.class_names() == ["cat", "dog"] and _class_counts(page) == {"cat": 3, "dog": 0}
    after = {p_.relative_to(project.folder) for p_ in (project.folder / "images").rglob("*.png")}
    assert after == before                                  # every file back where it was


def test_paste_an_image_from_the_clipboard(page, qtbot):
    page.add_class("red")
    image = QImage(32, 32, QImage.Format.Format_RGB32)
    image.fill(QColor(230, 10, 10))
    QGuiApplication.clipboard().setImage(image)
    assert page.paste()
    entries = page.state.project.classes[0].images
    assert len(entries) == 1 and entries[0].original_name.startswith("pasted-")
    assert page.state.project.image_path(entries[0]).is_file()


def test_rename_with_the_in_place_editor(page, qtbot):
    from PySide6.QtWidgets import QLineEdit
    page.add_class("cat")
    page.add_class("dog")
    page.select_class("cat")
    page.class_panel.view.setFocus()
    qtbot.keyClick(page.class_panel.view, Qt.Key.Key_F2)
    editor = page.class_panel.view.findChild(QLineEdit)
    assert editor is not None and editor.text() == "cat"
    editor.selectAll()
    qtbot.keyClicks(editor, "tabby cat")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.state.project.class_names() == ["tabby cat", "dog"])
    assert page.current_class() == "tabby cat"


def test_works_without_a_job_runner(page, qtbot, image_tree):
    page.state.jobs = None                                   # small tools and tests: adds run at once
    assert page.drop_paths([image_tree])
    assert _class_counts(page) == {"blue": 8, "green": 8, "red": 8}


def test_a_new_project_is_named_when_created_and_can_be_renamed(page, qtbot, names_asked, error_boxes):
    names_asked["answers"] = [None]                           # the name question cancelled: nothing made
    qtbot.keyClicks(page.class_panel.new_class_edit, "robin")
    qtbot.keyClick(page.class_panel.new_class_edit, Qt.Key.Key_Return)
    assert page.state.project is None and page.class_panel.new_class_edit.text() == "robin"
    assert "name" in page.state.messages[-1] and not page.name_panel.rename_btn.isEnabled()
    names_asked["answers"] = ["  Garden   birds "]
    qtbot.keyClick(page.class_panel.new_class_edit, Qt.Key.Key_Return)
    project = page.state.project
    assert names_asked["questions"][-1][0] == "New project" and names_asked["questions"][-1][2] == ""
    assert project.name == "Garden birds" and project.folder.name == "Garden birds"
    assert project.class_names() == ["robin"] and page.name_panel.label.text() == "Project: Garden birds"
    folder = project.folder
    names_asked["answers"] = ["Birds at the feeder"]
    with qtbot.waitSignal(page.projectRenamed) as blocker:
        qtbot.mouseClick(page.name_panel.rename_btn, Qt.MouseButton.LeftButton)
    assert blocker.args == ["Birds at the feeder"]
    assert names_asked["questions"][-1][2] == "Garden birds"          # the old name, ready to edit
    assert Project.open(folder).name == "Birds at the feeder" and project.folder == folder   # folder kept
    assert page.name_panel.label.text() == "Project: Birds at the feeder"
    assert "Birds at the feeder" in page.state.messages[-1]
    names_asked["answers"] = ["   "]                           # an empty name: refused in words
    assert not page.rename_project()
    assert error_boxes and "needs a name" in error_boxes[-1][1]
    assert Project.open(folder).name == "Birds at the feeder"


def test_small_images_are_enlarged_and_the_size_slider_remakes_thumbnails(page, qtbot, tmp_path):
    from PySide6.QtCore import QSize
    page.add_class("dot")
    page.add_paths("dot", [_png(tmp_path / "small.png", (20, 200, 20), size=24),
                           _png(tmp_path / "wide.png", (20, 20, 200), size=12)])
    model = page.image_model

    def thumbnail_sizes():
        for r in range(model.rowCount()):
            model.index(r).data(Qt.ItemDataRole.DecorationRole)      # what the view asks when painting
        qtbot.waitUntil(lambda: all(page.thumbs.has(model.path(r)) for r in range(model.rowCount())),
                        timeout=30000)
        return [model.index(r).data(Qt.ItemDataRole.DecorationRole).availableSizes()[0]
                for r in range(model.rowCount())]
    assert thumbnail_sizes() == [QSize(96, 96), QSize(96, 96)]       # 24 px and 12 px, shown at 96
    slider = page.image_panel.size_slider
    assert slider.value() == 96 and slider.minimum() < 96 < slider.maximum()
    slider.setValue(160)
    assert page.image_panel.grid.iconSize() == QSize(160, 160)        # the grid follows at once
    qtbot.waitUntil(lambda: page.thumbs.size == 160, timeout=5000)    # new thumbnails once it rests
    assert thumbnail_sizes() == [QSize(160, 160), QSize(160, 160)]
    image = model.index(0).data(Qt.ItemDataRole.DecorationRole).pixmap(160, 160).toImage()
    assert image.pixelColor(80, 80).green() > 180


def test_problems_show_the_newest_first_with_notes_and_can_be_cleared(page, qtbot, tmp_path):
    page.add_class("a")
    first = tmp_path / "first.png"
    first.write_bytes(b"not a picture")
    page.add_paths("a", [first])
    tiny = _png(tmp_path / "tiny.png", size=1)
    clear = tmp_path / "clear.png"
    Image.new("RGBA", (40, 40), (0, 0, 0, 0)).save(clear)
    small = _png(tmp_path / "small.png", (9, 9, 9), size=20)
    page.add_paths("a", [tiny, clear, small])
    rows = page.problems.rows()
    assert [Path(r[0]).name for r in rows] == ["tiny.png", "clear.png", "small.png", "first.png"]
    reasons = dict((Path(r[0]).name, r[1]) for r in rows)
    assert "1x1 pixels" in reasons["tiny.png"] and "fully transparent" in reasons["clear.png"]
    assert reasons["small.png"].startswith("added") and page.problems.notes() == 1
    assert [e.original_name for e in page.state.project.get_class("a").images] == ["small.png"]
    assert "1 added with a note" in page.state.messages[-1] and "2 file" in page.state.messages[-1]
    assert "newest first" in page.problems._title.text() and page.problems.isVisibleTo(page)
    top = page.problems.tree.topLevelItem(0)
    assert page.problems.tree.visualItemRect(top).top() <= 2              # the newest row is in view
    qtbot.waitUntil(lambda: page.problems._clear.height() > 0)          # laid out once shown
    qtbot.mouseClick(page.problems._clear, Qt.MouseButton.LeftButton)
    assert page.problems.rows() == [] and not page.problems.isVisibleTo(page)


def test_file_names_are_cut_at_the_end_with_the_full_name_in_the_tooltip(page, tmp_path):
    page.add_class("a")
    long_name = "holiday_photo_" + "x" * 60 + "_final_version_2.png"
    page.add_paths("a", [_png(tmp_path / long_name)])
    assert page.image_panel.grid.textElideMode() == Qt.TextElideMode.ElideRight
    index = page.image_model.index(0)
    assert index.data(Qt.ItemDataRole.DisplayRole) == long_name
    assert long_name in index.data(Qt.ItemDataRole.ToolTipRole)


def test_camera_button_is_hidden_without_qt_multimedia(page, qtbot, monkeypatch):
    from rmadapter_app.gui import camera
    from rmadapter_app.gui.project_view import ProjectPage
    assert page.image_panel.camera_btn.isHidden() == (not camera.available())
    monkeypatch.setattr(camera, "multimedia", lambda: None)           # as on the base install
    other = ProjectPage(page.state)
    qtbot.addWidget(other)
    other.show()
    assert not camera.available() and other.image_panel.camera_btn.isHidden()
    other.add_class("cat")
    assert not other.take_pictures() and camera.INSTALL_HINT in other.state.messages[-1]
    with pytest.raises(RuntimeError, match="camera"):
        camera.CameraDialog("cat")


def test_camera_pictures_are_added_through_the_project(page, qtbot, monkeypatch):
    from PySide6.QtCore import Signal
    from PySide6.QtWidgets import QDialog

    from rmadapter_app.gui import camera

    class FakeCamera(QDialog):                          # what CameraDialog gives the page: captured(QImage)
        captured = Signal(QImage)

        def __init__(self, class_name, parent=None):
            super().__init__(parent)
            self.class_name = class_name

    calls = []
    original = Project.add_images

    def add_images(self, class_name, paths_in, *args, **kwargs):
        calls.append((class_name, [Path(p).name for p in paths_in]))
        return original(self, class_name, paths_in, *args, **kwargs)
    monkeypatch.setattr(Project, "add_images", add_images)
    monkeypatch.setattr(camera, "available", lambda: True)
    monkeypatch.setattr(camera.CameraLauncher, "dialog_class", FakeCamera)
    page.add_class("cat")
    page.add_class("dog")
    page.select_class("cat")
    assert page.take_pictures()
    dialog = page.camera.dialog
    assert isinstance(dialog, FakeCamera) and dialog.isVisible() and dialog.class_name == "cat"
    for colour in (QColor(200, 10, 10), QColor(10, 10, 200)):
        image = QImage(64, 48, QImage.Format.Format_RGB32)
        image.fill(colour)
        dialog.captured.emit(image)
    cat = page.state.project.get_class("cat")
    assert [c[0] for c in calls] == ["cat", "cat"] and len(cat.images) == 2
    assert all(e.original_name.startswith("camera-") and e.original_name.endswith(".png") for e in cat.images)
    assert all(page.state.project.image_path(e).is_file() for e in cat.images)
    assert page.undo().startswith("Add 1 image")                      # one undo step per picture
    page.state.set_project(Project.create("Other", page.state.project.folder.parent))
    assert page.camera.dialog is None                                 # bound to the old project's class: closed


def test_the_real_camera_window_without_a_camera(page, qtbot):
    """Where Qt Multimedia is installed (the camera extra): the real window opens, says there is no camera
    when there is none, and a picture it delivers is added to its class."""
    pytest.importorskip("PySide6.QtMultimedia")
    from rmadapter_app.gui import camera
    assert camera.available() and page.image_panel.camera_btn.isVisibleTo(page)
    page.add_class("cat")
    page.select_class("cat")
    assert page.take_pictures()
    dialog = page.camera.dialog
    assert isinstance(dialog, camera.CameraDialog) and dialog.class_name == "cat"
    if dialog.devices.count() == 0:
        assert not dialog.take_btn.isEnabled() and "No camera" in dialog.status.text()
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor(200, 30, 30))
    dialog._on_captured(1, image)                        # what QImageCapture.imageCaptured delivers
    assert len(page.state.project.get_class("cat").images) == 1
    dialog.close()
    qtbot.waitUntil(lambda: page.camera.dialog is None, timeout=5000)
