"""The "Classifier" box of the Label page: an adapter file or class names alone, plus extra classes."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QWidget,
)

from rmadapter_app.gui import dialogs
from rmadapter_app.gui.label.worker_jobs import DEFAULT_TEMPLATE, ClassifierChoice
from rmadapter_app.gui.state import AppState
from rmadapter_app.gui.widgets.message_label import fit_label


def split_names(text: str) -> list[str]:
    """Comma-separated class names, stripped, without empties or case-insensitive repeats."""
    out, seen = [], set()
    for name in (t.strip() for t in text.split(",")):
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            out.append(name)
    return out


class ClassifierPanel(QGroupBox):
    """Chooses what to label with; follows the app's adapter and, until the user types, the project's classes.

    Call :meth:`sync_adapter_from_state` and :meth:`on_mode_changed` once its signals are connected.

    Signals:
        classifierChanged(): the adapter or the mode changed; a prepared classifier no longer fits.
        edited(): the choice changed (buttons may follow).
    """

    classifierChanged = Signal()
    edited = Signal()

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self._adapter_from_state = True
        self._auto_names = True
        tr = self.tr
        self.use_adapter = QRadioButton(tr("&Adapter file"), self)
        self.use_adapter.setToolTip(tr("Label with a trained adapter (its classes are listed below)"))
        self.use_names = QRadioButton(tr("Class &names only (nothing trained)"), self)
        self.use_names.setToolTip(tr("Label with frozen CLIP from class names alone, nothing trained "
                                     "(“zero-shot”)"))
        self.mode_group = QButtonGroup(self)
        self.mode_group.addButton(self.use_adapter)
        self.mode_group.addButton(self.use_names)
        self.adapter_edit = QLineEdit(self)
        self.adapter_edit.setPlaceholderText(tr("No adapter chosen"))
        self.adapter_edit.setToolTip(tr("The adapter file to label with"))
        self.adapter_button = QPushButton(tr("Choose…"), self)
        self.adapter_button.setToolTip(tr("Choose an adapter file (.rmadapter.safetensors)"))
        self.adapter_info = QLabel(self)
        fit_label(self.adapter_info, max_lines=4)      # a damaged file's long message never widens the page
        self.names_edit = QLineEdit(self)
        self.names_edit.setPlaceholderText(tr("e.g. cat, dog, bird"))
        self.names_edit.setToolTip(tr("Class names separated by commas (at least two)"))
        self.extras_edit = QLineEdit(self)
        self.extras_edit.setPlaceholderText(tr("optional, e.g. fox, empty"))
        self.extras_edit.setToolTip(tr("More classes, recognised from their names alone. After a run, "
                                       "press Enter to re-score without reading the images again."))
        self.setTitle(tr("Classifier"))
        cl = QFormLayout(self)
        cl.addRow(self.use_adapter)
        arow = QHBoxLayout()
        arow.addWidget(self.adapter_edit, 1)
        arow.addWidget(self.adapter_button)
        cl.addRow(arow)
        cl.addRow(self.adapter_info)
        cl.addRow(self.use_names)
        cl.addRow(tr("Classes:"), self.names_edit)
        cl.addRow(tr("Extra classes:"), self.extras_edit)

        self.adapter_button.clicked.connect(self.choose_adapter)
        self.adapter_edit.editingFinished.connect(self._on_adapter_edited)
        self.use_adapter.toggled.connect(self.on_mode_changed)
        self.state.adapterChanged.connect(self.sync_adapter_from_state)
        self.state.projectChanged.connect(self._on_project_changed)
        self.state.projectEdited.connect(self._on_project_changed)
        self.names_edit.textEdited.connect(self._on_names_typed)

    def _project_class_names(self) -> list[str]:
        project = self.state.project
        if project is None:
            return []
        try:
            _, names, _ = project.training_data(DEFAULT_TEMPLATE)
        except Exception:  # an empty or half-built project has no names yet
            return []
        return list(names)

    @Slot()
    def sync_adapter_from_state(self) -> None:
        """Show the app's adapter unless the user chose another one."""
        path = self.state.adapter_path
        if path is not None and (self._adapter_from_state or not self.adapter_edit.text().strip()):
            self.adapter_edit.setText(str(path))
            self._adapter_from_state = True
            self.use_adapter.setChecked(True)
        elif path is None and not self.adapter_edit.text().strip():
            self.use_names.setChecked(True)
        self._show_adapter_info()
        self.classifierChanged.emit()

    @Slot()
    def _on_project_changed(self) -> None:
        """Class names typed by the user stay; names filled in from a project follow the project."""
        if self._auto_names or not self.names_edit.text().strip():
            self.names_edit.setText(", ".join(self._project_class_names()))
            self._auto_names = True
        self.edited.emit()

    @Slot(str)
    def _on_names_typed(self, _text: str) -> None:
        self._auto_names = False

    @Slot()
    def choose_adapter(self) -> None:
        path = dialogs.ask_open_file(self, self.tr("Choose an adapter"), dialogs.ADAPTER_FILTER)
        if path is not None:
            self.set_adapter(path)

    def set_adapter(self, path: Path | None) -> None:
        self.adapter_edit.setText(str(path) if path else "")
        self._adapter_from_state = False
        if path:
            self.use_adapter.setChecked(True)
        self._on_adapter_edited()

    @Slot()
    def _on_adapter_edited(self) -> None:
        text = self.adapter_edit.text().strip()
        self._adapter_from_state = bool(text) and self.state.adapter_path is not None and \
            Path(text) == Path(self.state.adapter_path)
        self._show_adapter_info()
        self.classifierChanged.emit()
        self.edited.emit()

    def adapter_header(self):
        """The chosen adapter's header, or None (missing/damaged: the reason is shown)."""
        text = self.adapter_edit.text().strip()
        if not text:
            return None
        from rmadapter_app.core.errors import AdapterFileError
        from rmadapter_app.core.model.adapter_file import read_adapter_header
        try:
            return read_adapter_header(Path(text))
        except AdapterFileError:
            return None

    def _show_adapter_info(self) -> None:
        text = self.adapter_edit.text().strip()
        if not text:
            self.adapter_info.setText(self.tr("No adapter: train one, open one, or use class names."))
            return
        from rmadapter_app.core.errors import AdapterFileError
        from rmadapter_app.core.model.adapter_file import read_adapter_header
        try:
            header = read_adapter_header(Path(text))
        except AdapterFileError as exc:
            self.adapter_info.setText(str(exc))
            return
        self.adapter_info.setText(self.tr("{0} classes: {1}\nBackbone: {2}").format(
            len(header.class_names), ", ".join(header.class_names), header.backbone.label))

    @Slot()
    def on_mode_changed(self) -> None:
        """Adapter or class names: enable the matching fields."""
        adapter = self.use_adapter.isChecked()
        for w in (self.adapter_edit, self.adapter_button, self.adapter_info):
            w.setEnabled(adapter)
        self.names_edit.setEnabled(not adapter)
        if not adapter and not self.names_edit.text().strip():
            self.names_edit.setText(", ".join(self._project_class_names()))
            self._auto_names = True
        self.classifierChanged.emit()
        self.edited.emit()

    def choice(self) -> ClassifierChoice | None:
        """The classifier to label with, or None (nothing usable chosen)."""
        extras = split_names(self.extras_edit.text())
        if self.use_adapter.isChecked():
            header = self.adapter_header()
            if header is None:
                return None
            return ClassifierChoice(self.state.backbone_spec, Path(self.adapter_edit.text().strip()),
                                    list(header.class_names), extras)
        names = split_names(self.names_edit.text())
        if len(names) + len([e for e in extras if e.casefold() not in {n.casefold() for n in names}]) < 2:
            return None
        return ClassifierChoice(self.state.backbone_spec, None, names, extras)
