"""The Label page's "Run on a Ray cluster": offered only with the cluster extra, and a run through a
local Ray head (127.0.0.1 only) labels the folder exactly as a run on this computer."""
from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("PySide6")

from tests.core.test_ray_labeling import needs_ray, ray_head, tiny_files  # noqa: E402,F401
from tests.gui._train_fixtures import app_state, colour_project, no_dialogs  # noqa: E402,F401

pytestmark = [pytest.mark.gui, pytest.mark.filterwarnings("ignore::DeprecationWarning:ray")]


def _page(qtbot, state):
    from rmadapter_app.gui.label_view import LabelPage
    page = LabelPage(state)
    qtbot.addWidget(page)
    return page


def test_the_ray_option_is_hidden_without_the_cluster_extra(qtbot, app_state, monkeypatch):
    from rmadapter_app.core.label import cluster

    monkeypatch.setattr(cluster, "ray_installed", lambda: False)
    page = _page(qtbot, app_state)
    setup = page.setup
    assert not setup.ray_check.isVisibleTo(setup) and not setup.ray_address_edit.isVisibleTo(setup)
    setup.ray_check.setChecked(True)                 # even if ticked somehow, nothing runs on Ray
    assert setup.ray_address() is None


def test_the_ray_option_gives_the_address_only_when_ticked(qtbot, app_state, monkeypatch):
    from rmadapter_app.core.label import cluster

    monkeypatch.setattr(cluster, "ray_installed", lambda: True)
    page = _page(qtbot, app_state)
    setup = page.setup
    assert setup.ray_check.isVisibleTo(setup) and setup.ray_check.text() == "Run on a Ray cluster"
    assert setup.ray_address() is None and not setup.ray_address_edit.isEnabled()
    setup.ray_check.setChecked(True)
    assert setup.ray_address_edit.isEnabled() and setup.ray_address() == "auto"
    setup.ray_address_edit.setText("  10.1.2.3:6379 ")
    assert setup.ray_address() == "10.1.2.3:6379"
    setup.ray_address_edit.setText("")
    assert setup.ray_address() == "auto"


@needs_ray
def test_the_label_page_runs_on_a_local_ray_cluster_like_on_this_computer(qtbot, ray_head, tiny_files, app_state,
                                                                          image_tree, tmp_path, no_dialogs):
    from rmadapter_app.core.classifier import Classifier
    from rmadapter_app.core.label.embedding_cache import EmbeddingCache
    from rmadapter_app.core.label.engine import run_labeling

    spec, _ = tiny_files
    app_state.set_backbone_spec(spec)                 # weights every worker can read: a file, not random
    page = _page(qtbot, app_state)
    assert page.setup.ray_check.isVisibleTo(page.setup)
    page.setup.ray_check.setChecked(True)
    page.setup.ray_address_edit.setText("local")
    (image_tree / "red" / "empty.png").write_bytes(b"")
    assert page.add_sources([image_tree]) == 1
    with qtbot.waitSignal(page.runFinished, timeout=180000) as blocker:
        assert page.start_labeling()
    assert page.jobs.wait_idle(30000)
    run = blocker.args[0]
    assert no_dialogs["errors"] == []
    assert run.stats["workers"] == 1 and run.stats["nodes"] == 1      # it really went through Ray
    assert run.n_done == 25 and run.encoded == 24 and run.n_errors == 1 and page.model.rowCount() == 25
    with Classifier.zero_shot(spec, run.class_names, device="cpu") as clf:
        local = run_labeling(clf, [image_tree], cache=EmbeddingCache.for_classifier(clf, root=tmp_path / "local"))
    assert [str(p) for p in run.paths] == [str(p) for p in local.paths] and run.errors == local.errors
    assert (run.top()[0] == local.top()[0]).all()
    np.testing.assert_allclose(run.probs, local.probs, atol=1e-5)
