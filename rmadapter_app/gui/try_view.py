"""The Try-it page: drop, paste or choose an image and see every class ranked with its confidence.

The classifier comes from the adapter file in use, else the last training result, else frozen
CLIP zero-shot on the project's class names. It is built once on a worker (``state.jobs``) and
reused until the adapter, the classes or the backbone change; between uses its adapters are
taken off the shared backbone (``Classifier.close`` / ``reattach``) so other jobs find it clean.
Classes typed by name are appended with ``Classifier.add_classes`` and ranked too.
"""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, Qt, QTimer, Slot
from PySide6.QtGui import QGuiApplication, QImage, QImageReader, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rmadapter_app.core import events as E
from rmadapter_app.gui import dialogs
from rmadapter_app.gui.state import AppState, BackboneSpec
from rmadapter_app.gui.train_job import DEFAULT_TEMPLATE, ImportWeightsJob, needs_download
from rmadapter_app.gui.train_view import ensure_jobs
from rmadapter_app.gui.try_job import ClassifierSource, TryJob, build_classifier  # noqa: F401 (names of this page)

logger = logging.getLogger("rmadapter_app")

JOB_TRY, JOB_IMPORT_TRY = "try image", "import weights (try)"
PREVIEW = 320


class _DropArea(QLabel):
    """Shows the image being classified; accepts dropped files and images."""

    def __init__(self, page: TryPage):
        super().__init__(page)
        self._page = page
        self.setAcceptDrops(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(PREVIEW, PREVIEW)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setWordWrap(True)
        self.setText(self.tr("Drop an image here, paste one (Ctrl+V), or choose a file."))
        self.setToolTip(self.tr("Drop or paste any image to see how the classes rank."))

    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if event.mimeData().hasUrls() or event.mimeData().hasImage():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        self._page.handle_mime(event.mimeData())
        event.acceptProposedAction()


class TryPage(QWidget):
    """Try the classifier on any image; add classes by name and see them ranked too."""

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.jobs = ensure_jobs(state)
        self._classifier = None
        self._classifier_key: tuple | None = None
        self._generation = 0
        self._extras: list[str] = []
        self._current: tuple[Path | None, bytes | None] | None = None
        self._ranking: list[tuple[str, float]] = []
        self._job_generation = -1
        self._build()
        self._rerun_timer = QTimer(self)
        self._rerun_timer.setSingleShot(True)
        self._rerun_timer.setInterval(0)
        self._rerun_timer.timeout.connect(self._on_rerun_timer_timeout)
        for sig in (state.adapterChanged, state.resultChanged, state.projectEdited, state.backboneChanged):
            sig.connect(self._on_state_classifier_changed)
        state.projectChanged.connect(self._on_state_project_changed)
        self._update_source_label()

    def _build(self) -> None:
        self.drop_area = _DropArea(self)
        choose = QPushButton(self.tr("&Choose image…"), self)
        choose.setToolTip(self.tr("Pick an image file to classify."))
        choose.clicked.connect(self.choose_image)
        # Ctrl+V is the main window's Edit > Paste, which calls this page's paste() when it is shown.
        self.source_label = QLabel(self)
        self.source_label.setWordWrap(True)
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.table = QTableWidget(0, 2, self)
        self.table.setHorizontalHeaderLabels([self.tr("Class"), self.tr("Confidence")])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setToolTip(self.tr("Every class ranked by the classifier's confidence for this image."))
        self.extra_edit = QLineEdit(self)
        self.extra_edit.setPlaceholderText(self.tr("Add classes by name, e.g. cat, dog"))
        self.extra_edit.setToolTip(self.tr("Classes typed here are recognised from their names alone and "
                                           "ranked with the others (separate names with commas)."))
        self.extra_edit.returnPressed.connect(self._on_extra_edit_return)
        add = QPushButton(self.tr("&Add"), self)
        add.setToolTip(self.tr("Add the typed class names (Enter)."))
        add.clicked.connect(self._on_extra_edit_return)
        self.clear_extras_button = QPushButton(self.tr("C&lear added"), self)
        self.clear_extras_button.setToolTip(self.tr("Forget the classes added by name."))
        self.clear_extras_button.clicked.connect(self.clear_added_classes)

        left = QVBoxLayout()
        left.addWidget(self.drop_area, 1)
        left.addWidget(choose)
        extra = QHBoxLayout()
        extra.addWidget(self.extra_edit, 1)
        extra.addWidget(add)
        extra.addWidget(self.clear_extras_button)
        right = QVBoxLayout()
        right.addWidget(self.source_label)
        right.addWidget(self.table, 1)
        right.addLayout(extra)
        right.addWidget(self.status_label)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 2)
        layout.addLayout(right, 3)

    # ---------------------------------------------------------------- classifier source
    def source(self) -> ClassifierSource | None:
        """What the classifier is built from right now (None: nothing to classify with)."""
        spec = self.state.backbone_spec
        if self.state.adapter_path is not None:
            return ClassifierSource("file", spec, adapter_path=Path(self.state.adapter_path))
        if self.state.result is not None:
            return ClassifierSource("result", spec, result=self.state.result)
        project = self.state.project
        if project is None:
            return None
        _, names, prompts = project.training_data(DEFAULT_TEMPLATE)
        if not names:
            return None
        return ClassifierSource("zero-shot", spec, class_names=list(names), prompts=list(prompts))

    def _update_source_label(self) -> None:
        src = self.source()
        if src is None:
            text = self.tr("No classes yet: add classes to the project, train, or load an adapter.")
        elif src.kind == "file":
            text = self.tr("Classifier: the model in use, {0} (choose another on the Results page)").format(
                src.adapter_path.name)
        elif src.kind == "result":
            text = self.tr("Classifier: the model of the last training run")
        else:
            text = self.tr("Classifier: frozen CLIP, recognising the project's classes by their names "
                           "(nothing trained yet)")
        if self._extras:
            text += "\n" + self.tr("Added by name: {0}").format(", ".join(self._extras))
        self.source_label.setText(text)

    @Slot()
    def _on_state_project_changed(self) -> None:
        """Another project: its own model in use, and nothing left of the last one's image or names."""
        self._rerun_timer.stop()
        self._drop_classifier()
        self._current = None
        self._extras = []
        self._show_ranking([], set())
        self.drop_area.setPixmap(QPixmap())
        self.drop_area.setText(self.tr("Drop an image here, paste one (Ctrl+V), or choose a file."))
        self.status_label.setText("")
        self._update_source_label()

    @Slot()
    def _on_state_classifier_changed(self) -> None:
        self._drop_classifier()
        self._update_source_label()
        if self._current is not None:
            self._rerun_timer.start()   # after the other changes of the same moment

    @Slot()
    def _on_rerun_timer_timeout(self) -> None:
        """Re-rank the shown image with the new classifier, when the page is on screen and idle."""
        path = self._current[0] if self._current is not None else None
        if path is not None and not path.exists():   # e.g. its class was removed from the project
            self._current = None
            self._show_ranking([], set())
            self.status_label.setText(self.tr("{0} is no longer on disk (was its class removed?). "
                                              "Drop an image to rank it.").format(path.name))
            return
        if self._current is not None and self.isVisible() and not self.jobs.busy():
            self._run()
        elif self._current is not None:
            self.status_label.setText(self.tr("The classifier changed; drop the image again to re-rank it."))

    def _drop_classifier(self) -> None:
        self._generation += 1
        self._classifier = None
        self._classifier_key = None

    # ---------------------------------------------------------------- input
    @Slot()
    def choose_image(self) -> bool:
        path = dialogs.ask_open_file(self, self.tr("Choose an image"), dialogs.IMAGE_FILTER)
        return self.classify_file(path) if path is not None else False

    @Slot()
    def paste(self) -> bool:
        """Classify the image (or image file) on the clipboard."""
        return self.handle_mime(QGuiApplication.clipboard().mimeData())

    def handle_mime(self, mime) -> bool:
        """A drop or paste: the first local file, else image data."""
        if mime is None:
            return False
        for url in mime.urls() if mime.hasUrls() else []:
            if url.isLocalFile():
                return self.classify_file(Path(url.toLocalFile()))
        if mime.hasImage():
            image = QImage(mime.imageData())
            if not image.isNull():
                return self.classify_image(image)
        self.status_label.setText(self.tr("That is not an image. Drop or paste a picture file."))
        return False

    def classify_file(self, path: Path) -> bool:
        """Show and rank an image file."""
        path = Path(path)
        reader = QImageReader(str(path))
        reader.setAutoTransform(True)
        preview = reader.read()
        if not preview.isNull():
            self._show_preview(preview)
        else:
            self.drop_area.setText(path.name)
        self._current = (path, None)
        return self._run()

    def classify_image(self, image: QImage) -> bool:
        """Show and rank an image that has no file (pasted)."""
        buf = QBuffer()
        buf.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buf, "PNG")
        self._show_preview(image)
        self._current = (None, bytes(buf.data()))
        return self._run()

    def _show_preview(self, image: QImage) -> None:
        pix = QPixmap.fromImage(image).scaled(PREVIEW, PREVIEW, Qt.AspectRatioMode.KeepAspectRatio,
                                              Qt.TransformationMode.SmoothTransformation)
        self.drop_area.setPixmap(pix)

    # ---------------------------------------------------------------- classes by name
    @Slot()
    def _on_extra_edit_return(self) -> None:
        if self.add_class_names(self.extra_edit.text()):
            self.extra_edit.clear()

    def add_class_names(self, text: str) -> bool:
        """Add comma-separated class names; re-ranks the current image. True when any was new."""
        known = ({n.casefold() for n in self._extras} | {n.casefold() for n, _ in self._ranking}
                 | {n.casefold() for n in self._source_class_names()})
        new = []
        for name in (t.strip() for t in text.split(",")):
            if name and name.casefold() not in known:
                new.append(name)
                known.add(name.casefold())
        if not new:
            return False
        self._extras += new
        self._update_source_label()
        if self._current is not None:
            self._run()
        return True

    def _source_class_names(self) -> list[str]:
        """The classifier's own class names (adapter header, last result or project), before any ranking."""
        src = self.source()
        if src is None:
            return []
        if src.kind == "file":
            try:
                from rmadapter_app.core.model.adapter_file import read_adapter_header
                return list(read_adapter_header(src.adapter_path).class_names)
            except Exception:  # a damaged file is reported when the classifier is built
                return []
        if src.kind == "result":
            return list(src.result.class_names)
        return list(src.class_names)

    @Slot()
    def clear_added_classes(self) -> None:
        self._extras = []
        self._drop_classifier()
        self._update_source_label()
        if self._current is not None:
            self._run()

    def added_classes(self) -> list[str]:
        return list(self._extras)

    # ---------------------------------------------------------------- running
    def _run(self) -> bool:
        source = self.source()
        if source is None:
            self.status_label.setText(self.tr("Nothing to classify with yet: add classes to the project, "
                                              "train, or load an adapter."))
            return False
        if self.jobs.busy():
            self.status_label.setText(self.tr("Busy with “{0}”; try again when it has finished.").format(
                self.jobs.current()))
            return False
        if source.kind == "file":
            from rmadapter_app.core.errors import AdapterFileError
            from rmadapter_app.core.model.adapter_file import read_adapter_header
            try:
                header = read_adapter_header(source.adapter_path)
            except AdapterFileError as exc:
                self._on_try_failed(str(exc), "")
                return False
            source.spec = source.spec.for_adapter(header)
        key = source.key()
        if key != self._classifier_key:
            self._drop_classifier()
            self._classifier_key = key
        if self._classifier is None and needs_download(self.state, source.spec) \
                and not self._confirm_weights(source.spec):
            return False
        path, data = self._current
        job = TryJob(self.state, source, self._classifier, list(self._extras), path, data)
        self._job_generation = self._generation
        self.status_label.setText(self.tr("Classifying…") if self._classifier is not None
                                  else self.tr("Preparing the classifier…"))
        return self.jobs.start(JOB_TRY, job, on_event=self._on_try_event, on_done=self._on_try_done,
                               on_failed=self._on_try_failed)

    def _confirm_weights(self, spec: BackboneSpec) -> bool:
        """Weights not on disk: True to download them in the job; importing a file re-runs afterwards."""
        choice = dialogs.ask_missing_weights(self, self.tr(
            "The {0} weights are not on this computer yet. Download them now (several hundred MB), "
            "or import a weights file you already have.").format(spec.label()))
        if choice == dialogs.DOWNLOAD:
            return True
        if choice == dialogs.IMPORT:
            path = dialogs.ask_open_file(self, self.tr("Import weights for {0}").format(spec.model_name),
                                         dialogs.WEIGHTS_FILTER)
            if path is not None:
                self.status_label.setText(self.tr("Checking and importing {0}…").format(Path(path).name))
                job = ImportWeightsJob(Path(path), spec.model_name, spec.pretrained or "imported", allow_other=False)
                self.jobs.start(JOB_IMPORT_TRY, job, on_done=self._on_import_done, on_failed=self._on_try_failed)
                return False
        self.status_label.setText(self.tr("The backbone weights are needed to classify."))
        return False

    def _on_import_done(self, target) -> None:
        self.status_label.setText(self.tr("Weights imported."))
        if self._current is not None:
            self._run()

    def _on_try_event(self, ev) -> None:
        if isinstance(ev, E.DownloadEvent):
            total = f" / {ev.total_bytes / 1e6:.0f}" if ev.total_bytes else ""
            self.status_label.setText(self.tr("Downloading {0}: {1:.0f}{2} MB (Esc stops)").format(
                ev.filename, ev.done_bytes / 1e6, total))
        elif isinstance(ev, E.StatusEvent):
            self.status_label.setText(ev.text)

    def _on_try_done(self, outcome) -> None:
        clf, ranking = outcome
        if self._job_generation == self._generation:
            self._classifier = clf                      # reuse it next time
        self._show_ranking(ranking, set(n.casefold() for n in self._extras))
        self.status_label.setText("")

    def _on_try_failed(self, message: str, details: str) -> None:
        self._drop_classifier()
        self._show_ranking([], set())              # never the previous image's ranking beside this one
        self.status_label.setText(message)
        dialogs.show_error(self, self.tr("Try it"), message, details)

    def _show_ranking(self, ranking: list[tuple[str, float]], added: set[str]) -> None:
        self._ranking = list(ranking)
        self.table.setRowCount(len(ranking))
        for row, (name, prob) in enumerate(ranking):
            item = QTableWidgetItem(name)
            if name.casefold() in added:
                font = item.font()
                font.setItalic(True)
                item.setFont(font)
                item.setToolTip(self.tr("Added by name: recognised without example images."))
            self.table.setItem(row, 0, item)
            bar = QProgressBar(self.table)
            bar.setRange(0, 1000)
            bar.setValue(int(round(prob * 1000)))
            bar.setFormat(f"{prob:.1%}")
            bar.setTextVisible(True)
            self.table.setCellWidget(row, 1, bar)

    def ranking(self) -> list[tuple[str, float]]:
        """The ranking shown: (class name, probability), best first."""
        return list(self._ranking)
