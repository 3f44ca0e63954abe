"""The Label page's status line: what it says about progress and about finished runs, writes and undos.

Texts are translated in the ``LabelPage`` context.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication

from rmadapter_app.gui.formatting import fmt_duration as _fmt_duration


def _tr(text: str) -> str:
    return QCoreApplication.translate("LabelPage", text)


def fmt_duration(seconds: float) -> str:
    """Whole seconds for labeling times ("12 s", "1 min 15 s"); tenths below 1 s ("0.3 s", not "0 s")."""
    return _fmt_duration(seconds, tenths_below=1)


def labeling_progress(ev) -> str:
    """A LabelProgressEvent: done / total, speed, time left, cached and unreadable images."""
    parts = [_tr("Labeling {0} / {1}").format(ev.done, ev.total)]
    if ev.images_per_s > 0:
        parts.append(_tr("{0:.1f} images/s").format(ev.images_per_s))
    if ev.eta_s is not None and ev.done < ev.total:
        parts.append(_tr("about {0} left").format(fmt_duration(ev.eta_s)))
    if ev.cached:
        parts.append(_tr("{0} from the cache").format(ev.cached))
    if ev.errors:
        parts.append(_tr("{0} unreadable").format(ev.errors))
    return " — ".join(parts)


def run_done(run, rescored: bool, n_results: int) -> str:
    """A labeling (or re-scoring) job ended with ``run`` (a LabelRun) showing ``n_results`` images.

    Warnings of the run (a damaged embedding cache that was rebuilt, say) follow the summary."""
    text = _run_summary(run, rescored, n_results)
    warnings = list(getattr(run, "warnings", []) or [])
    return " ".join([text, *warnings]) if warnings else text


def _run_summary(run, rescored: bool, n_results: int) -> str:
    if rescored:
        return _tr("Re-scored {0} images for {1} classes from the cache.").format(n_results, len(run.class_names))
    if run.stopped:
        return _tr("Stopped after {0} of {1} images. The results so far are shown and can be written; "
                   "Run again to continue where it stopped.").format(run.n_done, len(run))
    rate = run.n_done / run.seconds if run.seconds else 0.0
    return _tr("Labeled {0} images in {1} ({2:.1f} images/s; {3} from the cache, {4} unreadable).").format(
        run.n_done, fmt_duration(run.seconds), rate, run.from_cache, run.n_errors)


def write_done(outcome) -> str:
    """A write ended (a WriteOutcome): what was copied or moved, renamed, skipped, failed, reported."""
    journal, plan = outcome.journal, outcome.plan
    verb = {"move": _tr("Moved"), "copy": _tr("Copied")}.get(plan.mode)
    parts = []
    if verb:
        parts.append(_tr("{0} {1} images into {2}").format(verb, journal.done, plan.out_dir))
    if plan.n_renamed:
        parts.append(_tr("{0} renamed (name taken)").format(plan.n_renamed))
    if plan.n_skipped:
        parts.append(_tr("{0} skipped (name taken)").format(plan.n_skipped))
    if plan.n_links:
        parts.append(_tr("{0} not moved (symbolic links to files outside the folders you chose)")
                     .format(plan.n_links))
    if journal.failed:
        parts.append(_tr("{0} failed").format(len(journal.failed)))
    if journal.stopped:
        parts.append(_tr("stopped early"))
    if outcome.reports:
        parts.append(_tr("reports: {0}").format(", ".join(p.name for p in outcome.reports)))
    return "; ".join(parts) + "."


def undo_done(result) -> str:
    """An undo ended (an UndoResult): images moved back, copies removed, files left in place."""
    parts = []
    if result.restored:
        parts.append(_tr("Moved {0} images back").format(result.restored))
    if result.removed:
        parts.append(_tr("removed {0} copies").format(result.removed))
    if result.left:
        parts.append(_tr("{0} files left in place (changed since, or kept as the only copy)").format(
            len(result.left)))
    return ("; ".join(parts) or _tr("Nothing to undo")) + "."


def undo_folder(plan, sources: list[Path]) -> Path | None:
    """Where an undo of a write (its WritePlan) leaves things, for an "Open folder" link: moved images go
    back to the (first) folder they came from; removed copies leave the output folder."""
    if plan.mode == "move" and sources:
        return sources[0] if sources[0].is_dir() else sources[0].parent
    return plan.out_dir
