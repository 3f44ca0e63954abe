"""Results and Try-it pages on a real (tiny) training run: confusion matrix clicks, save/load with the
header shown first, damaged files, ranking an image with classes added by name."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from tests.gui._train_fixtures import app_state, colour_project, no_dialogs, train_on_page  # noqa: E402,F401

pytestmark = pytest.mark.gui


@pytest.fixture
def trained(qtbot, app_state, no_dialogs):
    """The app state after a 2-epoch run of the Train page (result set, adapter autosaved)."""
    train_on_page(qtbot, app_state, epochs=2)
    assert app_state.result is not None and no_dialogs["errors"] == []
    return app_state


@pytest.fixture
def results_page(qtbot, app_state):
    from rmadapter_app.gui.results_view import ResultsPage
    page = ResultsPage(app_state)
    qtbot.addWidget(page)
    return page


def _backbone_is_clean(state) -> bool:
    from rmadapter_app.core.model.inject import AdaptedBlock
    bb = state.cached_backbone()
    blocks = list(bb.visual.transformer.resblocks) + list(bb.text.transformer.resblocks)
    return not any(isinstance(b, AdaptedBlock) for b in blocks)


def test_results_show_metrics_matrix_and_cell_images(qtbot, results_page, trained):
    from PySide6.QtCore import Qt

    page, result = results_page, trained.result
    m = result.metrics
    # the plain headline (issue 13): "X% correct on N images it did not train on (frozen CLIP: Y%)"
    how = ", by cross-validation" if m["validation"] == "kfold" else ""
    assert page.headline.text() == (f"{m['val_accuracy']:.0%} correct on {m['n_val']} images it did not train on"
                                    f"{how} (frozen CLIP: {m['zero_shot_accuracy']:.0%})")
    assert page.per_class.rowCount() == 3
    model = page.confusion.matrix
    assert model.rowCount() == model.columnCount() == 3
    total = sum(model.count(r, c) for r in range(3) for c in range(3))
    assert total == m["n_val"] == len(result.val_predictions) > 0
    # misclassified list = off-diagonal cells
    off = sum(model.count(r, c) for r in range(3) for c in range(3) if r != c)
    assert page.wrong_gallery.count() == off
    # click the fullest cell with the mouse: its images are listed with their top predictions
    r, c = max(((r, c) for r in range(3) for c in range(3)), key=lambda rc: model.count(*rc))
    rect = page.confusion.visualRect(model.index(r, c))
    page.show()
    qtbot.mouseClick(page.confusion.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.cell_gallery.count() == model.count(r, c) > 0
    expected = {p.path for p in result.val_predictions if p.label == r and p.pred == c}
    assert set(page.cell_gallery.paths()) == expected
    first = page.cell_gallery.item(0).text()
    assert first.startswith("true: " + result.class_names[r]) and "1. " + result.class_names[c] in first
    assert page.cell_gallery.wait_for_thumbnails()
    # the header of the autosaved adapter is shown
    assert "Backbone: tiny-vit" in page.adapter_label.text()


def test_save_and_reload_adapter_with_header_first(qtbot, results_page, trained, monkeypatch, tmp_path, no_dialogs):
    from rmadapter_app.gui import dialogs

    page, state = results_page, trained
    autosaved = state.adapter_path
    assert page.default_save_name().startswith("Colours-") and page.default_save_name().endswith(
        ".rmadapter.safetensors")
    monkeypatch.setattr(dialogs, "ask_save_file", lambda *a, **k: tmp_path / "mine")
    saved = page.save_adapter()
    assert saved == tmp_path / "mine.rmadapter.safetensors" and saved.read_bytes() == autosaved.read_bytes()
    # a copy is saved; the model in use stays the project's own (issue 13), and the page confirms with a link
    assert state.adapter_path == autosaved
    assert "Saved a copy as mine.rmadapter.safetensors" in page.saved_label.text()
    assert f'<a href="{tmp_path.as_uri()}">Open' in page.saved_label.text()          # the "Open folder" link
    # saving over an existing file asks first; "No" leaves it untouched
    saved.write_bytes(b"keep me")
    asked = []
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda parent, title, text, **k: asked.append(text) or False)
    state.set_adapter_path(autosaved)
    assert page.save_adapter() is None
    assert asked and "already exists" in asked[0] and saved.read_bytes() == b"keep me"
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda parent, title, text, **k: True)
    assert page.save_adapter() == saved and saved.read_bytes() == autosaved.read_bytes()

    # loading: the header is shown before the adapter is used, and declining changes nothing
    state.set_adapter_path(None)
    shown = []

    def answer(parent, title, text, **k):
        shown.append((text, state.adapter_path))
        return len(shown) > 1                        # decline once, then accept

    monkeypatch.setattr(dialogs, "ask_open_file", lambda *a, **k: saved)
    monkeypatch.setattr(dialogs, "ask_yes_no", answer)
    assert not page.load_adapter() and state.adapter_path is None
    # a file from elsewhere is copied into the project's models and used from there (issue 13)
    assert page.load_adapter() and state.adapter_path == autosaved.parent / "mine.rmadapter.safetensors"
    assert state.adapter_path.read_bytes() == saved.read_bytes() and saved.exists()
    text, path_then = shown[1]
    assert path_then is None                          # shown BEFORE loading
    for part in ("Backbone: tiny-vit", "Classes (3)", "blue", "green", "red", "Created:", "Accuracy"):
        assert part in text
    assert "mine.rmadapter.safetensors" in page.adapter_label.text()


def test_damaged_or_foreign_adapter_shows_error(qtbot, results_page, app_state, monkeypatch, tmp_path, no_dialogs):
    import torch
    from safetensors.torch import save_file

    from rmadapter_app.gui import dialogs
    from rmadapter_app.gui.try_view import TryPage

    damaged = tmp_path / "broken.rmadapter.safetensors"
    damaged.write_bytes(b"\x00\x01 this is not a safetensors file")
    foreign = tmp_path / "foreign.safetensors"
    save_file({"w": torch.zeros(2)}, str(foreign))
    for path, words in ((damaged, "damaged"), (foreign, "not an RMAdapter adapter")):
        monkeypatch.setattr(dialogs, "ask_open_file", lambda *a, _p=path, **k: _p)
        no_dialogs["errors"].clear()
        assert not results_page.load_adapter()
        assert app_state.adapter_path is None
        assert len(no_dialogs["errors"]) == 1 and words in no_dialogs["errors"][0][1]
    # a damaged file already in use: the Try page reports it instead of raising
    app_state.set_adapter_path(damaged)
    assert "damaged" in results_page.adapter_label.text()
    page = TryPage(app_state)
    qtbot.addWidget(page)
    no_dialogs["errors"].clear()
    assert not page.classify_file(app_state.project.training_data()[0][0][0])
    assert not app_state.jobs.busy()
    assert len(no_dialogs["errors"]) == 1 and "broken.rmadapter.safetensors" in no_dialogs["errors"][0][1]
    assert page.ranking() == []
    # header fine but tensors damaged: found when the classifier is built on the worker, shown in words
    good = results_page.state.project.adapters_dir / "cut.rmadapter.safetensors"
    from rmadapter_app.core.config import AdapterConfig
    from rmadapter_app.core.model.adapter_file import save_adapter
    bb = app_state.load_backbone()
    save_adapter(good, state={"visual.layer9.down.weight": torch.zeros(1)},
                 adapter_config=AdapterConfig().resolve_layers(bb.info.vision_layers, bb.info.text_layers),
                 backbone=bb.info, class_names=["a", "b"], prompts=["a", "b"])
    app_state.set_adapter_path(good)
    no_dialogs["errors"].clear()
    assert page.classify_file(app_state.project.training_data()[0][0][0])
    assert app_state.jobs.wait_idle(60000)
    assert len(no_dialogs["errors"]) == 1 and "cut.rmadapter.safetensors" in no_dialogs["errors"][0][1]
    assert page.ranking() == [] and _backbone_is_clean(app_state)


def test_try_page_zero_shot_then_adapter_with_added_classes(qtbot, app_state, no_dialogs, image_tree):
    from rmadapter_app.gui.try_view import TryPage

    page = TryPage(app_state)
    qtbot.addWidget(page)
    assert "by their names (nothing trained yet)" in page.source_label.text()    # plain words, not "zero-shot"
    image = image_tree / "red" / "red_0.png"
    assert page.classify_file(image)
    assert app_state.jobs.wait_idle(60000)
    ranking = page.ranking()
    assert sorted(n for n, _ in ranking) == ["blue", "green", "red"]
    assert sum(p for _, p in ranking) == pytest.approx(1.0, abs=1e-4)
    assert [p for _, p in ranking] == sorted((p for _, p in ranking), reverse=True)
    first = page._classifier
    assert first is not None and _backbone_is_clean(app_state)   # adapters off the shared backbone at rest

    # classes added by name are ranked too, with the same classifier object (built once, reused)
    assert page.add_class_names("purple, Cat, red")             # "red" exists already: ignored
    assert app_state.jobs.wait_idle(60000)
    names = [n for n, _ in page.ranking()]
    assert sorted(names) == ["Cat", "blue", "green", "purple", "red"]
    assert page._classifier is first and page.added_classes() == ["purple", "Cat"]
    assert page.table.rowCount() == 5

    # training still works on the shared backbone afterwards, and the page switches to the new adapter
    train_on_page(qtbot, app_state, epochs=1)
    assert no_dialogs["errors"] == []
    assert page._classifier is None and "the model in use" in page.source_label.text()
    assert page.classify_file(image)
    assert app_state.jobs.wait_idle(60000)
    names = [n for n, _ in page.ranking()]
    assert sorted(names) == ["Cat", "blue", "green", "purple", "red"]
    assert page._classifier is not None and page._classifier.header is not None
    assert _backbone_is_clean(app_state)


def test_try_page_paste_and_drop(qtbot, app_state, no_dialogs, image_tree):
    from PySide6.QtCore import QMimeData, QUrl
    from PySide6.QtGui import QImage

    from rmadapter_app.gui.try_view import TryPage

    page = TryPage(app_state)
    qtbot.addWidget(page)
    # pasted pixels (no file)
    mime = QMimeData()
    mime.setImageData(QImage(str(image_tree / "green" / "green_1.png")))
    assert page.handle_mime(mime)
    assert app_state.jobs.wait_idle(60000)
    assert sorted(n for n, _ in page.ranking()) == ["blue", "green", "red"]
    assert page.drop_area.pixmap() is not None and not page.drop_area.pixmap().isNull()
    # a dropped file URL
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(image_tree / "blue" / "blue_2.png"))])
    assert page.handle_mime(mime)
    assert app_state.jobs.wait_idle(60000)
    assert len(page.ranking()) == 3
    # text is not an image: a message, no job
    mime = QMimeData()
    mime.setText("hello")
    assert not page.handle_mime(mime)
    assert "not an image" in page.status_label.text()
    # a broken image file: a clear error, no crash
    broken = image_tree / "broken.png"
    broken.write_bytes(b"not a png")
    assert page.classify_file(broken)
    assert app_state.jobs.wait_idle(60000)
    assert len(no_dialogs["errors"]) == 1 and "broken.png" in no_dialogs["errors"][0][1]


def test_try_page_asks_before_downloading_weights(qtbot, app_state, no_dialogs, monkeypatch, image_tree):
    from rmadapter_app.gui import dialogs
    from rmadapter_app.gui.state import BackboneSpec
    from rmadapter_app.gui.try_view import TryPage

    app_state.set_backbone_spec(BackboneSpec("ViT-B-32", "openai"))     # not on disk in the test home
    asked = []
    monkeypatch.setattr(dialogs, "ask_missing_weights", lambda parent, message: asked.append(message) or None)
    page = TryPage(app_state)
    qtbot.addWidget(page)
    assert not page.classify_file(image_tree / "red" / "red_0.png")
    assert len(asked) == 1 and "ViT-B-32" in asked[0]
    assert not app_state.jobs.busy() and "weights are needed" in page.status_label.text()
