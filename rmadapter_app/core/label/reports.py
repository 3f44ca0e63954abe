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
from rmadapter_app.core.label.plan import Plan

CSV_FIELDS = ["path", "label", "confidence", "top_k", "bucket", "corrected", "destination", "action", "note",
              "error"]

def _rows(results: Sequence[Any], plan: Plan | None) -> list[dict[str, Any]]:
    by_src = plan.by_source() if plan is not None else {}
    rows = []
    for r in results:
        e = by_src.get(Path(r.path))
        rows.append({
            "path": str(r.path),
            "label": r.label or "",
            "confidence": float(r.confidence) if not r.error else None,
            "top_k": [(n, float(p)) for n, p in r.top],
            "bucket": (e.bucket or "") if e else "",
            "corrected": bool(e.corrected) if e else False,
            "destination": str(e.dest) if e and e.dest and e.action not in ("skip", "error") else "",
            "action": e.action if e else "",
            "note": e.note if e and e.action != "error" else "",
            "error": r.error or "",
        })
    return rows


def write_csv(path: Path, results: Sequence[Any], plan: Plan | None = None) -> Path:
    """One row per image: path, label, confidence, top-k, bucket, destination, action, note, error."""
    rows = []
    for row in _rows(results, plan):
        row["confidence"] = "" if row["confidence"] is None else f"{row['confidence']:.4f}"
        row["top_k"] = "; ".join(f"{n}:{p:.4f}" for n, p in row["top_k"])
        rows.append(row)
    _write_csv_rows(Path(path), CSV_FIELDS, rows)
    return Path(path)


def write_json(path: Path, results: Sequence[Any], plan: Plan | None = None,
               meta: Mapping[str, Any] | None = None) -> Path:
    """``{"summary": ..., "images": [...]}`` with the same fields as the CSV (top-k as objects)."""
    rows = _rows(results, plan)
    for row in rows:
        row["top_k"] = [{"label": n, "probability": round(p, 6)} for n, p in row["top_k"]]
        if row["confidence"] is not None:
            row["confidence"] = round(row["confidence"], 6)
    summary: dict[str, Any] = {"images": len(rows), "errors": sum(bool(r["error"]) for r in rows)}
    if plan is not None:
        summary.update({"threshold": plan.threshold, "mode": plan.mode, "counts": plan.counts,
                        "renamed": plan.n_renamed, "skipped": plan.n_skipped,
                        "not_moved_links": plan.n_links,
                        "out_dir": str(plan.out_dir) if plan.out_dir else None})
    summary.update(dict(meta or {}))
    atomic_write_json(Path(path), {"summary": summary, "images": rows})
    return Path(path)
