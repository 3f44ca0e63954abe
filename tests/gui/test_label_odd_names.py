"""The Label page with a file whose name is not valid UTF-8: labeled, shown, copied, reported."""
from __future__ import annotations

import json
import os

import pytest

pytest.importorskip("PySide6")

from tests.gui._train_fixtures import app_state, colour_project, no_dialogs  # noqa: E402,F401
from tests.gui.test_label_page import _run, page  # noqa: E402,F401

pytestmark = [pytest.mark.gui,
              pytest.mark.skipif(os.name == "nt" or os.uname().sysname == "Darwin",
                                 reason="needs arbitrary bytes in file names")]


def test_a_name_that_is_not_utf8_goes_through_the_label_page(qtbot, page, tmp_path, no_dialogs, monkeypatch):
    from PIL import Image

    from rmadapter_app.gui import dialogs

    src = tmp_path / "card"
    src.mkdir()
    odd = os.fsdecode(b"IMG_\xe9\xff.png")
    Image.new("RGB", (40, 40), (200, 30, 30)).save(src / odd)
    Image.new("RGB", (40, 40), (30, 30, 200)).save(src / "plain.png")
    assert page.add_sources([src]) == 1
    run = _run(qtbot, page)
    assert run is not None and run.n_done == 2 and run.n_errors == 0 and no_dialogs["errors"] == []
    shown = {page.model.index(r, 0).data() for r in range(page.model.rowCount())}
    assert any("\\xe9\\xff" in (text or "") for text in shown), shown
    out = tmp_path / "sorted"
    page.out_edit.setText(str(out))
    page.json_check.setChecked(True)
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda *a, **k: True)
    with qtbot.waitSignal(page.writeFinished, timeout=30000) as blocker:
        assert page.write_files()
    assert blocker.args[0].journal.done == 2 and no_dialogs["errors"] == []
    assert any(os.fsencode(p.name) == b"IMG_\xe9\xff.png" for p in out.rglob("*.png"))
    rows = json.loads((out / "labels.json").read_text(encoding="utf-8"))["images"]
    assert b"IMG_\xe9\xff.png" in {os.fsencode(os.path.basename(r["path"])) for r in rows}
