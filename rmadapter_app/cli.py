"""Command line: ``rmadapter train|classify|info|download|import-weights`` over the Qt-free core.

Progress goes to stderr, results to stdout or files; failures exit non-zero with one line.
Ctrl-C during training stops after the current step and still saves the partial adapter.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from . import __version__

logger = logging.getLogger("rmadapter")


class _Progress:
    """Turns core events into short stderr lines (at most a few per second)."""

    def __init__(self, quiet: bool = False):
        self.quiet = quiet
        self.last = 0.0

    def _say(self, text: str) -> None:
        if not self.quiet:
            print(text, file=sys.stderr, flush=True)

    def __call__(self, ev: Any) -> None:
        from .core import events as E

        now = time.monotonic()
        if isinstance(ev, E.StepEvent):
            if now - self.last >= 1.0 or ev.step == ev.total_steps:
                self.last = now
                losses = " ".join(f"{k}={v:.4f}" for k, v in ev.losses.items())
                fold = f"fold {ev.fold + 1} " if ev.fold is not None else ""
                self._say(f"{fold}step {ev.step}/{ev.total_steps} epoch {ev.epoch} lr={ev.lr:.2e} {losses}")
        elif isinstance(ev, E.EpochEvent):
            val = f" val_acc={ev.val_accuracy:.3f}" if ev.val_accuracy is not None else ""
            self._say(f"epoch {ev.epoch}/{ev.epochs} train_acc={ev.train_accuracy:.3f}{val}")
        elif isinstance(ev, E.ZeroShotEvent):
            self._say(f"zero-shot CLIP accuracy before training: {ev.accuracy:.3f} on {ev.n_images} images")
        elif isinstance(ev, E.FoldEvent):
            self._say(f"fold {ev.fold}/{ev.folds}: accuracy {ev.accuracy:.3f} on {ev.n_images} held-out images")
        elif isinstance(ev, E.DeviceEvent):
            self._say(f"device: {ev.description}" + (f" (warning: {ev.warning})" if ev.warning else ""))
        elif isinstance(ev, E.DownloadEvent):
            if now - self.last >= 1.0 or ev.done_bytes == ev.total_bytes:
                self.last = now
                total = f"/{ev.total_bytes / 1e6:.1f}" if ev.total_bytes else ""
                self._say(f"downloading {ev.filename}: {ev.done_bytes / 1e6:.1f}{total} MB")
        elif isinstance(ev, E.ProgressEvent):
            if now - self.last >= 1.0 or ev.done == ev.total:
                self.last = now
                self._say(f"{ev.phase}: {ev.done}/{ev.total}")
        elif isinstance(ev, E.StatusEvent):
            self._say(("warning: " if ev.level == "warning" else "") + ev.text)


class _StopFlag:
    """First Ctrl-C asks the job to stop cleanly; a second one interrupts."""

    def __init__(self):
        self.event = threading.Event()
        self._old = None

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            self._old = signal.signal(signal.SIGINT, self._handle)
        return self

    def _handle(self, *_):
        if self.event.is_set():
            raise KeyboardInterrupt
        print("stopping after the current step (Ctrl-C again to abort)", file=sys.stderr, flush=True)
        self.event.set()

    def __exit__(self, *exc):
        if self._old is not None:
            signal.signal(signal.SIGINT, self._old)

    def __call__(self) -> bool:
        return self.event.is_set()


def _add_backbone_args(p: argparse.ArgumentParser, default_model: str | None) -> None:
    p.add_argument("--model", default=default_model,
                   help="open_clip architecture, e.g. ViT-B-16, ViT-B-32, ViT-L-14")
    p.add_argument("--pretrained", default=None, help="open_clip pretrained tag (default: openai)")
    p.add_argument("--weights", type=Path, help="local checkpoint (.safetensors or PyTorch state dict)")
    p.add_argument("--model-config", type=Path, help="local open_clip model config JSON (offline)")
    p.add_argument("--device", default="auto", help="auto, cpu, cuda, cuda:N or mps")


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rmadapter", description="RMAdapter Studio: few-shot CLIP classifiers.")
    parser.add_argument("--version", action="version", version=f"rmadapter {__version__}")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    sub = parser.add_subparsers(dest="command", required=True)

    t = sub.add_parser("train", help="train an adapter on a folder with one subfolder per class")
    t.add_argument("data_dir", type=Path)
    t.add_argument("--out", type=Path, required=True, help="adapter file to write (.rmadapter.safetensors)")
    _add_backbone_args(t, None)
    t.add_argument("--epochs", type=int)
    t.add_argument("--shots", type=int, help="images per class to train on (default: all)")
    t.add_argument("--seed", type=int, default=1)
    t.add_argument("--lr", type=float)
    t.add_argument("--batch-size", type=int)
    t.add_argument("--method", default="rmadapter",
                   help="loss ladder: mma, mma+con, mma+con+trec, mma+con+vrec, rmadapter")
    t.add_argument("--recon-weight", type=float, metavar="W",
                   help="reconstruction loss weight, image and text (lambda1 = lambda2; default 0.1)")
    t.add_argument("--consistency-weights", type=float, nargs=2, metavar=("IMAGE", "TEXT"),
                   help="consistency loss weights (default 10 25)")
    t.add_argument("--template", default="a photo of a {}.", help="prompt template with {} for the class name")
    t.add_argument("--augment", action="store_true", help="random-resized-crop and flip")
    t.add_argument("--no-cache", action="store_true", help="recompute the frozen layers every step (slower)")
    t.add_argument("--validation", default="auto", choices=["auto", "holdout", "kfold", "none"])

    c = sub.add_parser("classify", help="classify images or folders with an adapter (or class names alone)")
    c.add_argument("paths", nargs="+", type=Path)
    c.add_argument("--adapter", type=Path, help="adapter file")
    c.add_argument("--class", dest="classes", action="append", default=[],
                   help="zero-shot class name (repeatable), used when no --adapter is given")
    c.add_argument("--extra-class", action="append", default=[], help="add a class by name (repeatable)")
    c.add_argument("--csv", type=Path, help="write results to this CSV file")
    c.add_argument("--top-k", type=int, default=3)
    c.add_argument("--batch-size", type=int, default=32)
    c.add_argument("--no-recursive", action="store_true", help="do not descend into subfolders")
    _add_backbone_args(c, None)

    i = sub.add_parser("info", help="show an adapter file's header")
    i.add_argument("file", type=Path)
    i.add_argument("--json", action="store_true", help="print the header as JSON")

    d = sub.add_parser("download", help="download open_clip pretrained weights into the app cache")
    d.add_argument("--model", default="ViT-B-16")
    d.add_argument("--pretrained", default="openai")

    w = sub.add_parser("import-weights", help="copy a local checkpoint into the app cache (offline)")
    w.add_argument("file", type=Path)
    w.add_argument("--model", required=True)
    w.add_argument("--pretrained", default="imported", help="tag to file it under (e.g. openai)")

    try:
        from .cli_label import add_parser as add_label_parser
    except ImportError:
        add_label_parser = None
    if add_label_parser is not None:
        add_label_parser(sub, _add_backbone_args)
    return parser


def _load_backbone(args, on_event, should_stop, default_model: str = "ViT-B-16", default_tag: str | None = "openai"):
    from .core.backbone import load_backbone
    from .core.device import resolve_device

    dev = resolve_device(args.device)
    model = args.model or default_model
    pretrained = args.pretrained
    if pretrained is None and args.weights is None and args.model_config is None:
        pretrained = default_tag
    if args.weights is None and pretrained is None:
        logger.warning("no pretrained weights given: the backbone is randomly initialised")
        on_event_warning = getattr(on_event, "_say", None)
        if on_event_warning:
            on_event_warning("warning: no weights given, using a randomly initialised backbone")
    return load_backbone(model, pretrained=pretrained, weights=args.weights, model_config=args.model_config,
                         device=dev.device, on_event=on_event, should_stop=should_stop)


def _loss_weights(args):
    """The LossConfig the weight flags ask for (the --method switches are applied on top)."""
    from dataclasses import replace

    from .core.config import LossConfig

    loss = LossConfig()
    if args.recon_weight is not None:
        loss = replace(loss, recon_visual=args.recon_weight, recon_text=args.recon_weight)
    if args.consistency_weights is not None:
        loss = replace(loss, consistency_image=args.consistency_weights[0],
                       consistency_text=args.consistency_weights[1])
    return loss


def make_classifier(args, on_event, stop):
    """The classifier the classify and label commands use: --adapter FILE, or --class names (zero-shot)."""
    from .core.inference import Classifier

    if args.adapter:
        return Classifier.from_file(args.adapter, extra_classes=args.extra_class, device=args.device,
                                    weights=args.weights, model_config=args.model_config,
                                    on_event=on_event, should_stop=stop)
    names = list(dict.fromkeys(args.classes + args.extra_class))
    if len(names) < 2:
        raise SystemExit("error: give --adapter FILE, or at least two class names with --class")
    return Classifier(_load_backbone(args, on_event, stop), None, names)


def _check_train_out(out: Path) -> None:
    """Refuse a --out that would lose a user file or that cannot be written, before any training."""
    import tempfile

    from .core.adapter_file import read_adapter_header
    from .core.errors import AdapterFileError

    if out.is_dir():
        raise SystemExit(f"error: --out {out} is a folder; give a file name, e.g. {out / 'model.rmadapter.safetensors'}")
    if out.exists():
        try:
            read_adapter_header(out)
        except AdapterFileError:
            raise SystemExit(f"error: --out {out} already exists and is not an adapter file; "
                             "it was left as it is. Choose another --out.") from None
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".rmadapter-probe-", dir=out.parent)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise SystemExit(f"error: cannot write into {out.parent}: {exc.strerror or exc}. "
                         "Choose a writable --out; nothing was trained.") from None


def report_backup(path: Path | None, progress, suffix: str | None = None) -> None:
    """Keep a file the command is about to replace (``<name>-previous``), and say where it went."""
    from .core.fileio import keep_previous

    backup = keep_previous(path, suffix) if path is not None else None
    if backup is not None:
        print(f"the previous {Path(path).name} was kept as {backup}", file=sys.stderr)


def _cmd_train(args, progress) -> int:
    from dataclasses import replace

    from .core.adapter_file import SUFFIX, save_adapter
    from .core.config import TrainConfig, ladder_loss
    from .core.data import scan_class_folders
    from .core.training import train

    _check_train_out(args.out)
    data = scan_class_folders(args.data_dir)
    for prob in data.problems:
        progress._say(f"warning: skipped {prob.path}: {prob.reason}")
    cfg = TrainConfig(epochs=args.epochs, shots=args.shots, seed=args.seed, device=args.device,
                      augment=args.augment, cache=not args.no_cache, validation=args.validation,
                      loss=ladder_loss(args.method, _loss_weights(args)))
    if args.lr:
        cfg = replace(cfg, lr=args.lr)
    if args.batch_size:
        cfg = replace(cfg, batch_size=args.batch_size)
    with _StopFlag() as stop:
        backbone = _load_backbone(args, progress, stop)
        result = train(backbone, data.samples, data.class_names, template=args.template, config=cfg,
                       on_event=progress, should_stop=stop)
    out = args.out
    report_backup(out, progress, SUFFIX)
    save_adapter(out, state=result.adapter_state, adapter_config=result.adapter_config, backbone=backbone.info,
                 class_names=result.class_names, prompts=result.prompts,
                 train={"config": cfg.to_dict(), "metrics": result.metrics, "template": args.template,
                        "method": args.method, "stopped_early": result.stopped_early})
    m = result.metrics
    summary = {"adapter": str(out), "classes": len(result.class_names), "images": m["n_images"],
               "validation": m["validation"], "zero_shot_accuracy": m["zero_shot_accuracy"],
               "val_accuracy": m["val_accuracy"], "steps": m["steps"], "seconds": m["train_seconds"],
               "stopped_early": result.stopped_early}
    print(json.dumps(summary))
    return 0


def _cmd_classify(args, progress) -> int:
    from .core.fileio import printable
    from .core.images import iter_image_files

    problems = []
    files = list(iter_image_files(args.paths, recursive=not args.no_recursive, problems=problems))
    for prob in problems:
        progress._say(f"warning: {prob.path}: {prob.reason}")
    if not files:
        raise SystemExit("error: no image files found in the given paths")
    with _StopFlag() as stop:
        with make_classifier(args, progress, stop) as clf:
            preds = clf.classify_paths(files, batch_size=args.batch_size, top_k=args.top_k,
                                       on_event=progress, should_stop=stop)
    rows = []
    for p in preds:
        rows.append({"path": str(p.path), "label": p.label or "", "confidence": f"{p.confidence:.4f}",
                     "top_k": "; ".join(f"{n}:{v:.4f}" for n, v in p.top), "error": p.error or ""})
    if args.csv:
        from .core.fileio import write_csv

        report_backup(args.csv, progress)
        write_csv(args.csv, ["path", "label", "confidence", "top_k", "error"], rows)
        progress._say(f"wrote {len(rows)} rows to {args.csv}")
    else:
        for r in rows:
            print("\t".join([printable(r["path"]), r["label"] or "ERROR", r["confidence"], r["error"] or r["top_k"]]))
    return 0 if any(not p.error for p in preds) else 1


def _cmd_info(args, progress) -> int:
    from .core.adapter_file import read_adapter_header

    h = read_adapter_header(args.file)
    if args.json:
        print(json.dumps({"format_version": h.format_version, "backbone": h.backbone.to_dict(),
                          "adapter_config": h.adapter_config.to_dict(), "classes": h.class_names,
                          "prompts": h.prompts, "train": h.train, "app_version": h.app_version,
                          "created": h.created}, indent=2))
        return 0
    m = h.metrics
    print(f"file:        {args.file} ({args.file.stat().st_size / 1024:.0f} KB)")
    print(f"backbone:    {h.backbone.label}")
    print(f"classes:     {len(h.class_names)}: {', '.join(h.class_names)}")
    print(f"layers:      vision {list(h.adapter_config.vision_layers)}, text {list(h.adapter_config.text_layers)}, "
          f"bottleneck {h.adapter_config.bottleneck}")
    if m:
        zs, va = m.get("zero_shot_accuracy"), m.get("val_accuracy")
        print(f"validation:  {m.get('validation_reason', m.get('validation'))}")
        if zs is not None and va is not None:
            print(f"accuracy:    {va:.3f} (zero-shot CLIP {zs:.3f})")
    print(f"created:     {h.created} by RMAdapter Studio {h.app_version}")
    return 0


def _cmd_download(args, progress) -> int:
    from .core.weights import ensure_pretrained

    with _StopFlag() as stop:
        path = ensure_pretrained(args.model, args.pretrained, on_event=progress, should_stop=stop)
    print(path)
    return 0


def _cmd_import(args, progress) -> int:
    from .core.weights import import_weights

    print(import_weights(args.file, args.model, args.pretrained))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``rmadapter`` command. Returns the exit status."""
    parser = _build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s: %(message)s")
    progress = _Progress(args.quiet)
    handlers = {"train": _cmd_train, "classify": _cmd_classify, "info": _cmd_info,
                "download": _cmd_download, "import-weights": _cmd_import}
    if args.command not in handlers and hasattr(args, "handler"):
        handlers[args.command] = args.handler
    from .core.errors import CancelledError, RMAdapterError

    try:
        return handlers[args.command](args, progress)
    except CancelledError as exc:
        print(f"cancelled: {exc}", file=sys.stderr)
        return 130
    except (RMAdapterError, ValueError, OSError) as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"error: {message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
