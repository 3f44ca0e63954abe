"""A clickable confusion matrix and a gallery of validation images with their top predictions.

``ConfusionMatrixView`` emits ``cellChosen(true_index, predicted_index)`` when a cell is clicked;
``PredictionGallery`` shows validation predictions (``TrainResult.val_predictions``, each a
``core.train.evaluate.ValPrediction``: path, label, pred, top [(class index, probability)]) as
thumbnails loaded on a small thread pool.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QRunnable, QSize, Qt, QThreadPool, Signal, Slot
from PySide6.QtGui import QColor, QIcon, QImage, QImageReader, QPalette, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QListWidget, QListWidgetItem, QTableView, QWidget

THUMB = 96


class ConfusionModel(QAbstractTableModel):
    """counts[i][j] = validation images of class i predicted as class j."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._names: list[str] = []
        self._counts: list[list[int]] = []
        self._highlight = QColor("#3b82f6")
        self._good = QColor("#10b981")

    def set_matrix(self, class_names: list[str], counts: list[list[int]]) -> None:
        self.beginResetModel()
        self._names = list(class_names)
        self._counts = [list(map(int, row)) for row in counts]
        self.endResetModel()

    def count(self, row: int, col: int) -> int:
        return self._counts[row][col]

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._names)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._names)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        n = self._counts[r][c]
        total = sum(self._counts[r])
        if role == Qt.ItemDataRole.DisplayRole:
            return str(n)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole and n:
            colour = QColor(self._good if r == c else self._highlight)
            colour.setAlphaF(0.15 + 0.7 * (n / total if total else 0))
            return colour
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr("%n validation image(s) of “{0}” predicted as “{1}”. Click to see them.", "",
                           int(n)).format(self._names[r], self._names[c])
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self._names):
            return self._names[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr("True class (rows)") if orientation == Qt.Orientation.Vertical \
                else self.tr("Predicted class (columns)")
        return None


class ConfusionMatrixView(QTableView):
    """Rows: true class; columns: predicted class. Click a cell to pick those images."""

    cellChosen = Signal(int, int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.matrix = ConfusionModel(self)
        self.setModel(self.matrix)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.setToolTip(self.tr("Confusion matrix: rows are the true classes, columns the predictions. "
                                "Click a cell to see its images."))
        self.clicked.connect(self._on_clicked)
        self.activated.connect(self._on_clicked)

    def set_matrix(self, class_names: list[str], counts: list[list[int]]) -> None:
        self.matrix.set_matrix(class_names, counts)

    def choose(self, true_index: int, pred_index: int) -> None:
        """Select a cell as if clicked."""
        index = self.matrix.index(true_index, pred_index)
        self.setCurrentIndex(index)
        self._on_clicked(index)

    @Slot(QModelIndex)
    def _on_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.cellChosen.emit(index.row(), index.column())


class _ThumbSignals(QObject):
    loaded = Signal(int, str, QImage)


class _ThumbTask(QRunnable):
    """Reads one scaled thumbnail off the GUI thread (QImage is safe there; QPixmap is not)."""

    def __init__(self, path: str, generation: int, signals: _ThumbSignals):
        super().__init__()
        self.path, self.generation, self.signals = path, generation, signals

    def run(self) -> None:
        reader = QImageReader(self.path)
        reader.setAutoTransform(True)
        size = reader.size()
        if size.isValid() and (size.width() > THUMB or size.height() > THUMB):
            reader.setScaledSize(size.scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio))
        image = reader.read()
        self.signals.loaded.emit(self.generation, self.path, image)


class PredictionGallery(QListWidget):
    """Thumbnails of validation images, each captioned with its true class and top predictions."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setViewMode(QListWidget.ViewMode.IconMode)
        self.setIconSize(QSize(THUMB, THUMB))
        self.setGridSize(QSize(THUMB + 70, THUMB + 72))
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setMovement(QListWidget.Movement.Static)
        self.setWordWrap(True)
        self.setUniformItemSizes(True)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._signals = _ThumbSignals()
        self._signals.loaded.connect(self._on_thumb_loaded)
        self._generation = 0
        self._items: dict[str, list[QListWidgetItem]] = {}

    def show_predictions(self, records: list, class_names: list[str]) -> None:
        """Replace the gallery with ``records`` (ValPredictions: path, label, pred, top)."""
        self._pool.clear()
        self._generation += 1
        self.clear()
        self._items = {}
        placeholder = QPixmap(THUMB, THUMB)
        placeholder.fill(self.palette().color(QPalette.ColorRole.Mid))
        for rec in records:
            path = str(rec.path)
            truth = class_names[rec.label] if 0 <= rec.label < len(class_names) else "?"
            lines = [self.tr("true: {0}").format(truth)]
            for rank, (ci, p) in enumerate(rec.top[:3], start=1):
                name = class_names[ci] if 0 <= ci < len(class_names) else "?"
                lines.append(f"{rank}. {name} {p:.0%}")
            item = QListWidgetItem(QIcon(placeholder), "\n".join(lines))
            item.setToolTip(f"{Path(path).name}\n" + "\n".join(lines))
            item.setData(Qt.ItemDataRole.UserRole, path)
            self.addItem(item)
            self._items.setdefault(path, []).append(item)
            self._pool.start(_ThumbTask(path, self._generation, self._signals))

    def paths(self) -> list[str]:
        return [self.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.count())]

    def wait_for_thumbnails(self, msecs: int = 10000) -> bool:
        """Block until queued thumbnails are read (tests); their icons arrive with the next events."""
        return self._pool.waitForDone(msecs)

    @Slot(int, str, QImage)
    def _on_thumb_loaded(self, generation: int, path: str, image: QImage) -> None:
        if generation != self._generation or image.isNull():
            return
        icon = QIcon(QPixmap.fromImage(image))
        for item in self._items.get(path, []):
            item.setIcon(icon)
