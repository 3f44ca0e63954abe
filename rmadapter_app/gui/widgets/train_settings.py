"""The "Advanced" training form: epochs, shots, learning rate, validation, loss weights, seed, device.

Turns its fields into a core ``TrainConfig`` and back; no ML here. The backbone is chosen on the
Train page itself (:mod:`rmadapter_app.gui.widgets.backbone_picker`), not in here.
"""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from rmadapter_app.core.config import LADDER, LossConfig, TrainConfig

METHODS = ("rmadapter", "mma+con+vrec", "mma+con+trec", "mma+con", "mma")


class TrainSettings(QWidget):
    """Advanced settings. Signal: ``changed`` (any field)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._loading = False
        self._build()

    # ---------------------------------------------------------------- building
    def _build(self) -> None:
        self.epochs = self._spin(0, 1000, self.tr("Auto"),
                                 self.tr("How many times training goes over every image (Auto: the "
                                         "recommended number)."))
        self.shots = self._spin(0, 100000, self.tr("All"),
                                self.tr("Images per class used for training (All: every image)."))
        self.lr = QDoubleSpinBox(self)
        self.lr.setDecimals(5)
        self.lr.setRange(0.0, 1.0)
        self.lr.setSingleStep(0.0005)
        self.lr.setSpecialValueText(self.tr("Automatic"))
        self.lr.setToolTip(self.tr("How big a step training takes (the SGD learning rate). Automatic: the "
                                   "app's choice for this model and these images; a number overrides it."))
        self.lr_note = QLabel(self)
        self.lr_note.setWordWrap(True)
        self.lr_note.hide()
        self.seed = self._spin(0, 2 ** 31 - 1, "", self.tr("Random seed: the same seed gives the same run."))
        self.device = QComboBox(self)
        for key, text in (("auto", self.tr("Automatic (GPU if available)")), ("cpu", self.tr("CPU")),
                          ("cuda", self.tr("NVIDIA GPU (CUDA)")), ("mps", self.tr("Apple GPU (MPS)"))):
            self.device.addItem(text, key)
        self.device.setToolTip(self.tr("Where training runs."))
        self.augment = QCheckBox(self.tr("Augment images (random crop and flip)"), self)
        self.augment.setToolTip(self.tr("Helps with varied photos; makes training slower."))
        self.validation = QComboBox(self)
        for key, text in (("auto", self.tr("Automatic")), ("holdout", self.tr("Hold out 20%")),
                          ("kfold", self.tr("Cross-validation")), ("none", self.tr("None"))):
            self.validation.addItem(text, key)
        self.validation.setToolTip(self.tr("How accuracy is measured. Automatic holds out images when there "
                                           "are enough, and cross-validates otherwise."))

        form = QFormLayout()
        form.addRow(self.tr("&Passes (epochs):"), self.epochs)
        form.addRow(self.tr("Images per c&lass:"), self.shots)
        form.addRow(self.tr("&Learning rate:"), self.lr)
        form.addRow("", self.lr_note)
        form.addRow(self.tr("&Validation:"), self.validation)
        form.addRow(self.tr("See&d:"), self.seed)
        form.addRow(self.tr("De&vice:"), self.device)
        form.addRow("", self.augment)

        self.method = QComboBox(self)
        names = {"rmadapter": self.tr("RMAdapter (all losses)"), "mma": self.tr("MMA (classification only)"),
                 "mma+con": self.tr("MMA + consistency"), "mma+con+trec": self.tr("MMA + consistency + text recon."),
                 "mma+con+vrec": self.tr("MMA + consistency + image recon.")}
        for key in METHODS:
            self.method.addItem(names[key], key)
        self.method.setToolTip(self.tr("Presets of the loss switches (the paper's ablation ladder)."))
        self.method.activated.connect(self._on_method_activated)
        self.use_consistency = QCheckBox(self.tr("Consistency"), self)
        self.use_consistency.setToolTip(self.tr("Keep the adapted features close to frozen CLIP's (keeps its "
                                                "general knowledge)."))
        self.use_recon_visual = QCheckBox(self.tr("Image reconstruction"), self)
        self.use_recon_visual.setToolTip(self.tr("Use the image-tower reconstruction loss."))
        self.use_recon_text = QCheckBox(self.tr("Text reconstruction"), self)
        self.use_recon_text.setToolTip(self.tr("Use the text-tower reconstruction loss."))
        self.consistency_image = self._weight(self.tr("Weight of the L1 distance between adapted and frozen image features."))
        self.consistency_image.setPrefix(self.tr("image "))
        self.consistency_text = self._weight(self.tr("Weight of the L1 distance between adapted and frozen text features."))
        self.consistency_text.setPrefix(self.tr("text "))
        self.recon_visual = self._weight(self.tr("Weight of the image-tower reconstruction loss."))
        self.recon_text = self._weight(self.tr("Weight of the text-tower reconstruction loss."))
        losses = QGroupBox(self.tr("Loss terms and weights"), self)
        lf = QFormLayout(losses)
        lf.addRow(self.tr("Preset:"), self.method)
        lf.addRow(self.use_consistency, self.consistency_image)
        lf.addRow("", self.consistency_text)
        lf.addRow(self.use_recon_visual, self.recon_visual)
        lf.addRow(self.use_recon_text, self.recon_text)

        reset = QPushButton(self.tr("Restore &defaults"), self)
        reset.setToolTip(self.tr("Put every advanced setting back to its default (the backbone stays)."))
        reset.clicked.connect(self.restore_defaults)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(reset)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(losses)
        layout.addLayout(buttons)

        for w in (self.epochs, self.shots, self.seed):
            w.valueChanged.connect(self._emit_changed)
        for w in (self.lr, self.consistency_image, self.consistency_text, self.recon_visual, self.recon_text):
            w.valueChanged.connect(self._emit_changed)
        for w in (self.augment, self.use_consistency, self.use_recon_visual, self.use_recon_text):
            w.toggled.connect(self._emit_changed)
        for w in (self.device, self.validation):
            w.currentIndexChanged.connect(self._emit_changed)
        self.use_consistency.toggled.connect(self.consistency_image.setEnabled)
        self.use_consistency.toggled.connect(self.consistency_text.setEnabled)
        self.use_recon_visual.toggled.connect(self.recon_visual.setEnabled)
        self.use_recon_text.toggled.connect(self.recon_text.setEnabled)
        for combo in (self.device, self.validation, self.method):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(14)
        self.set_config(TrainConfig())

    def _spin(self, lo: int, hi: int, special: str, tip: str) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setRange(lo, hi)
        if special:
            spin.setSpecialValueText(special)
        spin.setToolTip(tip)
        return spin

    def _weight(self, tip: str) -> QDoubleSpinBox:
        box = QDoubleSpinBox(self)
        box.setRange(0.0, 1000.0)
        box.setDecimals(3)
        box.setToolTip(tip)
        return box

    # ---------------------------------------------------------------- config <-> form
    def config(self) -> TrainConfig:
        """The TrainConfig the form describes (raises ValueError with the field name if invalid)."""
        loss = LossConfig(use_consistency=self.use_consistency.isChecked(),
                          consistency_image=self.consistency_image.value(),
                          consistency_text=self.consistency_text.value(),
                          use_recon_visual=self.use_recon_visual.isChecked(),
                          use_recon_text=self.use_recon_text.isChecked(),
                          recon_visual=self.recon_visual.value(), recon_text=self.recon_text.value())
        return replace(self._base, epochs=self.epochs.value() or None, shots=self.shots.value() or None,
                       lr=self.lr.value() or TrainConfig().lr, seed=self.seed.value(), device=self.device.currentData(),
                       augment=self.augment.isChecked(), validation=self.validation.currentData(), loss=loss)

    def set_config(self, cfg: TrainConfig) -> None:
        """Show ``cfg`` in the form (fields the form lacks are kept as they are)."""
        self._loading = True
        try:
            self._base = cfg
            self.epochs.setValue(cfg.epochs or 0)
            self.shots.setValue(cfg.shots or 0)
            self.lr.setValue(cfg.lr or 0.0)
            self.seed.setValue(cfg.seed)
            self.augment.setChecked(cfg.augment)
            idx = self.device.findData(cfg.device.split(":")[0])
            self.device.setCurrentIndex(max(0, idx))
            self.validation.setCurrentIndex(max(0, self.validation.findData(cfg.validation)))
            loss = cfg.loss
            self.use_consistency.setChecked(loss.use_consistency)
            self.use_recon_visual.setChecked(loss.use_recon_visual)
            self.use_recon_text.setChecked(loss.use_recon_text)
            self.consistency_image.setValue(loss.consistency_image)
            self.consistency_text.setValue(loss.consistency_text)
            self.recon_visual.setValue(loss.recon_visual)
            self.recon_text.setValue(loss.recon_text)
            self._sync_method()
        finally:
            self._loading = False

    @Slot()
    def restore_defaults(self) -> None:
        self.set_config(TrainConfig())
        self.changed.emit()

    def _sync_method(self) -> None:
        switches = (self.use_consistency.isChecked(), self.use_recon_text.isChecked(),
                    self.use_recon_visual.isChecked())
        for i, key in enumerate(METHODS):
            rung = LADDER[key]
            if (rung["use_consistency"], rung["use_recon_text"], rung["use_recon_visual"]) == switches:
                self.method.setCurrentIndex(i)
                return

    @Slot(int)
    def _on_method_activated(self, index: int) -> None:
        rung = LADDER[self.method.itemData(index)]
        self.use_consistency.setChecked(rung["use_consistency"])
        self.use_recon_text.setChecked(rung["use_recon_text"])
        self.use_recon_visual.setChecked(rung["use_recon_visual"])

    @Slot()
    def _emit_changed(self) -> None:
        if not self._loading:
            self._sync_method()
            self.changed.emit()

    def set_last_lr(self, lr: float | None) -> None:
        """Show the learning rate the last run chose (None: hide the note)."""
        self.lr_note.setVisible(lr is not None)
        if lr is not None:
            self.lr_note.setText(self.tr("The last run used {0:.5g}.").format(lr))
