"""The Label page on the tiny backbone: run, live threshold counts, corrections, move + undo, stop and
resume, re-scoring added classes without the image encoder, an adapter file's classes."""
from __future__ import annotations

import csv
import json
import threading
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from tests.gui._train_fixtures import app_state, colour_project, no_dialogs  # noqa: E402,F401

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot, app_state, no_dialogs):
    from rmadapter_app.gui.label_view import LabelPage
    p = LabelPage(app_state)
    qtbot.addWidget(p)
    return p


@pytest.fixture
def encoder_calls(monkeypatch):
    """Counts image-encoder batches (Classifier.embed), from any thread."""
    from rmadapter_app.core.classifier import Classifier
    calls: list[int] = []
    original = Classifier.embed

    def counting(self, images):
        calls.append(int(images.shape[0]))
        return original(self, images)
    monkeypatch.setattr(Classifier, "embed", counting)
    return calls


def _run(qtbot, page, timeout=60000):
    with qtbot.waitSignal(page.runFinished, timeout=timeout) as blocker:
        assert page.start_labeling()
    assert page.jobs.wait_idle(30000)
    return blocker.args[0]


def test_zero_shot_run_threshold_correct_move_and_undo(qtbot, page, image_tree, tmp_path, monkeypatch,
                                                       no_dialogs, encoder_calls):
    from rmadapter_app.core.label.plan import UNCERTAIN
    from rmadapter_app.gui import dialogs

    (image_tree / "red" / "empty.png").write_bytes(b"")
    before = {p: p.read_bytes() for p in image_tree.rglob("*.png")}
    assert page.use_names.isChecked() and page.names_edit.text() == "blue, green, red"   # from the project
    assert page.add_sources([image_tree]) == 1 and page.add_sources([image_tree]) == 0
    assert page.out_edit.text().endswith("colours labeled")
    run = _run(qtbot, page)
    assert run is not None and run.n_done == 25 and sum(encoder_calls) == 24
    assert page.model.rowCount() == 25 and no_dialogs["errors"] == []
    assert "Labeled 25 images" in page.status_label.text() and "1 unreadable" in page.status_label.text()
    assert page.histogram.counts().sum() == 24

    # the threshold moves buckets live, before anything is written
    page.set_threshold(0.0)
    counts = page.counts()
    assert counts[UNCERTAIN] == 0 and counts["__errors__"] == 1 and sum(counts[c] for c in ("red", "green", "blue")) == 24
    page.set_threshold(1.0)
    below = sum(1 for r in page.model.results() if not r.error and r.confidence < 1.0)
    assert page.counts()[UNCERTAIN] == below and page.counts_table.item(3, 1).text() == str(below)
    assert page.histogram.line.value() == pytest.approx(1.0)
    page.histogram.line.setValue(0.0)              # dragging the line moves the slider
    assert page.threshold() == 0.0 and page.counts()[UNCERTAIN] == 0
    assert not (tmp_path / "sorted").exists()

    # sorted by confidence (descending) in the table
    confs = [page.model.index(r, 2).data(0x0101) for r in range(page.model.rowCount())]
    assert confs == sorted(confs, reverse=True)

    # correct one label through the combo delegate
    target = image_tree / "blue" / "blue_0.png"
    row = page.model.row_of(target)
    pidx = page.model.index(row, 1)
    delegate = page.table.itemDelegateForColumn(1)
    editor = delegate.createEditor(page.table.viewport(), None, pidx)
    editor.setCurrentIndex(editor.findData(UNCERTAIN))
    delegate.setModelData(editor, page.model, pidx)
    assert page.model.bucket(row) == UNCERTAIN and page.counts()[UNCERTAIN] == 1
    assert page.model.overrides() == {target: UNCERTAIN}

    # move with structure, reports, then undo
    out = tmp_path / "sorted"
    page.out_edit.setText(str(out))
    page.move_radio.setChecked(True)
    page.keep_structure.setChecked(True)
    page.json_check.setChecked(True)
    asked = []
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda *a, **k: asked.append(a) or True)
    with qtbot.waitSignal(page.writeFinished, timeout=30000) as blocker:
        assert page.write_files()
    outcome = blocker.args[0]
    assert asked and outcome.journal.done == 24
    assert (out / UNCERTAIN / "blue" / "blue_0.png").exists()
    assert not list((image_tree / "blue").glob("*.png"))
    assert (image_tree / "red" / "empty.png").exists()          # unreadable files stay put
    rows = list(csv.DictReader((out / "labels.csv").open(encoding="utf-8")))
    assert len(rows) == 25 and any(r["corrected"] == "True" for r in rows)
    assert json.loads((out / "labels.json").read_text())["summary"]["mode"] == "move"
    assert page.undo_button.isEnabled() and "Moved 24 images" in page.status_label.text()
    assert page.jobs.wait_idle(30000)
    with qtbot.waitSignal(page.undoFinished, timeout=30000) as blocker:
        assert page.undo_last_write()
    assert blocker.args[0].restored == 24 and not blocker.args[0].left
    assert {p: p.read_bytes() for p in image_tree.rglob("*.png")} == before
    assert page.jobs.wait_idle(30000)
    assert not page.undo_button.isEnabled()


def test_stop_keeps_results_then_run_resumes_and_extra_class_rescores(qtbot, page, tmp_path, monkeypatch,
                                                                      encoder_calls):
    from rmadapter_app.core.classifier import Classifier
    from tests.conftest import write_color_tree

    root = write_color_tree(tmp_path / "many", per_class=6)
    page.add_sources([root])
    page.batch_spin.setValue(4)
    first_batch, release = threading.Event(), threading.Event()
    counting = Classifier.embed

    def gated(self, images):
        out = counting(self, images)
        first_batch.set()
        assert release.wait(30)
        return out
    monkeypatch.setattr(Classifier, "embed", gated)
    with qtbot.waitSignal(page.runFinished, timeout=60000) as blocker:
        assert page.start_labeling()
        assert page.stop_button.isEnabled() and not page.run_button.isEnabled()
        qtbot.waitUntil(first_batch.is_set, timeout=60000)
        page.stop()
        release.set()
    run = blocker.args[0]
    assert page.jobs.wait_idle(30000)
    assert run.stopped and run.n_done == 4 and page.model.rowCount() == 4
    assert "Stopped after 4 of 18" in page.status_label.text()
    assert page.write_button.isEnabled()                     # results so far can be written

    monkeypatch.setattr(Classifier, "embed", counting)
    encoder_calls.clear()
    run = _run(qtbot, page)
    assert not run.stopped and run.n_done == 18 and run.from_cache == 4 and sum(encoder_calls) == 14

    # an extra class re-scores from the cache: no image goes through the encoder again
    encoder_calls.clear()
    page.extras_edit.setText("purple")
    with qtbot.waitSignal(page.runFinished, timeout=60000) as blocker:
        page.extras_edit.returnPressed.emit()
    rescored = blocker.args[0]
    assert page.jobs.wait_idle(30000)
    assert rescored.class_names == ["blue", "green", "red", "purple"] and encoder_calls == []
    assert "purple" in [page.counts_table.item(r, 0).text() for r in range(page.counts_table.rowCount())]
    assert page.model.class_names()[-1] == "purple" and "Re-scored 18 images" in page.status_label.text()


def test_adapter_classes_shown_and_reports_only(qtbot, page, app_state, image_tree, tmp_path, tiny_backbone):
    from tests.core.test_labeling import _adapter_file

    path = _adapter_file(tiny_backbone, tmp_path / "colours.rmadapter.safetensors", seed=3)
    app_state.set_adapter_path(path)
    assert page.use_adapter.isChecked() and page.adapter_edit.text() == str(path)
    assert "3 classes: red, green, blue" in page.adapter_info.text()
    page.extras_edit.setText("purple")
    page.add_sources([image_tree / "green"])
    run = _run(qtbot, page)
    assert run.class_names == ["red", "green", "blue", "purple"] and run.n_done == 8
    page.report_radio.setChecked(True)
    page.json_check.setChecked(True)
    out = tmp_path / "reports"
    page.out_edit.setText(str(out))
    with qtbot.waitSignal(page.writeFinished, timeout=30000):
        assert page.write_files()
    assert sorted(p.name for p in out.iterdir()) == ["labels.csv", "labels.json"]
    assert page.jobs.wait_idle(30000)
    with qtbot.waitSignal(page.writeFinished, timeout=30000):   # a second report never overwrites the first
        assert page.write_files()
    assert sorted(p.name for p in out.iterdir()) == ["labels (1).csv", "labels (1).json", "labels.csv",
                                                     "labels.json"]
    assert (image_tree / "green" / "green_0.png").exists() and not page.undo_button.isEnabled()


def test_output_inside_source_is_refused_with_a_message(qtbot, page, image_tree, no_dialogs):
    page.add_sources([image_tree])
    _run(qtbot, page)
    page.out_edit.setText(str(image_tree / "sorted"))
    with qtbot.waitSignal(page.writeFinished, timeout=30000) as blocker:
        assert page.write_files()
    assert blocker.args[0] is None
    assert no_dialogs["errors"] and "inside the source folder" in no_dialogs["errors"][-1][1]
    assert not (image_tree / "sorted").exists()


def test_drop_and_filter(qtbot, page, image_tree):
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    from rmadapter_app.core.label.plan import UNCERTAIN
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(image_tree / "red")), QUrl.fromLocalFile(str(image_tree / "blue"))])
    event = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    page.dropEvent(event)
    assert [Path(p) for p in (page.sources.item(i).text() for i in range(2))] == [image_tree / "red",
                                                                                  image_tree / "blue"]
    _run(qtbot, page)
    page.set_threshold(0.0)
    counts = page.counts()
    name = max(("red", "green", "blue"), key=lambda c: counts[c])
    page.filter_combo.setCurrentIndex(page.filter_combo.findData(name))
    assert page.model.rowCount() == counts[name] > 0
    first = page.model.index(0, 0)
    first.data(Qt.ItemDataRole.DecorationRole)         # a visible row asks for its thumbnail
    assert page.thumbnails.wait(30000)
    qtbot.waitUntil(lambda: page.thumbnails.has(first.data(0x0103)), timeout=30000)
    page.filter_combo.setCurrentIndex(page.filter_combo.findData(UNCERTAIN))
    assert page.model.rowCount() == 0
    page.set_threshold(1.0)                              # the filtered view follows the threshold
    assert page.model.rowCount() == sum(1 for r in page.model.results() if r.confidence < 1.0) > 0
    page.filter_combo.setCurrentIndex(0)
    assert page.model.rowCount() == 16


def test_zero_shot_names_follow_the_project_until_typed(qtbot, page, app_state):
    project = app_state.project
    project.add_class("yellow")
    app_state.projectEdited.emit()
    assert page.names_edit.text() == "blue, green, red, yellow"
    qtbot.keyClicks(page.names_edit, ", cyan")                # the user types: their names stay
    project.add_class("magenta")
    app_state.projectEdited.emit()
    assert page.names_edit.text() == "blue, green, red, yellow, cyan"
    assert page.choice().names == ["blue", "green", "red", "yellow", "cyan"]


def test_write_and_undo_say_what_they_did_with_an_open_folder_link(qtbot, page, image_tree, tmp_path, monkeypatch,
                                                                  no_dialogs):
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    from rmadapter_app.gui import dialogs
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(QUrl(url).toLocalFile()) or True)
    page.add_sources([image_tree / "red", image_tree / "blue"])
    _run(qtbot, page)
    assert not page.review.write_result.isVisible()
    out = tmp_path / "sorted"
    page.out_edit.setText(str(out))
    with qtbot.waitSignal(page.writeFinished, timeout=30000):          # copy
        assert page.write_files()
    result = page.review.write_result
    assert result.isVisibleTo(page) and "Copied 16 images" in result.text() and "Open folder" in result.text()
    href = result.text().split('href="', 1)[1].split('"', 1)[0]
    result.linkActivated.emit(href)                                     # what a click on the link does
    assert opened == [str(out)]
    assert page.jobs.wait_idle(30000)
    with qtbot.waitSignal(page.undoFinished, timeout=30000):
        assert page.undo_last_write()
    assert "Undone" in result.text() and "removed 16 copies" in result.text()
    result.linkActivated.emit(result.text().split('href="', 1)[1].split('"', 1)[0])
    assert opened[-1] == str(out)
    assert page.jobs.wait_idle(30000)
    page.move_radio.setChecked(True)                                    # move: undo puts them back at home
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda *a, **k: True)
    with qtbot.waitSignal(page.writeFinished, timeout=30000):
        assert page.write_files()
    assert page.jobs.wait_idle(30000)
    with qtbot.waitSignal(page.undoFinished, timeout=30000):
        assert page.undo_last_write()
    result.linkActivated.emit(result.text().split('href="', 1)[1].split('"', 1)[0])
    assert opened[-1] == str(image_tree / "red") and "Moved 16 images back" in result.text()


def test_labeling_times_read_in_whole_seconds_but_a_fast_run_is_not_zero_seconds():
    from rmadapter_app.gui.label.status_text import fmt_duration
    assert fmt_duration(0.34) == "0.3 s"           # 120 images in 0.3 s, not "in 0 s"
    assert fmt_duration(12.3) == "12 s" and fmt_duration(75) == "1 min 15 s"
