"""The "Output" box of the Label page: where and how labeled images are written, and the batch size."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QWidget,
)


class OutputPanel(QGroupBox):
    """Output folder, copy/move/reports only, subfolders, name clashes, reports, batch size.

    The folder button is connected by the page (it owns the patchable folder dialog).
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        tr = self.tr
        self.out_edit = QLineEdit(self)
        self.out_edit.setPlaceholderText(tr("Choose where the class folders go"))
        self.out_edit.setToolTip(tr("Output folder: one subfolder per class, plus _uncertain. "
                                    "It must be outside the folders being labeled."))
        self.out_button = QPushButton(tr("Choose…"), self)
        self.out_button.setToolTip(tr("Choose the output folder"))
        self.copy_radio = QRadioButton(tr("&Copy images"), self)
        self.copy_radio.setToolTip(tr("Copy images into class folders; the originals stay where they are"))
        self.move_radio = QRadioButton(tr("Mo&ve images"), self)
        self.move_radio.setToolTip(tr("Move images into class folders; Undo puts them back"))
        self.report_radio = QRadioButton(tr("Reports only"), self)
        self.report_radio.setToolTip(tr("Write only the CSV/JSON reports; no image is copied or moved"))
        self.copy_radio.setChecked(True)
        self.write_group = QButtonGroup(self)
        for b in (self.copy_radio, self.move_radio, self.report_radio):
            self.write_group.addButton(b)
        self.keep_structure = QCheckBox(tr("Keep subfolders inside each class folder"), self)
        self.keep_structure.setToolTip(tr("Recreate each image's source subfolders below its class folder"))
        self.clash_combo = QComboBox(self)
        self.clash_combo.addItem(tr("Rename (name (1).jpg)"), "rename")
        self.clash_combo.addItem(tr("Skip the image"), "skip")
        self.clash_combo.setToolTip(tr("What to do when a file of the same name is already in the class folder; "
                                       "nothing is ever overwritten"))
        self.csv_check = QCheckBox(tr("CSV report (labels.csv)"), self)
        self.csv_check.setChecked(True)
        self.csv_check.setToolTip(tr("Write a CSV with path, label, confidence, top classes and destination"))
        self.json_check = QCheckBox(tr("JSON report (labels.json)"), self)
        self.json_check.setToolTip(tr("Write the same report as JSON, with a summary"))
        self.batch_spin = QSpinBox(self)
        self.batch_spin.setRange(1, 1024)
        self.batch_spin.setValue(32)
        self.batch_spin.setToolTip(tr("Batch size: images sent through the model together (larger is faster on "
                                         "a GPU and needs more memory)"))
        self.setTitle(tr("Output"))
        ol = QFormLayout(self)
        orow = QHBoxLayout()
        orow.addWidget(self.out_edit, 1)
        orow.addWidget(self.out_button)
        ol.addRow(tr("Folder:"), orow)
        mrow = QHBoxLayout()
        for b in (self.copy_radio, self.move_radio, self.report_radio):
            mrow.addWidget(b)
        ol.addRow(mrow)
        ol.addRow(self.keep_structure)
        ol.addRow(tr("Name clash:"), self.clash_combo)
        ol.addRow(self.csv_check)
        ol.addRow(self.json_check)
        ol.addRow(tr("Images at a time:"), self.batch_spin)

    def write_mode(self) -> str:
        """The write mode: "copy", "move", or "none" (reports only)."""
        if self.move_radio.isChecked():
            return "move"
        return "none" if self.report_radio.isChecked() else "copy"
