"""What the CLI's commands share: progress lines, Ctrl-C handling, backbone flags, the classifier, backups.

Imported by :mod:`cli` and :mod:`cli_label`; imports neither (no cycle).
"""
from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

logger = logging.getLogger("rmadapter")


class Progress:
    """Turns core events into short stderr lines (at most a few per second)."""

    def __init__(self, quiet: bool = False):
        self.quiet = quiet
        self.last = 0.0

    def say(self, text: str) -> None:
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
                self.say(f"{fold}step {ev.step}/{ev.total_steps} epoch {ev.epoch} lr={ev.lr:.2e} {losses}")
        elif isinstance(ev, E.EpochEvent):
            val = f" val_acc={ev.val_accuracy:.3f}" if ev.val_accuracy is not None else ""
            self.say(f"epoch {ev.epoch}/{ev.epochs} train_acc={ev.train_accuracy:.3f}{val}")
        elif isinstance(ev, E.ZeroShotEvent):
            self.say(f"zero-shot CLIP accuracy before training: {ev.accuracy:.3f} on {ev.n_images} images")
        elif isinstance(ev, E.FoldEvent):
            self.say(f"fold {ev.fold}/{ev.folds}: accuracy {ev.accuracy:.3f} on {ev.n_images} held-out images")
        elif isinstance(ev, E.DeviceEvent):
            self.say(f"device: {ev.description}" + (f" (warning: {ev.warning})" if ev.warning else ""))
        elif isinstance(ev, E.DownloadEvent):
            if now - self.last >= 1.0 or ev.done_bytes == ev.total_bytes:
                self.last = now
                total = f"/{ev.total_bytes / 1e6:.1f}" if ev.total_bytes else ""
                self.say(f"downloading {ev.filename}: {ev.done_bytes / 1e6:.1f}{total} MB")
        elif isinstance(ev, E.ProgressEvent):
            if now - self.last >= 1.0 or ev.done == ev.total:
                self.last = now
                self.say(f"{ev.phase}: {ev.done}/{ev.total}")
        elif isinstance(ev, E.StatusEvent):
            self.say(("warning: " if ev.level == "warning" else "") + ev.text)


class StopFlag:
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


def add_backbone_args(p: argparse.ArgumentParser, default_model: str | None) -> None:
    p.add_argument("--model", default=default_model,
                   help="open_clip architecture, e.g. ViT-B-16, ViT-B-32, ViT-L-14")
    p.add_argument("--pretrained", default=None, help="open_clip pretrained tag (default: openai)")
    p.add_argument("--weights", type=Path, help="local checkpoint (.safetensors or PyTorch state dict)")
    p.add_argument("--model-config", type=Path, help="local open_clip model config JSON (offline)")
    p.add_argument("--device", default="auto", help="auto, cpu, cuda, cuda:N or mps")
    p.add_argument("--random-weights", action="store_true",
                   help="train on a --model-config without weights: a randomly initialised CLIP, which learns "
                        "nothing useful from a few images (for tests and benchmarks only)")


def _warn_if_random(spec, on_event) -> None:
    if spec.is_random:
        logger.warning("no pretrained weights given: the backbone is randomly initialised")
        say = getattr(on_event, "say", None)
        if say:
            say("warning: no weights given, using a randomly initialised backbone")


def load_backbone(args, on_event, should_stop):
    """The backbone the ``--model/--pretrained/--weights/--model-config/--device`` flags name."""
    from .core.device import resolve_device
    from .core.model.cache import load_spec
    from .core.model.spec import BackboneSpec

    spec = BackboneSpec.from_cli_args(args)
    if spec.is_random and not getattr(args, "random_weights", False):
        raise SystemExit("error: no weights given: training would start from a randomly initialised CLIP and learn "
                         "nothing useful. Give --pretrained TAG or --weights FILE (with --model-config for your own "
                         "architecture), or add --random-weights if a random model is really meant")
    _warn_if_random(spec, on_event)
    return load_spec(spec, device=resolve_device(args.device).device, on_event=on_event, should_stop=should_stop)


def make_classifier(args, on_event, stop):
    """The classifier the classify and label commands use: --adapter FILE, or --class names (zero-shot)."""
    from .core.classifier import Classifier
    from .core.model.adapter_file import read_adapter_header
    from .core.model.spec import BackboneSpec

    if args.adapter:
        spec = BackboneSpec.from_cli_args(args, read_adapter_header(args.adapter))
        return Classifier.from_adapter_file(args.adapter, spec, extra_classes=args.extra_class, device=args.device,
                                            on_event=on_event, should_stop=stop)
    names = list(dict.fromkeys(args.classes + args.extra_class))
    if len(names) < 2:
        raise SystemExit("error: give --adapter FILE, or at least two class names with --class")
    spec = BackboneSpec.from_cli_args(args)
    _warn_if_random(spec, on_event)
    return Classifier.zero_shot(spec, names, device=args.device, on_event=on_event, should_stop=stop)


def report_backup(path: Path | None, progress, suffix: str | None = None) -> None:
    """Keep a file the command is about to replace (``<name>-previous``), and say where it went."""
    from .core.fileio import keep_previous

    backup = keep_previous(path, suffix) if path is not None else None
    if backup is not None:
        print(f"the previous {Path(path).name} was kept as {backup}", file=sys.stderr)
