"""The "Custom model" dialog: one place for an open_clip CLIP of your own, its weights and (optionally)
its model config together.

Weights are required (a model config alone would train a random network, which the app refuses);
the config is needed only when the weights are not one of open_clip's own architectures: the app
recognises the architecture from the file's tensor shapes. Checking the files is the page's job
(``train_job.CustomModelJob``, on a worker); this dialog only collects them.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from rmadapter_app.gui import dialogs
from rmadapter_app.gui.widgets.message_label import MessageLabel


class CustomModelDialog(QDialog):
    """Weights file (required) and model config (optional)."""

    def __init__(self, parent: QWidget | None = None, weights: Path | None = None, config: Path | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Custom model"))
        self.weights_edit = QLineEdit(str(weights or ""), self)
        self.weights_edit.setPlaceholderText(self.tr("open_clip_model.safetensors, .bin, .pt"))
        self.config_edit = QLineEdit(str(config or ""), self)
        self.config_edit.setPlaceholderText(self.tr("only for an architecture open_clip does not know"))
        form = QFormLayout()
        form.addRow(self.tr("&Weights file:"), self._row(self.weights_edit, self._browse_weights))
        form.addRow(self.tr("Model &config (optional):"), self._row(self.config_edit, self._browse_config))
        intro = MessageLabel(self.tr(
            "Give the weights file of an open_clip CLIP. Its model is recognised from the file; add its model "
            "config (a .json file) only if it is an architecture open_clip does not know."), self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.weights_edit.textChanged.connect(self._update_ok)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.resize(560, self.sizeHint().height())
        self._update_ok()

    def _row(self, edit: QLineEdit, browse) -> QWidget:
        row = QWidget(self)
        h = QHBoxLayout(row)
        h.setContentsMargins(0, 0, 0, 0)
        h.addWidget(edit, 1)
        button = QPushButton(self.tr("Browse…"), row)
        button.clicked.connect(browse)
        h.addWidget(button)
        return row

    @Slot()
    def _browse_weights(self) -> None:
        path = dialogs.ask_open_file(self, self.tr("Choose a CLIP weights file"), dialogs.WEIGHTS_FILTER)
        if path is not None:
            self.weights_edit.setText(str(path))

    @Slot()
    def _browse_config(self) -> None:
        path = dialogs.ask_open_file(self, self.tr("Choose an open_clip model config"), dialogs.CONFIG_FILTER)
        if path is not None:
            self.config_edit.setText(str(path))

    @Slot()
    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.weights_edit.text().strip()))

    def files(self) -> tuple[Path, Path | None]:
        config = self.config_edit.text().strip()
        return Path(self.weights_edit.text().strip()), (Path(config) if config else None)


def ask_custom_model(parent: QWidget | None, weights: Path | None = None,
                     config: Path | None = None) -> tuple[Path, Path | None] | None:
    """(weights, config or None) chosen by the user, or None when cancelled (tests replace this)."""
    dialog = CustomModelDialog(parent, weights, config)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.files()
