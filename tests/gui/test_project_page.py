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
def page(qtbot, error_boxes):
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
    assert project.folder.name == "Untitled" and (project.folder / "project.json").is_file()
    assert page.class_model.rowCount() == 1 and page.current_class() == "golden retriever"
    assert page.class_panel.new_class_edit.text() == ""
    assert "zero-shot" in page.class_model.index(0).data(Qt.ItemDataRole.AccessibleTextRole)
    assert "zero-shot" in page.image_panel.header.text()
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
