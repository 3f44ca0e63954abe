"""Modal questions and messages, as module-level helpers that tests replace with monkeypatch.

Pages never open a QFileDialog or QMessageBox directly; they call these, so a test can answer
for the user (``monkeypatch.setattr(dialogs, "ask_open_file", lambda *a, **k: path)``).
"""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from rmadapter_app.gui import errors

logger = logging.getLogger("rmadapter_app")

ADAPTER_FILTER = "RMAdapter adapters (*.rmadapter.safetensors *.safetensors);;All files (*)"
WEIGHTS_FILTER = "CLIP checkpoints (*.safetensors *.bin *.pt *.pth);;All files (*)"
CONFIG_FILTER = "open_clip model configs (*.json);;All files (*)"
IMAGE_FILTER = ("Images (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp *.jfif *.ppm *.pgm);;"
                "All files (*)")
PROJECT_IMAGE_FILTER = ("Images (*.png *.jpg *.jpeg *.jpe *.jfif *.bmp *.dib *.gif *.tif *.tiff *.webp *.ppm *.pgm "
                        "*.pbm *.pnm *.tga *.ico);;All files (*)")


def _tr(text: str) -> str:
    return QCoreApplication.translate("dialogs", text)


def ask_open_file(parent: QWidget | None, title: str, file_filter: str = "", start_dir: str | Path = "") -> Path | None:
    """An existing file chosen by the user, or None when cancelled."""
    name, _ = QFileDialog.getOpenFileName(parent, title, str(start_dir or ""), file_filter)
    return Path(name) if name else None


def ask_image_files(parent: QWidget | None) -> list[Path]:
    """Image files to add to a class (the Project page's "Add images…"); [] when cancelled."""
    names, _ = QFileDialog.getOpenFileNames(parent, _tr("Add images"), "", PROJECT_IMAGE_FILTER)
    return [Path(n) for n in names]


def ask_folder(parent: QWidget | None, title: str) -> Path | None:
    """An existing folder chosen by the user, or None when cancelled."""
    name = QFileDialog.getExistingDirectory(parent, title)
    return Path(name) if name else None


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    """A line of text typed by the user (maybe empty), or None when cancelled."""
    value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
    return value if ok else None


def ask_save_file(parent: QWidget | None, title: str, default_path: str | Path = "",
                  file_filter: str = "") -> Path | None:
    """A path to write, or None when cancelled. Overwriting is confirmed separately by the caller
    (:func:`confirm_overwrite`), so the check also holds when this helper is replaced."""
    name, _ = QFileDialog.getSaveFileName(parent, title, str(default_path or ""), file_filter,
                                          options=QFileDialog.Option.DontConfirmOverwrite)
    return Path(name) if name else None


def ask_yes_no(parent: QWidget | None, title: str, text: str, *, details: str = "") -> bool:
    """True when the user answers Yes."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    if details:
        box.setInformativeText(details)
    return box.exec() == QMessageBox.StandardButton.Yes


def confirm_overwrite(parent: QWidget | None, path: Path) -> bool:
    """True when ``path`` does not exist yet, or the user agrees to replace it."""
    if not Path(path).exists():
        return True
    return ask_yes_no(parent, _tr("Replace file?"),
                      _tr("{0} already exists. Replace it?").format(Path(path).name),
                      details=_tr("The old file will be replaced by the new one."))


def show_info(parent: QWidget | None, title: str, text: str) -> None:
    """A plain information message."""
    QMessageBox.information(parent, title, text)


def show_error(parent: QWidget | None, title: str, message: str, details: str = "") -> None:
    """An error in plain words, in the app's error dialog (with the log file path)."""
    logger.warning("%s: %s", title, message)
    errors.show_error(parent, title, message, details)


# choices returned by ask_missing_weights
DOWNLOAD, IMPORT = "download", "import"


def ask_missing_weights(parent: QWidget | None, message: str) -> str | None:
    """Backbone weights are not on disk: returns DOWNLOAD, IMPORT or None (cancel)."""
    box = QMessageBox(QMessageBox.Icon.Question, _tr("Backbone weights needed"), message,
                      QMessageBox.StandardButton.Cancel, parent)
    download = box.addButton(_tr("Download"), QMessageBox.ButtonRole.AcceptRole)
    download.setToolTip(_tr("Download the weights now, with progress; Stop cancels the download."))
    imp = box.addButton(_tr("Import weights file…"), QMessageBox.ButtonRole.ActionRole)
    imp.setToolTip(_tr("Use a checkpoint file you already have (works offline)."))
    box.setDefaultButton(download)
    box.exec()
    clicked = box.clickedButton()
    if clicked is download:
        return DOWNLOAD
    if clicked is imp:
        return IMPORT
    return None
