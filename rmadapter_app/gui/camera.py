"""Taking pictures for a class with a camera, where Qt's multimedia module is installed.

Qt Multimedia comes with PySide6-Addons (about 100 MB), which the base install leaves out:
``pip install "rmadapter-studio[camera]"`` adds it. Without it :func:`available` is False and the
Project page hides its Camera button; nothing else changes.

:class:`CameraDialog` shows the camera's picture and emits ``captured(QImage)`` for each picture
taken; the page saves each as a PNG and adds it like a dropped file (``Project.add_images``:
checked, hashed, copied, one undo step per picture). The dialog is not modal, and bound to the
class it was opened for: pictures keep going there until it is closed (opening another project
closes it).
"""
from __future__ import annotations

import functools
import importlib
import logging
from collections.abc import Callable
from types import SimpleNamespace

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QImage, QKeySequence
from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from rmadapter_app.gui.widgets.message_label import MessageLabel

logger = logging.getLogger(__name__)

__all__ = ["available", "multimedia", "CameraDialog", "CameraLauncher", "INSTALL_HINT"]

INSTALL_HINT = 'pip install "rmadapter-studio[camera]"'


@functools.lru_cache(maxsize=1)
def multimedia() -> SimpleNamespace | None:
    """Qt's multimedia classes (QtMultimedia + QtMultimediaWidgets), or None when not installed."""
    try:
        mm = importlib.import_module("PySide6.QtMultimedia")
        mmw = importlib.import_module("PySide6.QtMultimediaWidgets")
    except ImportError as exc:
        logger.info("no camera support (%s); install it with %s", exc, INSTALL_HINT)
        return None
    return SimpleNamespace(QCamera=mm.QCamera, QMediaCaptureSession=mm.QMediaCaptureSession,
                           QImageCapture=mm.QImageCapture, QMediaDevices=mm.QMediaDevices,
                           QVideoWidget=mmw.QVideoWidget)


def available() -> bool:
    """True when pictures can be taken (Qt Multimedia is installed)."""
    return multimedia() is not None


class CameraDialog(QDialog):
    """A live camera picture, a camera choice, "Take picture" (Space) and "Done".

    Signals:
        captured(QImage): a picture was taken.
    """

    captured = Signal(QImage)

    def __init__(self, class_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        qt = multimedia()
        if qt is None:
            raise RuntimeError(f"Qt Multimedia is not installed ({INSTALL_HINT})")
        self._qt = qt
        self.class_name = class_name
        self.taken = 0
        self.setWindowTitle(self.tr("Camera: pictures for “{0}”").format(class_name))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.video = qt.QVideoWidget(self)
        self.video.setMinimumSize(480, 360)
        self.devices = QComboBox(self)
        self.devices.setToolTip(self.tr("Which camera to use"))
        self.take_btn = QPushButton(self.tr("Take picture"), self)
        self.take_btn.setShortcut(QKeySequence(Qt.Key.Key_Space))
        self.take_btn.setToolTip(self.tr("Add a picture to “{0}” (Space)").format(class_name))
        self.take_btn.setDefault(True)
        done = QPushButton(self.tr("Done"), self)
        self.status = MessageLabel(parent=self, max_lines=3)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Camera:"), self))
        row.addWidget(self.devices, 1)
        row.addWidget(self.take_btn)
        row.addWidget(done)
        layout = QVBoxLayout(self)
        layout.addWidget(self.video, 1)
        layout.addLayout(row)
        layout.addWidget(self.status)

        self.session = qt.QMediaCaptureSession(self)
        self.capture = qt.QImageCapture(self)
        self.session.setImageCapture(self.capture)
        self.session.setVideoOutput(self.video)
        self.camera = None
        self.capture.imageCaptured.connect(self._on_captured)
        self.capture.errorOccurred.connect(self._on_capture_error)
        self.capture.readyForCaptureChanged.connect(self.take_btn.setEnabled)
        self.take_btn.clicked.connect(self.take_picture)
        done.clicked.connect(self.close)
        self.devices.currentIndexChanged.connect(self._on_device_chosen)
        cameras = list(qt.QMediaDevices.videoInputs())
        for device in cameras:
            self.devices.addItem(device.description(), device)
        if not cameras:
            self.take_btn.setEnabled(False)
            self.status.setText(self.tr("No camera found. Connect one and open this window again."))

    @Slot(int)
    def _on_device_chosen(self, index: int) -> None:
        device = self.devices.itemData(index)
        if device is None:
            return
        if self.camera is not None:
            self.camera.stop()
            self.camera.deleteLater()
        self.camera = self._qt.QCamera(device, self)
        self.camera.errorOccurred.connect(self._on_camera_error)
        self.session.setCamera(self.camera)
        self.camera.start()
        self.status.setText(self.tr("Point the camera at an example of “{0}” and press Space.")
                            .format(self.class_name))

    @Slot()
    def take_picture(self) -> None:
        if self.capture.isReadyForCapture():
            self.capture.capture()

    @Slot(int, QImage)
    def _on_captured(self, _id: int, image: QImage) -> None:
        self.taken += 1
        self.status.setText(self.tr("%n picture(s) taken for “{0}”.", "", self.taken).format(self.class_name))
        self.captured.emit(image)

    @Slot(int, object, str)
    def _on_capture_error(self, _id: int, _error, text: str) -> None:
        self.status.setText(self.tr("The picture could not be taken: {0}").format(text))

    @Slot(object, str)
    def _on_camera_error(self, _error, text: str) -> None:
        self.status.setText(self.tr("The camera stopped: {0}").format(text))

    def closeEvent(self, event) -> None:  # noqa: N802
        if self.camera is not None:
            self.camera.stop()
        super().closeEvent(event)


class CameraLauncher(QObject):
    """Opens one :class:`CameraDialog` at a time for a page and hands each picture to ``on_picture``
    (called as ``on_picture(class_name, image)``). Tests replace :data:`dialog_class`."""

    dialog_class = CameraDialog

    def __init__(self, parent: QWidget, on_picture: Callable[[str, QImage], object]):
        super().__init__(parent)
        self._parent = parent
        self._on_picture = on_picture
        self.dialog: QDialog | None = None

    def open(self, class_name: str) -> QDialog:
        """Open the camera window for ``class_name`` (closing one already open)."""
        self.close()
        dialog = self.dialog_class(class_name, self._parent)
        dialog.captured.connect(lambda image, name=class_name: self._on_picture(name, image))
        dialog.destroyed.connect(self._on_destroyed)
        self.dialog = dialog
        dialog.show()
        return dialog

    def close(self) -> None:
        if self.dialog is not None:
            dialog, self.dialog = self.dialog, None
            dialog.close()

    @Slot()
    def _on_destroyed(self, *_args) -> None:
        self.dialog = None
