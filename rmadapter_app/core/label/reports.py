"""CSV and JSON reports of a labeling run: one row per image, with where it went and why.

Both are written atomically. CSV cells pass through :func:`fileio.csv_cell` (no cell can run as a
spreadsheet formula; a file name that is not valid UTF-8 shows its odd bytes as ``\\xNN``); the
JSON report keeps such names exactly (``\\udcXX`` escapes that read back to the same name).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from rmadapter_app.core.fileio import atomic_write_json
from rmadapter_app.core.fileio import write_csv as _write_csv_rows
from rmadapter_app.core.label.plan import Plan, PlanEntry
from rmadapter_app.core.prediction import Prediction

CSV_FIELDS = ["path", "label", "confidence", "top_k", "bucket", "corrected", "destination", "action", "note",
              "error"]


def _entries(results: Sequence[Prediction], plan: Plan | None) -> list[PlanEntry]:
    """One entry per record, in the records' order: the plan's entry for its file, else an unplanned one."""
    by_src = plan.by_source() if plan is not None else {}
    return [by_src.get(Path(r.path)) or PlanEntry.unplanned(r) for r in results]


def _destination(e: PlanEntry) -> str:
    return str(e.dest) if e.dest and e.action not in ("skip", "error") else ""


def _note(e: PlanEntry) -> str:
    return e.note if e.action != "error" else ""


def _csv_row(e: PlanEntry) -> dict[str, Any]:
    """The CSV row of one image (confidence and probabilities with 4 decimals)."""
    r = e.record
    return {"path": str(r.path), "label": r.label or "",
            "confidence": "" if r.error else f"{float(r.confidence):.4f}",
            "top_k": "; ".join(f"{n}:{float(p):.4f}" for n, p in r.top),
            "bucket": e.bucket or "", "corrected": bool(e.corrected), "destination": _destination(e),
            "action": e.action, "note": _note(e), "error": r.error or ""}


def _json_image(e: PlanEntry) -> dict[str, Any]:
    """The JSON object of one image: the CSV's fields, numbers rounded to 6 decimals, top-k as objects."""
    r = e.record
    return {"path": str(r.path), "label": r.label or "",
            "confidence": None if r.error else round(float(r.confidence), 6),
            "top_k": [{"label": n, "probability": round(float(p), 6)} for n, p in r.top],
            "bucket": e.bucket or "", "corrected": bool(e.corrected), "destination": _destination(e),
            "action": e.action, "note": _note(e), "error": r.error or ""}


def write_csv(path: Path, results: Sequence[Prediction], plan: Plan | None = None) -> Path:
    """One row per image: path, label, confidence, top-k, bucket, destination, action, note, error."""
    _write_csv_rows(Path(path), CSV_FIELDS, [_csv_row(e) for e in _entries(results, plan)])
    return Path(path)


def write_json(path: Path, results: Sequence[Prediction], plan: Plan | None = None,
               meta: Mapping[str, Any] | None = None) -> Path:
    """``{"summary": ..., "images": [...]}`` with the same fields as the CSV (top-k as objects)."""
    entries = _entries(results, plan)
    summary: dict[str, Any] = {"images": len(entries), "errors": sum(bool(e.record.error) for e in entries)}
    if plan is not None:
        summary.update({"threshold": plan.threshold, "mode": plan.mode, "counts": plan.counts,
                        "renamed": plan.n_renamed, "skipped": plan.n_skipped,
                        "not_moved_links": plan.n_links,
                        "out_dir": str(plan.out_dir) if plan.out_dir else None})
    summary.update(dict(meta or {}))
    atomic_write_json(Path(path), {"summary": summary, "images": [_json_image(e) for e in entries]})
    return Path(path)
