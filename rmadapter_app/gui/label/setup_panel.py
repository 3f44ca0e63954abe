"""The Label page's setup side: what to label and how, Run/Stop, and how the running job is going."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QProgressBar, QPushButton, QVBoxLayout, QWidget

from rmadapter_app.core.label import cluster
from rmadapter_app.gui.label import status_text
from rmadapter_app.gui.label.classifier_panel import ClassifierPanel
from rmadapter_app.gui.label.output_panel import OutputPanel
from rmadapter_app.gui.label.sources_panel import SourcesPanel
from rmadapter_app.gui.state import AppState


class SetupPanel(QWidget):
    """The images, classifier and output boxes, the Run and Stop buttons, a progress bar and a status line.

    The buttons are connected by the page.
    """

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        tr = self.tr
        self.sources_box = SourcesPanel(self)
        self.classifier_box = ClassifierPanel(state, self)
        self.output_box = OutputPanel(self)
        self.run_button = QPushButton(tr("&Run"), self)
        self.run_button.setToolTip(tr("Label the images (Ctrl+R). Images labeled before are read from the cache."))
        self.stop_button = QPushButton(tr("&Stop"), self)
        self.stop_button.setToolTip(tr("Stop after the current batch; the results so far are kept (Esc)"))
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setToolTip(tr("Images labeled so far"))
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.ray_check = QCheckBox(tr("Run on a Ray cluster"), self)
        self.ray_check.setToolTip(tr("Decode and encode the images on the Ray cluster at this address; this computer "
                                     "still lists, scores and writes every file. The files must be readable at the "
                                     "same paths on every node."))
        self.ray_address_edit = QLineEdit("auto", self)
        self.ray_address_edit.setPlaceholderText(tr("auto, HOST:PORT, or local"))
        self.ray_address_edit.setToolTip(tr("auto: the cluster this computer belongs to; HOST:PORT: its head node; "
                                            "local: a cluster inside the app, on this computer only"))
        self.ray_address_edit.setEnabled(False)
        self.ray_check.toggled.connect(self.ray_address_edit.setEnabled)
        ray_row = QHBoxLayout()
        ray_row.addWidget(self.ray_check)
        ray_row.addWidget(self.ray_address_edit, 1)
        offered = cluster.ray_installed()             # the cluster extra: hidden without it
        self.ray_check.setVisible(offered)
        self.ray_address_edit.setVisible(offered)
        run_row = QHBoxLayout()
        run_row.addWidget(self.run_button)
        run_row.addWidget(self.stop_button)
        ll = QVBoxLayout(self)
        ll.addWidget(self.sources_box, 1)
        ll.addWidget(self.classifier_box)
        ll.addWidget(self.output_box)
        ll.addLayout(ray_row)
        ll.addLayout(run_row)
        ll.addWidget(self.progress)
        ll.addWidget(self.status_label)

    def ray_address(self) -> str | None:
        """The Ray cluster to label on, or None for this computer (unticked, or Ray not installed)."""
        if not (self.ray_check.isVisibleTo(self) and self.ray_check.isChecked()):
            return None
        return self.ray_address_edit.text().strip() or "auto"

    def add_sources(self, paths) -> int:
        """Add folders/files (duplicates ignored) and suggest an output folder; returns how many were new."""
        added = self.sources_box.add(paths)
        if added:
            self._suggest_out_folder()
        return added

    def _suggest_out_folder(self) -> None:
        out_edit, sources = self.output_box.out_edit, self.sources_box.sources
        if out_edit.text().strip() or not sources.count():
            return
        first = Path(sources.item(0).text())
        base = first if first.is_dir() else first.parent
        out_edit.setText(str(base.parent / f"{base.name} labeled"))

    def show_event(self, ev) -> None:
        """Show a job's progress, download or status event in the progress bar and the status line."""
        from rmadapter_app.core import events as E
        if isinstance(ev, E.LabelProgressEvent):
            self.progress.setRange(0, max(1, ev.total))
            self.progress.setValue(ev.done)
            self.status_label.setText(status_text.labeling_progress(ev))
        elif isinstance(ev, E.ProgressEvent):
            self.progress.setRange(0, max(1, ev.total))
            self.progress.setValue(ev.done)
            self.status_label.setText(f"{self.tr(ev.phase)}: {ev.done} / {ev.total}")
        elif isinstance(ev, E.DownloadEvent):
            self.progress.setRange(0, max(1, ev.total_bytes))
            self.progress.setValue(ev.done_bytes)
            self.status_label.setText(self.tr("Downloading {0}…").format(ev.filename))
        elif isinstance(ev, E.StatusEvent):
            self.status_label.setText(ev.text)
