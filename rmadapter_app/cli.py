"""Command line: ``rmadapter train|classify|info|download|import-weights`` over the Qt-free core.

Progress goes to stderr, results to stdout or files; failures exit non-zero with one line.
Ctrl-C during training stops after the current step and still saves the partial adapter.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from rmadapter_app import __version__
from rmadapter_app.cli_common import (
    Progress,
    StopFlag,
    add_backbone_args,
    load_backbone,
    make_classifier,
    report_backup,
)
from rmadapter_app.cli_label import add_parser as add_label_parser

logger = logging.getLogger("rmadapter")


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rmadapter", description="RMAdapter Studio: few-shot CLIP classifiers.")
    parser.add_argument("--version", action="version", version=f"rmadapter {__version__}")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    sub = parser.add_subparsers(dest="command", required=True)

    t = sub.add_parser("train", help="train an adapter on a folder with one subfolder per class")
    t.add_argument("data_dir", type=Path)
    t.add_argument("--out", type=Path, required=True, help="adapter file to write (.rmadapter.safetensors)")
    add_backbone_args(t, None)
    t.add_argument("--epochs", type=int, help="passes over the images (default: 5, as MMA)")
    t.add_argument("--shots", type=int, help="images per class to train on (default: all)")
    t.add_argument("--seed", type=int, default=1)
    t.add_argument("--lr", type=float, help="learning rate (default: automatic for this backbone; the one used "
                                            "is printed and saved in the adapter file)")
    t.add_argument("--batch-size", type=int)
    t.add_argument("--method", default="rmadapter",
                   help="loss ladder: mma, mma+con, mma+con+trec, mma+con+vrec, rmadapter")
    t.add_argument("--recon-weight", type=float, metavar="W",
                   help="reconstruction loss weight, image and text (lambda1 = lambda2), relative to the "
                        "cross-entropy's gradient at the start (default 0.3)")
    t.add_argument("--consistency-weights", type=float, nargs=2, metavar=("IMAGE", "TEXT"),
                   help="consistency loss weights, relative to the cross-entropy's gradient at the start "
                        "(default 0.3 0.3)")
    t.add_argument("--template", default="a photo of a {}.", help="prompt template with {} for the class name")
    t.add_argument("--augment", dest="augment", action="store_true", default=True,
                   help="random-resized-crop and flip, a different view every epoch (the default)")
    t.add_argument("--no-augment", dest="augment", action="store_false", help="train on the plain images")
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
    add_backbone_args(c, None)

    i = sub.add_parser("info", help="show an adapter file's header")
    i.add_argument("file", type=Path)
    i.add_argument("--json", action="store_true", help="print the header as JSON")

    d = sub.add_parser("download", help="download open_clip pretrained weights into the Hugging Face hub cache "
                                         "(HF_HUB_CACHE / HF_HOME, shared with other tools)")
    d.add_argument("--model", default="ViT-B-16")
    d.add_argument("--pretrained", default="openai")

    w = sub.add_parser("import-weights", help="copy a local checkpoint into the app cache (offline)")
    w.add_argument("file", type=Path)
    w.add_argument("--model", required=True)
    w.add_argument("--pretrained", default="imported", help="tag to file it under (e.g. openai)")

    add_label_parser(sub, add_backbone_args)
    return parser


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


def _check_train_out(out: Path) -> None:
    """Refuse a --out that would lose a user file or that cannot be written, before any training."""
    import tempfile

    from .core.errors import AdapterFileError
    from .core.model.adapter_file import read_adapter_header

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


def _default_train_model(args, progress) -> None:
    """Without --model (and without local files), pick the backbone for this machine and say why."""
    from .core.device import resolve_device
    from .core.model.spec import default_model_for, default_model_reason

    if args.model or args.weights or args.model_config:
        return
    kind = resolve_device(args.device).kind
    args.model = default_model_for(kind)
    progress.say(f"backbone: {args.model}. {default_model_reason(kind)} (--model to choose another)")


def _save_trained(out: Path, result, backbone_info, cfg, args) -> None:
    from .core.model.adapter_file import save_adapter

    save_adapter(out, state=result.adapter_state, adapter_config=result.adapter_config, backbone=backbone_info,
                 class_names=result.class_names, prompts=result.prompts,
                 train={"config": cfg.to_dict(), "metrics": result.metrics, "template": args.template,
                        "method": args.method, "stopped_early": result.stopped_early})


def _summary(out: Path, result) -> dict:
    r = result.report
    verdict = r.verdict
    return {"adapter": str(out), "classes": len(result.class_names), "images": r.n_images,
            "validation": r.validation, "zero_shot_accuracy": r.zero_shot_accuracy,
            "val_accuracy": r.val_accuracy, "fold_accuracy_mean": r.fold_mean, "fold_accuracy_spread": r.fold_spread,
            "zero_shot_fold_mean": r.zero_shot_fold_mean, "zero_shot_fold_spread": r.zero_shot_fold_spread,
            "changed_predictions": r.changed_predictions, "lr": r.lr, "lr_auto": r.lr_auto, "epochs": r.epochs,
            "steps": r.steps, "seconds": r.train_seconds, "stopped_early": result.stopped_early,
            "helped": verdict.helped if verdict else None, "verdict": verdict.summary if verdict else None,
            "advice": list(verdict.advice) if verdict else []}


def _cmd_train(args, progress) -> int:
    from dataclasses import replace

    from rmadapter_app.core.config import TrainConfig, ladder_loss
    from rmadapter_app.core.model.adapter_file import SUFFIX
    from rmadapter_app.core.train.data import scan_class_folders
    from rmadapter_app.core.train.loop import AdapterReadyEvent, LearningRateEvent, train

    _check_train_out(args.out)
    data = scan_class_folders(args.data_dir)
    for prob in data.problems:
        progress.say(f"warning: skipped {prob.path}: {prob.reason}")
    cfg = TrainConfig(epochs=args.epochs, shots=args.shots, seed=args.seed, device=args.device,
                      augment=args.augment, cache=not args.no_cache, validation=args.validation,
                      loss=ladder_loss(args.method, _loss_weights(args)), lr=args.lr or None)
    if args.batch_size:
        cfg = replace(cfg, batch_size=args.batch_size)
    out = args.out
    saved = []

    with StopFlag() as stop:
        _default_train_model(args, progress)
        backbone = load_backbone(args, progress, stop)

        def on_event(ev) -> None:
            if isinstance(ev, LearningRateEvent):
                how = "chosen automatically for this backbone" if ev.auto else "set with --lr"
                progress.say(f"learning rate: {ev.lr:.3g} ({how})")
            elif isinstance(ev, AdapterReadyEvent):
                if not saved:                        # save once now; the finished estimate rewrites the header
                    report_backup(out, progress, SUFFIX)
                _save_trained(out, ev.result, backbone.info, cfg, args)
                saved.append(out)
                if ev.result.report.evaluation == "pending":
                    progress.say(f"adapter saved to {out}; now estimating its accuracy by cross-validation "
                                 "(Ctrl-C stops the estimate and keeps the adapter)")
            progress(ev)

        result = train(backbone, data.samples, data.class_names, template=args.template, config=cfg,
                       on_event=on_event, should_stop=stop)
    if not saved:
        report_backup(out, progress, SUFFIX)
    _save_trained(out, result, backbone.info, cfg, args)
    verdict = result.report.verdict
    if verdict is not None:
        progress.say(verdict.summary)
        for tip in verdict.advice:
            progress.say(f"  - {tip}")
    print(json.dumps(_summary(out, result)))
    return 0


def _cmd_classify(args, progress) -> int:
    from .core.fileio import printable
    from .core.images import iter_image_files

    problems = []
    files = list(iter_image_files(args.paths, recursive=not args.no_recursive, problems=problems))
    for prob in problems:
        progress.say(f"warning: {prob.path}: {prob.reason}")
    if not files:
        raise SystemExit("error: no image files found in the given paths")
    with StopFlag() as stop:
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
        progress.say(f"wrote {len(rows)} rows to {args.csv}")
    else:
        for r in rows:
            print("\t".join([printable(r["path"]), r["label"] or "ERROR", r["confidence"], r["error"] or r["top_k"]]))
    return 0 if any(not p.error for p in preds) else 1


def _cmd_info(args, progress) -> int:
    from .core.model.adapter_file import read_adapter_header

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
    from rmadapter_app.core.model.weights import ensure_pretrained

    with StopFlag() as stop:
        path = ensure_pretrained(args.model, args.pretrained, on_event=progress, should_stop=stop)
    print(path)
    return 0


def _cmd_import(args, progress) -> int:
    from rmadapter_app.core.model.backbone import import_weights

    print(import_weights(args.file, args.model, args.pretrained))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``rmadapter`` command. Returns the exit status."""
    parser = _build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s: %(message)s")
    progress = Progress(args.quiet)
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
