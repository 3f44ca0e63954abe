"""``rmadapter label``: label folders of images, sort them into class folders, write reports, undo.

Registered by :mod:`rmadapter_app.cli`; progress goes to stderr, a one-line JSON summary to stdout.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from .cli_common import StopFlag, make_classifier, report_backup
from .core.fileio import printable


def add_parser(sub, add_backbone_args) -> argparse.ArgumentParser:
    """Register the ``label`` subcommand on ``sub`` (argparse subparsers)."""
    p = sub.add_parser(
        "label", help="label folders of images; copy or move them into class folders; write CSV/JSON",
        description="Label images with an adapter (or class names alone), then copy or move them into "
                    "one folder per class and/or write CSV and JSON reports. "
                    "`rmadapter label --undo JOURNAL` reverts a run.")
    p.add_argument("sources", nargs="*", type=Path, metavar="SRC", help="image folders or files")
    p.add_argument("--adapter", type=Path, help="adapter file (.rmadapter.safetensors)")
    p.add_argument("--class", dest="classes", action="append", default=[],
                   help="zero-shot class name (repeatable), used when no --adapter is given")
    p.add_argument("--extra-class", action="append", default=[], help="add a class by name (repeatable)")
    p.add_argument("--out", type=Path, help="output folder: one subfolder per class, plus _uncertain")
    p.add_argument("--move", action="store_true", help="move the images instead of copying (undo with --undo)")
    p.add_argument("--threshold", type=float, default=0.0,
                   help="top confidence below this goes to _uncertain (0..1, default 0)")
    p.add_argument("--csv", type=Path, help="write a CSV report here")
    p.add_argument("--json", type=Path, help="write a JSON report here")
    p.add_argument("--keep-structure", action="store_true",
                   help="keep the source subfolders below each class folder")
    p.add_argument("--skip-existing", action="store_true",
                   help="skip files whose name is taken in the output folder (default: rename with ' (1)')")
    p.add_argument("--no-recursive", action="store_true", help="do not descend into subfolders")
    p.add_argument("--top-k", type=int, default=3, help="probabilities to report per image")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--undo", type=Path, metavar="JOURNAL",
                   help="undo a labeling run from its journal (rmadapter-journal-*.jsonl in the output folder)")
    ray = p.add_argument_group("Ray cluster (the cluster extra; see docs/CLUSTER.md)")
    ray.add_argument("--ray", metavar="ADDRESS",
                     help="decode and encode on a Ray cluster: auto (the cluster this machine joined), HOST:PORT "
                          "of its head, or local (a cluster inside this process, on 127.0.0.1 only); this computer "
                          "still lists, scores and writes every file")
    ray.add_argument("--ray-send-bytes", action="store_true",
                     help="read the files on this computer and send their bytes (workers that cannot see them)")
    ray.add_argument("--ray-workers", type=int, metavar="N", help="model copies (default: one per GPU, or per 4 CPUs)")
    ray.add_argument("--ray-cpus-per-worker", type=float, metavar="C", help="CPUs per worker, for decoding")
    ray.add_argument("--ray-gpus-per-worker", type=float, metavar="G",
                     help="GPUs per worker (default: 1 when the cluster has GPUs, else 0)")
    add_backbone_args(p, None)
    p.set_defaults(handler=run_label_command)
    return p


class _LabelProgress:
    """Adds speed and time left to labeling progress; passes other events to the CLI's printer."""

    def __init__(self, progress):
        self.progress = progress
        self.last = 0.0

    def say(self, text: str) -> None:
        self.progress.say(text)

    def __call__(self, ev: Any) -> None:
        from .core.events import LabelProgressEvent

        if isinstance(ev, LabelProgressEvent):
            now = time.monotonic()
            if now - self.last >= 1.0 or ev.done == ev.total:
                self.last = now
                eta = f", {_fmt_eta(ev.eta_s)} left" if ev.eta_s is not None and ev.done < ev.total else ""
                extra = f", {ev.cached} from cache" if ev.cached else ""
                self.say(f"{ev.phase}: {ev.done}/{ev.total} ({ev.images_per_s:.1f} images/s{eta}"
                          f"{extra}, {ev.errors} unreadable)")
        else:
            self.progress(ev)


def _fmt_eta(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds >= 3600:
        return f"{seconds // 3600}h{(seconds % 3600) // 60:02d}m"
    if seconds >= 60:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds}s"


WARN_LIMIT = 20


def _warn_each(progress, lines: list[str], more: str) -> None:
    """One warning line per item, at most WARN_LIMIT, then how many more there are."""
    for line in lines[:WARN_LIMIT]:
        progress.say(f"warning: {line}")
    if len(lines) > WARN_LIMIT:
        progress.say(f"warning: ... and {len(lines) - WARN_LIMIT} more ({len(lines)} {more})")


def _undo(args, progress) -> int:
    from .core.label.write import undo

    result = undo(args.undo)
    _warn_each(progress, [f"{printable(str(path))}: {why}" for path, why in result.left],
               "files were left in place; the journal lists them all")
    print(json.dumps({"restored": result.restored, "removed": result.removed, "left": len(result.left)}))
    return 0 if not result.left else 1


def _check_args(args) -> None:
    if args.undo is not None:
        if args.sources:
            raise SystemExit("error: --undo takes a journal file only, no SRC")
        return
    if not args.sources:
        raise SystemExit("error: give at least one image folder or file (SRC), or --undo JOURNAL")
    if args.out is None and args.csv is None and args.json is None:
        raise SystemExit("error: nothing to write: give --out DIR and/or --csv FILE / --json FILE")
    if args.out is not None and args.out.exists() and not args.out.is_dir():
        raise SystemExit(f"error: --out {args.out} is a file, not a folder; give a folder for the sorted images")
    for flag, path in (("--csv", args.csv), ("--json", args.json)):
        if path is not None and path.is_dir():
            raise SystemExit(f"error: {flag} {path} is a folder; give a file name for the report")
    if args.move and args.out is None:
        raise SystemExit("error: --move needs --out DIR")
    if args.out is not None:                      # refuse before labeling, not after
        out = args.out.resolve()
        for src in args.sources:
            root = Path(src).resolve()
            if root.is_dir() and (out == root or root in out.parents):
                raise SystemExit(f"error: --out {args.out} is inside the source folder {src}; "
                                 "choose an output folder outside the images being labeled")
    if not 0.0 <= args.threshold <= 1.0:
        raise SystemExit(f"error: --threshold must be between 0 and 1, got {args.threshold}")
    if args.top_k < 1 or args.batch_size < 1:
        raise SystemExit("error: --top-k and --batch-size must be at least 1")
    if args.adapter is None and len(args.classes + args.extra_class) < 2:
        raise SystemExit("error: give --adapter FILE, or at least two class names with --class")
    _check_ray_args(args)


def _check_ray_args(args) -> None:
    ray_flags = [flag for flag, value in (("--ray-send-bytes", args.ray_send_bytes), ("--ray-workers", args.ray_workers),
                                          ("--ray-cpus-per-worker", args.ray_cpus_per_worker),
                                          ("--ray-gpus-per-worker", args.ray_gpus_per_worker)) if value]
    if args.ray is None:
        if ray_flags:
            raise SystemExit(f"error: {ray_flags[0]} needs --ray ADDRESS")
        return
    from .core.label.cluster import INSTALL_HINT, ray_installed

    if not args.ray.strip():
        raise SystemExit("error: --ray needs an address: auto, HOST:PORT, ray://HOST:PORT or local")
    if args.ray_workers is not None and args.ray_workers < 1:
        raise SystemExit("error: --ray-workers must be at least 1")
    if args.ray_cpus_per_worker is not None and args.ray_cpus_per_worker <= 0:
        raise SystemExit("error: --ray-cpus-per-worker must be above 0")
    if args.ray_gpus_per_worker is not None and args.ray_gpus_per_worker < 0:
        raise SystemExit("error: --ray-gpus-per-worker must be 0 or more")
    if not ray_installed():
        raise SystemExit(f"error: --ray needs Ray, which is not installed: {INSTALL_HINT}")


def _label_on_ray(args, clf, events, stop):
    """The same LabelRun as run_labeling, with decoding and encoding on the Ray cluster at ``--ray``."""
    from .core.label.cluster import RayOptions
    from .core.label.ray_backend import label_on_ray
    from .core.label.ray_worker import ModelRecipe
    from .core.model.adapter_file import read_adapter_header
    from .core.model.spec import BackboneSpec

    spec = BackboneSpec.from_cli_args(args, read_adapter_header(args.adapter) if args.adapter else None)
    options = RayOptions(args.ray.strip(), send_bytes=args.ray_send_bytes, workers=args.ray_workers,
                         cpus_per_worker=args.ray_cpus_per_worker, gpus_per_worker=args.ray_gpus_per_worker)
    return label_on_ray(clf, args.sources, ModelRecipe.of(clf, spec, args.adapter), options,
                        recursive=not args.no_recursive, batch_size=args.batch_size, on_event=events, should_stop=stop)


def run_label_command(args, progress) -> int:
    """Handler of ``rmadapter label``; returns the exit status."""
    _check_args(args)
    if args.undo is not None:
        return _undo(args, progress)

    from .core.label.engine import run_labeling
    from .core.label.plan import plan_labeling
    from .core.label.reports import write_csv, write_json
    from .core.label.write import apply_plan

    events = _LabelProgress(progress)
    if args.ray is not None and args.device == "auto":
        args.device = "cpu"          # the driver only scores: the cluster's GPUs are the workers'
    with StopFlag() as stop:
        with make_classifier(args, events, stop) as clf:
            if args.ray is not None:
                run = _label_on_ray(args, clf, events, stop)
            else:
                run = run_labeling(clf, args.sources, recursive=not args.no_recursive, batch_size=args.batch_size,
                                   on_event=events, should_stop=stop)
    results = run.results(top_k=args.top_k)
    for text in getattr(run, "warnings", []):
        progress.say(f"warning: {text}")
    _warn_each(progress, [f"skipped {printable(str(r.path))}: {r.error}" for r in results if r.error],
               "files were skipped; the reports list them all")
    mode = "none" if args.out is None or run.stopped else ("move" if args.move else "copy")
    plan = plan_labeling(results, threshold=args.threshold, out_dir=args.out, mode=mode,
                         keep_structure=args.keep_structure, source_roots=args.sources,
                         on_clash="skip" if args.skip_existing else "rename", class_names=run.class_names)
    journal = None
    if mode != "none":
        with StopFlag() as stop:
            journal = apply_plan(plan, on_event=events, should_stop=stop)
        for line in journal.recovered:
            progress.say(f"note: {line}")
        _warn_each(progress, [f"{printable(str(e.source))}: {e.note}" for e in plan.entries if e.clash == "link"],
                   "files were not moved; the reports list them all")
        _warn_each(progress, [f"{printable(str(path))}: {why}" for path, why in journal.failed],
                   "files failed; the journal lists them all")
    meta = {"classes": run.class_names, "adapter": str(args.adapter) if args.adapter else None,
            "stopped": run.stopped, "journal": str(journal.path) if journal and journal.path else None}
    if args.ray is not None:
        meta["ray"] = {"address": args.ray.strip(), "send_bytes": args.ray_send_bytes,
                       **{k: int(run.stats[k]) for k in ("nodes", "workers") if k in run.stats}}
    if args.csv:
        report_backup(args.csv, progress)
        write_csv(args.csv, results, plan)
        progress.say(f"wrote {len(results)} rows to {args.csv}")
    if args.json:
        report_backup(args.json, progress)
        write_json(args.json, results, plan, meta)
        progress.say(f"wrote {args.json}")
    summary = {"images": len(run), "labeled": sum(r.error is None for r in results), "errors": plan.n_errors,
               "counts": plan.counts, "renamed": plan.n_renamed, "skipped": plan.n_skipped,
               "from_cache": run.from_cache, "seconds": round(run.seconds, 2), **meta}
    if journal is not None:
        summary.update({"written": journal.done, "failed": len(journal.failed), "mode": mode,
                        "not_moved_links": plan.n_links})
    print(json.dumps(summary))
    if run.stopped:
        print(f"stopped after {run.n_done} of {len(run)} images; no files were copied or moved. "
              "Run the same command again to resume (labeled images are cached).", file=sys.stderr)
        return 130
    if journal is not None and journal.stopped:
        print(f"stopped after {journal.done} files; undo with: rmadapter label --undo {journal.path}",
              file=sys.stderr)
        return 130
    if journal is not None and journal.path and mode == "move":
        progress.say(f"to undo: rmadapter label --undo {journal.path}")
    if journal is not None and journal.failed:
        print(f"error: {len(journal.failed)} of {journal.done + len(journal.failed)} files could not be "
              f"{'moved' if mode == 'move' else 'copied'} (see the warnings above)", file=sys.stderr)
        return 1
    return 0 if summary["labeled"] else 1
