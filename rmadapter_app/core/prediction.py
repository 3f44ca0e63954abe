"""One image's classification result: the record that flows from the classifier to the reports.

Plain data (no torch), so planning and report code can use it. ``Classifier.classify_paths``
returns these; a labeling run (``LabelRun.results``) returns them with the content hash of the
file that was labeled; the labeling plan wraps each one in a ``PlanEntry`` (where it goes), and
the CSV/JSON reports are written from those entries.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Prediction:
    """One image's result: top label, its probability and the top-k, or the reason it failed.

    ``label`` is None and ``error`` says why when the file could not be read. ``sha256`` is the
    content hash of the file that was labeled (labeling runs set it; None otherwise).
    """

    path: Path
    label: str | None
    confidence: float
    top: list[tuple[str, float]] = field(default_factory=list)
    error: str | None = None
    sha256: str | None = None
