"""The "Advanced" training form: backbone, epochs, shots, learning rate, loss weights, seed, device.

Turns its fields into a core ``TrainConfig`` and a ``BackboneSpec`` and back; no ML here.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal, Slot
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
from rmadapter_app.gui import dialogs
from rmadapter_app.gui.state import BackboneSpec

# (model, pretrained tag, note) offered in the backbone combo, best default first.
BACKBONES = (
    ("ViT-B-16", "openai", QT_TRANSLATE_NOOP("TrainSettings", "recommended with a GPU")),
    ("ViT-B-32", "openai", QT_TRANSLATE_NOOP("TrainSettings", "faster: recommended on a CPU")),
    ("ViT-L-14", "openai", QT_TRANSLATE_NOOP("TrainSettings", "most accurate, needs a strong GPU")),
    ("ViT-B-16", "laion2b_s34b_b88k", ""),
    ("ViT-B-32", "laion2b_s34b_b79k", ""),
)
_WEIGHTS, _CONFIG = "__weights__", "__config__"
METHODS = ("rmadapter", "mma+con+vrec", "mma+con+trec", "mma+con", "mma")


class TrainSettings(QWidget):
    """Advanced settings. Signals: ``changed`` (any field), ``backboneChosen(BackboneSpec)``."""

    changed = Signal()
    backboneChosen = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._spec = BackboneSpec()
        self._loading = False
        self._build()

    # ---------------------------------------------------------------- building
    def _build(self) -> None:
        self.backbone = QComboBox(self)
        self.backbone.setToolTip(self.tr("The frozen CLIP model the adapter is trained on. ViT-B-16 is the "
                                         "default with a GPU; ViT-B-32 is about four times faster on a CPU."))
        self.backbone.activated.connect(self._on_backbone_activated)
        self.backbone_hint = QLabel(self)
        self.backbone_hint.setWordWrap(True)
        self.epochs = self._spin(0, 1000, self.tr("Auto"),
                                 self.tr("Passes over the images. Auto: 5, raised so that at least 100 steps run."))
        self.shots = self._spin(0, 100000, self.tr("All"),
                                self.tr("Images per class used for training (All: every image)."))
        self.lr = QDoubleSpinBox(self)
        self.lr.setDecimals(5)
        self.lr.setRange(0.00001, 1.0)
        self.lr.setSingleStep(0.0005)
        self.lr.setToolTip(self.tr("SGD learning rate (default 0.0015)."))
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
        form.addRow(self.tr("&Backbone:"), self.backbone)
        form.addRow("", self.backbone_hint)
        form.addRow(self.tr("&Epochs:"), self.epochs)
        form.addRow(self.tr("S&hots per class:"), self.shots)
        form.addRow(self.tr("&Learning rate:"), self.lr)
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
        for combo in (self.backbone, self.device, self.validation, self.method):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(14)
        self.set_config(TrainConfig())
        self.set_spec(BackboneSpec())

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
                       lr=self.lr.value(), seed=self.seed.value(), device=self.device.currentData(),
                       augment=self.augment.isChecked(), validation=self.validation.currentData(), loss=loss)

    def set_config(self, cfg: TrainConfig) -> None:
        """Show ``cfg`` in the form (fields the form lacks are kept as they are)."""
        self._loading = True
        try:
            self._base = cfg
            self.epochs.setValue(cfg.epochs or 0)
            self.shots.setValue(cfg.shots or 0)
            self.lr.setValue(cfg.lr)
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

    # ---------------------------------------------------------------- backbone
    def spec(self) -> BackboneSpec:
        return self._spec

    def set_spec(self, spec: BackboneSpec) -> None:
        """Show ``spec`` in the combo (adding an entry for a local file or unusual tag)."""
        self._spec = spec
        self.backbone.blockSignals(True)
        self.backbone.clear()
        current = -1
        for model, tag, note in BACKBONES:
            label = f"{model} ({tag})" + (f" — {self.tr(note)}" if note else "")
            self.backbone.addItem(label, BackboneSpec(model, tag))
            if BackboneSpec(model, tag) == spec:
                current = self.backbone.count() - 1
        if current < 0:
            self.backbone.addItem(spec.label(), spec)
            current = self.backbone.count() - 1
        self.backbone.insertSeparator(self.backbone.count())
        self.backbone.addItem(self.tr("Local weights file…"), _WEIGHTS)
        self.backbone.setItemData(self.backbone.count() - 1,
                                  self.tr("A checkpoint file on this computer for the architecture above."),
                                  Qt.ItemDataRole.ToolTipRole)
        self.backbone.addItem(self.tr("Local model config…"), _CONFIG)
        self.backbone.setCurrentIndex(current)
        self.backbone.blockSignals(False)

    def set_gpu_hint(self, has_gpu: bool) -> None:
        """Say which backbone suits this machine."""
        if has_gpu:
            self.backbone_hint.setText(self.tr("A GPU is available: ViT-B-16 is a good default."))
        else:
            self.backbone_hint.setText(self.tr("No GPU found: ViT-B-32 (openai) trains about four times "
                                               "faster than ViT-B-16 on a CPU, a little less accurately."))

    @Slot(int)
    def _on_backbone_activated(self, index: int) -> None:
        data = self.backbone.itemData(index)
        spec = None
        if data == _WEIGHTS:
            path = dialogs.ask_open_file(self, self.tr("Choose a CLIP weights file"), dialogs.WEIGHTS_FILTER)
            if path is not None:
                base = self._spec.model_name if self._spec.model_config is None else "ViT-B-16"
                spec = BackboneSpec(model_name=base, pretrained=None, weights=Path(path))
        elif data == _CONFIG:
            path = dialogs.ask_open_file(self, self.tr("Choose an open_clip model config"), dialogs.CONFIG_FILTER)
            if path is not None:
                spec = BackboneSpec(model_name=Path(path).stem, pretrained=None, model_config=Path(path))
        elif isinstance(data, BackboneSpec):
            spec = data
        if spec is None or spec == self._spec:
            self.set_spec(self._spec)   # cancelled: show the previous choice again
            return
        self.set_spec(spec)
        self.backboneChosen.emit(spec)
