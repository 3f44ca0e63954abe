"""Training RMAdapter: ``train(...)`` with ``on_event`` / ``should_stop`` hooks, no printing, no files.

Flow: pick the device, drop unreadable images (reported), choose a validation scheme, cache the
frozen prefix and frozen features once, report frozen CLIP's zero-shot accuracy on the
validation images, then SGD on the adapter parameters only (MMA's recipe) with the RMAdapter
losses. Few-shot data without room for a holdout split is cross-validated (k-fold or
leave-one-out) and the final adapter is trained on every image. A stop request ends the run
within one step and still returns the adapter trained so far.
"""
from __future__ import annotations

import math
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from rmadapter_app.core.model.backbone import Backbone
from rmadapter_app.core.naming import DEFAULT_TEMPLATE
from rmadapter_app.core.config import AdapterConfig, TrainConfig
from rmadapter_app.core.train.data import Sample, make_split, take_shots
from rmadapter_app.core.device import DeviceInfo, resolve_device
from rmadapter_app.core.model.encoders import AdaptedCLIP
from rmadapter_app.core.errors import CancelledError, DatasetError
from rmadapter_app.core.events import (DeviceEvent, EpochEvent, EventHook, FoldEvent, StatusEvent, StepEvent, StopHook,
                     ZeroShotEvent, never_stop, no_event)
from rmadapter_app.core.train.feature_cache import ImageCache, TextCache, encode_image_cache, encode_text_cache, load_readable
from rmadapter_app.core.images import Problem, load_rgb
from rmadapter_app.core.model.inject import attach
from rmadapter_app.core.train.losses import rmadapter_losses
from rmadapter_app.core.train.metrics import classification_report

MAX_AUTO_EPOCHS = 200


@dataclass
class TrainResult:
    """What a training run produced; ``stopped_early`` runs still carry their partial adapter."""

    adapter_state: dict[str, torch.Tensor]   # inference tensors (CPU), keys as in AdapterSet
    adapter_config: AdapterConfig            # resolved layers
    train_config: TrainConfig
    class_names: list[str]
    prompts: list[str]
    metrics: dict[str, Any]
    history: list[dict[str, Any]] = field(default_factory=list)
    epochs: list[dict[str, Any]] = field(default_factory=list)
    val_predictions: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    stopped_early: bool = False


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed % 2 ** 32)
    torch.manual_seed(seed)


def auto_epochs(cfg: TrainConfig, n_train: int) -> int:
    """MMA's 5 epochs, raised until at least ``min_steps`` optimisation steps run."""
    if cfg.epochs:
        return cfg.epochs
    steps_per_epoch = max(1, math.ceil(n_train / cfg.batch_size))
    return min(MAX_AUTO_EPOCHS, max(5, math.ceil(cfg.min_steps / steps_per_epoch)))


class _Run:
    """State shared by the folds of one ``train`` call."""

    def __init__(self, backbone: Backbone, adapter_cfg: AdapterConfig, cfg: TrainConfig, dev: DeviceInfo,
                 paths: list[Path], labels: torch.Tensor, prompts: list[str], text: TextCache,
                 images: ImageCache, on_event: EventHook, should_stop: StopHook):
        self.backbone, self.adapter_cfg, self.cfg, self.dev = backbone, adapter_cfg, cfg, dev
        self.paths, self.labels, self.prompts = paths, labels, prompts
        self.text, self.images = text, images
        self.on_event, self.should_stop = on_event, should_stop
        self.t0 = time.perf_counter()
        self.pil_cache: dict[int, Any] = {}
        self.fit_index, self.n_fits = 0, 1            # reported in StepEvents for a whole-run ETA

    # ---------------------------------------------------------------- one forward/backward
    def _batch_inputs(self, model: AdaptedCLIP, idx: torch.Tensor, gen: torch.Generator):
        """Adapted and frozen features of a batch, cached or computed from pixels."""
        cfg, loss_cfg = self.cfg, self.cfg.loss
        if cfg.cache:
            n_views = self.images.tokens.shape[1]
            if cfg.augment and n_views > 1:
                view = torch.randint(1, n_views, (len(idx),), generator=gen)
            else:
                view = torch.zeros(len(idx), dtype=torch.long)
            idx_d, view_d = idx.to(self.images.tokens.device), view.to(self.images.tokens.device)
            tokens = self.images.tokens[idx_d, view_d].float()
            frozen_img = self.images.frozen[idx_d, view_d]
            text_prefix, text_tokens = self.text.prefix, self.text.tokens
        else:
            pix = self._pixels(idx)
            tokens = model.image_prefix(pix)
            frozen_img = model.encode_image(pix, adapted=False)
            text_tokens = model.tokenize(self.prompts, truncate=False)
            text_prefix = model.text_prefix(text_tokens)
        w_a, rec_t = model.text_suffix(text_prefix, text_tokens, recon=loss_cfg.use_recon_text)
        x_a, rec_v = model.image_suffix(tokens, recon=loss_cfg.use_recon_visual)
        return x_a, frozen_img, w_a, rec_v, rec_t

    def _pixels(self, idx: torch.Tensor) -> torch.Tensor:
        tf = self.backbone.train_preprocess if self.cfg.augment else self.backbone.preprocess
        ims = []
        for i in idx.tolist():
            if i not in self.pil_cache:
                self.pil_cache[i] = load_rgb(self.paths[i])
            ims.append(tf(self.pil_cache[i]))
        return torch.stack(ims).to(self.backbone.device)

    # ---------------------------------------------------------------- evaluation
    @torch.no_grad()
    def predict(self, model: AdaptedCLIP, idx: Sequence[int], adapted: bool = True) -> torch.Tensor:
        """Class probabilities [n, C] for cached images (plain view), adapters on or off."""
        if len(idx) == 0:
            return torch.zeros(0, len(self.prompts))
        with self._autocast():
            if adapted:
                txt, _ = model.text_suffix(self.text.prefix, self.text.tokens)
            else:
                txt = self.text.frozen
            idx_t = torch.as_tensor(list(idx), device=self.images.tokens.device)
            probs = []
            for chunk in idx_t.split(64):
                if adapted:
                    img, _ = model.image_suffix(self.images.tokens[chunk, 0].float())
                else:
                    img = self.images.frozen[chunk, 0]
                probs.append(model.logits(img, txt).float().softmax(-1).cpu())   # fp32 under autocast too
        return torch.cat(probs)

    def _autocast(self):
        return torch.autocast(self.dev.device.type, dtype=self.dev.amp_dtype,
                              enabled=self.dev.amp_dtype is not None)

    # ---------------------------------------------------------------- one fit
    def fit(self, train_idx: list[int], val_idx: list[int], fold: int | None) -> dict[str, Any]:
        cfg = self.cfg
        seed_everything(cfg.seed + (0 if fold is None else 1000 * (fold + 1)))
        handle = attach(self.backbone, self.adapter_cfg)
        model = AdaptedCLIP(self.backbone, handle)
        try:
            return self._fit_loop(model, handle, train_idx, val_idx, fold)
        finally:
            handle.detach()

    def _fit_loop(self, model, handle, train_idx, val_idx, fold):
        cfg = self.cfg
        params = [p for p in handle.adapters.parameters() if p.requires_grad]
        opt = torch.optim.SGD(params, lr=cfg.lr, momentum=cfg.momentum, weight_decay=cfg.weight_decay)
        steps_per_epoch = max(1, math.ceil(len(train_idx) / cfg.batch_size))
        epochs = auto_epochs(cfg, len(train_idx))
        total = epochs * steps_per_epoch
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: 0.5 * (1 + math.cos(math.pi * s / total)))
        scaler = torch.amp.GradScaler("cuda") if self.dev.amp_dtype == torch.float16 else None
        gen = torch.Generator().manual_seed(cfg.seed + (0 if fold is None else fold + 1))
        train_t = torch.as_tensor(train_idx, dtype=torch.long)
        history, epoch_log, step, stopped = [], [], 0, False
        for epoch in range(1, epochs + 1):
            perm = train_t[torch.randperm(len(train_t), generator=gen)]
            correct = seen = 0
            for idx in perm.split(cfg.batch_size):
                if self.should_stop():
                    stopped = True
                    break
                with self._autocast():
                    x_a, x_f, w_a, rec_v, rec_t = self._batch_inputs(model, idx, gen)
                    logits = model.logits(x_a, w_a)
                labels = self.labels[idx].to(logits.device)
                losses = rmadapter_losses(logits, labels, image_adapted=x_a, image_frozen=x_f,
                                          text_adapted=w_a, text_frozen=self.text.frozen,
                                          recon_visual=rec_v, recon_text=rec_t, cfg=cfg.loss)
                opt.zero_grad(set_to_none=True)
                if scaler is not None:
                    scaler.scale(losses["total"]).backward()
                    scaler.step(opt)
                    scaler.update()
                else:
                    losses["total"].backward()
                    opt.step()
                lr = opt.param_groups[0]["lr"]
                sched.step()
                step += 1
                correct += int((logits.argmax(-1) == labels).sum())
                seen += len(idx)
                values = {k: float(v.detach()) for k, v in losses.items()}
                if not math.isfinite(values["total"]):
                    raise DatasetError("Training diverged (the loss became NaN or infinite); "
                                       "lower the learning rate or the loss weights.")
                event = StepEvent(step, total, epoch, values, lr, fold, time.perf_counter() - self.t0,
                                  self.fit_index, self.n_fits)
                history.append({"step": step, "epoch": epoch, "fold": fold, "lr": lr, **values})
                self.on_event(event)
            if seen:
                val_acc = None
                if val_idx:
                    probs = self.predict(model, val_idx)
                    val_acc = float((probs.argmax(-1) == self.labels[val_idx]).float().mean())
                ev = EpochEvent(epoch, epochs, correct / seen, val_acc, fold)
                epoch_log.append({"epoch": epoch, "fold": fold, "train_accuracy": correct / seen,
                                  "val_accuracy": val_acc})
                self.on_event(ev)
            if stopped:
                break
        probs = self.predict(model, val_idx)
        return {"state": handle.adapters.inference_state_dict(), "history": history, "epochs": epoch_log,
                "probs": probs, "stopped": stopped, "steps": step, "planned_steps": total,
                "cfg": handle.adapters.cfg}


def train(backbone: Backbone, samples: Sequence[Sample], class_names: Sequence[str],
          prompts: Sequence[str] | None = None, *, adapter_config: AdapterConfig | None = None,
          config: TrainConfig | None = None, template: str = DEFAULT_TEMPLATE,
          on_event: EventHook | None = None, should_stop: StopHook | None = None) -> TrainResult:
    """Train an RMAdapter on labelled images.

    Args:
        backbone: frozen CLIP from :func:`rmadapter_app.core.model.backbone.load_backbone`.
        samples: (image path, class index) pairs; classes without images stay in the
            classifier, recognised from their names.
        class_names: names in label order.
        prompts: one prompt per class; default ``template.format(name)``.
        adapter_config, config: adapter shape and training recipe (defaults: the paper's).
        on_event: receives StatusEvent, DeviceEvent, ProgressEvent, ZeroShotEvent, StepEvent,
            EpochEvent, FoldEvent.
        should_stop: polled before every step and every caching batch.

    Returns:
        TrainResult; ``stopped_early`` when ``should_stop`` ended the run.

    Raises:
        DatasetError: no classes, or no readable image at all.
        CancelledError: stopped before any training step ran (nothing to keep).
    """
    on_event = on_event or no_event
    should_stop = should_stop or never_stop
    cfg = config or TrainConfig()
    adapter_cfg = (adapter_config or AdapterConfig()).resolve_layers(
        backbone.info.vision_layers, backbone.info.text_layers)
    class_names = list(class_names)
    prompts = list(prompts) if prompts is not None else [template.format(c) for c in class_names]
    if len(class_names) < 2 or len(prompts) != len(class_names):
        raise DatasetError("Training needs at least two classes, each with a prompt.")
    if any(not 0 <= y < len(class_names) for _, y in samples):
        raise DatasetError("A sample's label does not match any class.")

    dev = resolve_device(cfg.device, cfg.amp)
    backbone.to(dev.device)
    on_event(DeviceEvent(dev.description, dev.kind, dev.warning))
    seed_everything(cfg.seed)
    chosen = take_shots(samples, cfg.shots, cfg.seed)
    ok, skipped = load_readable([p for p, _ in chosen], on_event)
    chosen = [chosen[i] for i in ok]
    if not chosen:
        raise DatasetError("No readable images to train on. Add images, or use the class names "
                           "alone to classify zero-shot.")
    paths = [Path(p) for p, _ in chosen]
    labels = torch.as_tensor([y for _, y in chosen], dtype=torch.long)
    split = make_split(labels.tolist(), cfg.validation, cfg.val_fraction, cfg.folds, cfg.seed)
    on_event(StatusEvent(f"{len(paths)} images, {len(class_names)} classes; {split.reason}"))

    handle = attach(backbone, adapter_cfg)
    try:
        model = AdaptedCLIP(backbone, handle)
        on_event(StatusEvent("Caching frozen CLIP features"))
        with torch.autocast(dev.device.type, dtype=dev.amp_dtype, enabled=dev.amp_dtype is not None):
            text = encode_text_cache(model, prompts, truncate=cfg.cache)
        images = encode_image_cache(model, paths, preprocess=backbone.preprocess,
                                    train_preprocess=backbone.train_preprocess if (cfg.augment and cfg.cache) else None,
                                    aug_views=cfg.augment_views, on_event=on_event, should_stop=should_stop,
                                    amp_dtype=dev.amp_dtype)
    finally:
        handle.detach()
    run = _Run(backbone, adapter_cfg, cfg, dev, paths, labels, prompts, text, images, on_event, should_stop)

    val_all = sorted({i for _, val in split.folds for i in val})
    zs_probs = run.predict(model, val_all, adapted=False)
    zero_shot = float((zs_probs.argmax(-1) == labels[val_all]).float().mean()) if val_all else None
    if zero_shot is not None:
        on_event(ZeroShotEvent(zero_shot, len(val_all), split.scheme))

    fold_acc: list[float] = []
    val_probs = torch.zeros(len(paths), len(class_names))
    stopped = False
    if split.scheme == "kfold":
        # The final adapter (all images) is trained first so a stop during cross-validation
        # still leaves the user a complete adapter; the folds then estimate its accuracy.
        on_event(StatusEvent("Training the adapter on all images"))
        run.n_fits = 1 + len(split.folds)
        outcome = run.fit(list(range(len(paths))), [], fold=None)
        stopped = outcome["stopped"]
        for f, (tr, va) in enumerate(split.folds):
            if stopped:
                break
            on_event(StatusEvent(f"Estimating accuracy: cross-validation fold {f + 1} of {len(split.folds)}"))
            run.fit_index = f + 1
            out = run.fit(tr, va, fold=f)
            if out["stopped"]:
                stopped = True
                break
            val_probs[va] = out["probs"]
            acc = float((out["probs"].argmax(-1) == labels[va]).float().mean())
            fold_acc.append(acc)
            on_event(FoldEvent(f + 1, len(split.folds), acc, len(va)))
        evaluated = sorted(i for k, (_, va) in enumerate(split.folds) if k < len(fold_acc) for i in va)
    else:
        tr, va = split.folds[0]
        outcome = run.fit(tr, va, fold=None)
        val_probs[va] = outcome["probs"]
        stopped = outcome["stopped"]
        evaluated = va
    if outcome["steps"] == 0:
        raise CancelledError("Training was stopped before the first step; nothing to keep.")

    report = classification_report(val_probs[evaluated], labels[evaluated], class_names)
    metrics = {
        "validation": split.scheme, "validation_reason": split.reason,
        "zero_shot_accuracy": zero_shot, "val_accuracy": report["accuracy"] if evaluated else None,
        "fold_accuracies": fold_acc, "per_class_accuracy": report["per_class_accuracy"],
        "confusion": report["confusion"], "n_images": len(paths), "n_val": len(evaluated),
        "n_classes": len(class_names), "steps": outcome["steps"], "planned_steps": outcome["planned_steps"],
        "train_seconds": round(time.perf_counter() - run.t0, 2), "device": dev.description,
        "skipped": len(skipped),
    }
    preds = []
    for i in evaluated:
        p = val_probs[i]
        top = torch.topk(p, min(3, len(class_names)))
        preds.append({"path": str(paths[i]), "label": int(labels[i]), "pred": int(p.argmax()),
                      "top": [(int(c), float(v)) for v, c in zip(top.values, top.indices)]})
    return TrainResult(outcome["state"], outcome["cfg"], cfg, class_names, prompts, metrics,
                       outcome["history"], outcome["epochs"], preds, skipped, stopped)
