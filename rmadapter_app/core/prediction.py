"""One image's classification result (plain data: no torch, so planning code can use it)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Prediction:
    """One image's result: top label, its probability and the top-k, or the reason it failed."""

    path: Path
    label: str | None
    confidence: float
    top: list[tuple[str, float]] = field(default_factory=list)
    error: str | None = None
