"""The combo box delegate that corrects a label in the results table."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate

from rmadapter_app.gui.label.results_model import CHOICES_ROLE


class LabelDelegate(QStyledItemDelegate):
    """A combo box of the classes (plus Uncertain) to correct a label."""

    def createEditor(self, parent, option, index):  # noqa: N802
        combo = QComboBox(parent)
        for text, value in index.data(CHOICES_ROLE) or []:
            combo.addItem(text, value)
        combo.setToolTip(self.tr("Choose the right class for this image"))
        return combo

    def setEditorData(self, editor, index) -> None:  # noqa: N802
        i = editor.findData(index.data(Qt.ItemDataRole.EditRole))
        editor.setCurrentIndex(max(0, i))

    def setModelData(self, editor, model, index) -> None:  # noqa: N802
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
