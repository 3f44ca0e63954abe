"""The shipped English plural forms: "1 image", "3 images", never "image(s)" in the running app."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui


def test_english_plurals_are_installed_and_found_from_every_page(qtbot, qapp):
    from rmadapter_app.app import install_translators
    from rmadapter_app.gui.project_view import ProjectPage
    from rmadapter_app.gui.results_view import ResultsPage
    from rmadapter_app.gui.state import AppState

    installed = install_translators(qapp)
    try:
        assert installed
        state = AppState()
        project, results = ProjectPage(state), ResultsPage(state)
        qtbot.addWidget(project)
        qtbot.addWidget(results)
        assert project.tr("Added %n image(s).", "", 1) == "Added 1 image."        # from a mix-in method
        assert project.tr("Added %n image(s).", "", 3) == "Added 3 images."
        assert project.tr("Created %n class(es).", "", 2) == "Created 2 classes."
        assert results.tr("%n unreadable image(s) were skipped.", "", 1) == "1 unreadable image was skipped."
    finally:
        for tr in installed:
            qapp.removeTranslator(tr)


def test_every_plural_message_in_the_template_has_its_english_forms(qapp):
    """Each %n message lupdate found is translated in the context it was filed under (no "(s)" left)."""
    import xml.etree.ElementTree as ET
    from pathlib import Path

    from PySide6.QtCore import QCoreApplication

    from rmadapter_app.app import install_translators

    ts = Path(__file__).resolve().parents[2] / "resources" / "i18n" / "rmadapter_en.ts"
    installed = install_translators(qapp)
    try:
        checked = 0
        for context in ET.parse(ts).getroot().iter("context"):
            name = context.findtext("name")
            for message in context.iter("message"):
                if message.get("numerus") != "yes":
                    continue
                source = message.findtext("source")
                for n in (1, 2):
                    text = QCoreApplication.translate(name, source, None, n)
                    assert "(s)" not in text and "(es)" not in text, (name, source, n, text)
                checked += 1
        assert checked >= 10
    finally:
        for tr in installed:
            qapp.removeTranslator(tr)
