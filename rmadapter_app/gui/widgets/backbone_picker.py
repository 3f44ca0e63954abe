"""The Train page's model step: which CLIP to adapt, why that one here, and what getting it costs.

One combo box (the offered CLIPs, the current custom model if any, and "Custom model…"), a line
saying which model suits this computer and why, and a line about the chosen one: on this computer,
or the size of its download and how long training this project takes with it here; offline, a
plain sentence and the "Import weights file…" button. No ML here: the numbers come from
:mod:`rmadapter_app.gui.backbone_probe`.
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal, Slot
from PySide6.QtWidgets import QComboBox, QGroupBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from rmadapter_app.core.model.spec import BackboneSpec
from rmadapter_app.gui.widgets.message_label import MessageLabel

# (open_clip model, pretrained tag, short name, note); the first two are the machine defaults
CATALOG = (
    ("ViT-B-32", "openai", "ViT-B/32", QT_TRANSLATE_NOOP("BackbonePicker", "fastest; best without a GPU")),
    ("ViT-B-16", "openai", "ViT-B/16", QT_TRANSLATE_NOOP("BackbonePicker", "more accurate; best with a GPU")),
    ("ViT-L-14", "openai", "ViT-L/14", QT_TRANSLATE_NOOP("BackbonePicker", "most accurate; needs a strong GPU")),
    ("ViT-B-16", "laion2b_s34b_b88k", "ViT-B/16", QT_TRANSLATE_NOOP("BackbonePicker", "LAION-2B weights")),
    ("ViT-B-32", "laion2b_s34b_b79k", "ViT-B/32", QT_TRANSLATE_NOOP("BackbonePicker", "LAION-2B weights")),
)
CUSTOM = "__custom__"


def _tr(text: str) -> str:
    return QCoreApplication.translate("BackbonePicker", text)


def short_name(spec: BackboneSpec) -> str:
    """``ViT-B/32`` for a catalogue model, else the spec's own label."""
    for model, tag, name, _ in CATALOG:
        if spec.model_name == model and spec.weights is None and spec.model_config is None:
            return name if tag == spec.pretrained or spec.pretrained == "imported" else f"{name} ({spec.pretrained})"
    return spec.label()


def about(seconds: float) -> str:
    """A plain duration: "about half a minute", "about 40 s", "about 3 min", "about 2 h"."""
    if seconds < 20:
        return _tr("under half a minute")
    if seconds < 45:
        return _tr("about half a minute") if seconds >= 25 else _tr("about {0} s").format(int(round(seconds, -1)))
    if seconds < 90:
        return _tr("about a minute")
    if seconds < 3600:
        return _tr("about {0} min").format(int(round(seconds / 60)))
    return _tr("about {0:.1f} h").format(seconds / 3600)


def megabytes(n: int) -> str:
    return _tr("{0:.1f} GB").format(n / 1e9) if n >= 1e9 else _tr("{0:.0f} MB").format(n / 1e6)


@dataclass(frozen=True)
class Estimate:
    """What the probe found out about one backbone for this project (see gui.backbone_probe)."""

    spec: BackboneSpec
    on_disk: bool
    download_bytes: int = 0
    seconds: float | None = None          # training this project with it, here
    error: str = ""


class BackbonePicker(QGroupBox):
    """Choose the CLIP to adapt. Signals: ``chosen(BackboneSpec)`` (from the list),
    ``customRequested`` ("Custom model…"), ``importRequested`` ("Import weights file…")."""

    chosen = Signal(object)
    customRequested = Signal()
    importRequested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(self.tr("Model"), parent)
        self._spec = BackboneSpec()
        self._has_gpu: bool | None = None
        self._estimates: dict[tuple, Estimate] = {}
        self._offline = False
        self.combo = QComboBox(self)
        self.combo.setToolTip(self.tr("The CLIP model your classifier is built on. Smaller models train "
                                      "faster; larger ones recognise more."))
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(16)
        self.combo.activated.connect(self._on_combo_activated)
        self.reason = MessageLabel(parent=self, max_lines=4)
        self.status = MessageLabel(parent=self, max_lines=6)
        self.import_button = QPushButton(self.tr("Import weights file…"), self)
        self.import_button.setToolTip(self.tr("Use a CLIP weights file you already have (works offline). Its "
                                              "model is recognised from the file."))
        self.import_button.clicked.connect(self.importRequested)
        self.import_button.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.combo)
        layout.addWidget(self.reason)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.set_spec(self._spec)

    # ---------------------------------------------------------------- state in
    def spec(self) -> BackboneSpec:
        return self._spec

    def set_spec(self, spec: BackboneSpec) -> None:
        """Show ``spec`` as chosen (adding an entry for a custom model or an imported file)."""
        self._spec = spec
        self.combo.blockSignals(True)
        self.combo.clear()
        current = -1
        for model, tag, name, note in CATALOG:
            self.combo.addItem(f"{name} — {_tr(note)}", BackboneSpec(model, tag))
            if BackboneSpec(model, tag) == spec:
                current = self.combo.count() - 1
        if current < 0:
            label = short_name(spec)
            if spec.is_random:
                label += " — " + self.tr("no trained weights")
            self.combo.addItem(label, spec)
            current = self.combo.count() - 1
        self.combo.insertSeparator(self.combo.count())
        self.combo.addItem(self.tr("Custom model (config and weights)…"), CUSTOM)
        self.combo.setItemData(self.combo.count() - 1, self.tr(
            "An open_clip CLIP of your own: its weights file, and its model config file if it is not one "
            "of the models above."), Qt.ItemDataRole.ToolTipRole)
        self.combo.setCurrentIndex(current)
        self.combo.blockSignals(False)
        self._refresh()

    def set_machine(self, has_gpu: bool | None, default: BackboneSpec | None = None) -> None:
        """Whether this computer has a GPU (None: not known yet), and the model that suits it."""
        self._has_gpu = has_gpu
        self._default = default
        self._refresh()

    def set_estimates(self, estimates: dict[tuple, Estimate]) -> None:
        """What the probe found (by ``spec.key()``)."""
        self._estimates = dict(estimates)
        self._refresh()

    def set_offline(self, offline: bool) -> None:
        """A download failed for want of a connection (or offline mode is on)."""
        self._offline = offline
        self._refresh()

    def estimate(self, spec: BackboneSpec | None = None) -> Estimate | None:
        return self._estimates.get((spec or self._spec).key())

    # ---------------------------------------------------------------- texts
    def _refresh(self) -> None:
        self.reason.setText(self._reason_text())
        self.reason.setVisible(bool(self.reason.text()))
        text, needs_file = self._status_text()
        self.status.setText(text)
        self.status.setVisible(bool(text))
        self.import_button.setVisible(needs_file)

    def _time_of(self, spec: BackboneSpec) -> str:
        est = self._estimates.get(spec.key())
        return about(est.seconds) if est is not None and est.seconds is not None else ""

    def _reason_text(self) -> str:
        default = getattr(self, "_default", None)
        if self._has_gpu is None or default is None:
            return ""
        other = BackboneSpec("ViT-B-16" if not self._has_gpu else "ViT-B-32", "openai")
        mine, theirs = self._time_of(default), self._time_of(other)
        if self._has_gpu:
            text = self.tr("A GPU is available: {0}, the model RMAdapter was designed with, is the one to use "
                           "here.").format(short_name(default))
        else:
            text = self.tr("No GPU on this computer: {0} is the one to use here, because it trains several "
                           "times faster than {1} on a processor.").format(short_name(default), short_name(other))
            if mine and theirs:
                text = self.tr("No GPU on this computer: {0} is the one to use here. It trains this project in "
                               "{1}; {2} would take {3}.").format(short_name(default), mine, short_name(other),
                                                                 theirs)
        if self._spec != default:
            text += " " + self.tr("You chose {0}.").format(short_name(self._spec))
        return text

    def _status_text(self) -> tuple[str, bool]:
        """(the line about the chosen model, whether the import button is wanted)."""
        spec = self._spec
        name = short_name(spec)
        if spec.is_random:
            return self.tr("{0} has no trained weights, only a model config: training on it is refused, "
                           "because a random network learns nothing useful from a few images. Choose a "
                           "model above, or give its weights with “Custom model…”.").format(name), False
        est = self._estimates.get(spec.key())
        if est is None:
            return self.tr("Checking {0}…").format(name), False
        if est.error:
            return est.error, False
        time = self.tr(" Training this project takes {0} here.").format(about(est.seconds)) \
            if est.seconds is not None else ""
        if est.on_disk:
            return self.tr("{0} is on this computer.").format(name) + time, False
        if self._offline:
            return self.tr("{0} is not on this computer, and this computer is offline, so it cannot be "
                           "downloaded now. Import its weights file if you have one (for {1}: the "
                           "open_clip_model.safetensors file), or connect to the internet and press Train "
                           "again.").format(name, spec.model_name), True
        then = self.tr(" Training this project then takes {0} here.").format(about(est.seconds)) \
            if est.seconds is not None else ""
        return self.tr("{0} is not on this computer yet: Train first downloads it ({1}, once).").format(
            name, megabytes(est.download_bytes)) + then, True

    # ---------------------------------------------------------------- user
    @Slot(int)
    def _on_combo_activated(self, index: int) -> None:
        data = self.combo.itemData(index)
        if data == CUSTOM:
            self.set_spec(self._spec)          # the page opens the dialog; a choice comes back via set_spec
            self.customRequested.emit()
            return
        if isinstance(data, BackboneSpec) and data != self._spec:
            self.set_spec(data)
            self.chosen.emit(data)
