"""Safety refusals reach the user as plain messages: a project folder turned into a link, a damaged cache."""
from __future__ import annotations

import os
import shutil

import pytest

pytest.importorskip("PySide6")

from tests.gui._train_fixtures import app_state, colour_project, no_dialogs  # noqa: E402,F401

pytestmark = pytest.mark.gui


def test_training_into_an_adapters_folder_that_became_a_link_is_refused_in_words(qtbot, app_state, tmp_path,
                                                                                   no_dialogs):
    from rmadapter_app.gui.train_view import TrainPage

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    adapters = app_state.project.folder / "adapters"
    shutil.rmtree(adapters, ignore_errors=True)
    os.symlink(outside, adapters)                      # changed behind the app's back while the project is open
    page = TrainPage(app_state)
    qtbot.addWidget(page)
    assert page.start_training() is False
    assert no_dialogs["errors"] and "link" in no_dialogs["errors"][0][1]
    assert list(outside.iterdir()) == []


def test_label_status_names_a_rebuilt_cache():
    from types import SimpleNamespace

    from rmadapter_app.gui.label import status_text

    run = SimpleNamespace(stopped=False, n_done=0, seconds=0.0, from_cache=0, n_errors=0, class_names=["a", "b"],
                          warnings=["The embedding cache was damaged (bad checksum). The damaged part was dropped "
                                    "and is rebuilt."])
    text = status_text.run_done(run, rescored=False, n_results=0)
    assert text.startswith("Labeled 0 images") and "damaged" in text
