"""Training stages 3-4: one seeded fit of the adapters (:class:`Fitter`), and the fits a split asks for.

MMA's recipe: SGD on the adapter parameters only, a cosine schedule stepped per step, mixed
precision where the device supports it (a grad scaler for fp16). A step reads cached prefixes
(or, with ``TrainConfig(cache=False)``, pixels) and the frozen features for the consistency loss.
A stop request ends a fit within one step; what was trained so far is still returned.
"""
from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from rmadapter_app.core.config import AdapterConfig, TrainConfig
from rmadapter_app.core.device import DeviceInfo
from rmadapter_app.core.errors import DatasetError
from rmadapter_app.core.events import EpochEvent, EventHook, FoldEvent, StatusEvent, StepEvent, StopHook
from rmadapter_app.core.images import decode_side, load_rgb
from rmadapter_app.core.model.backbone import Backbone
from rmadapter_app.core.model.encoders import AdaptedCLIP
from rmadapter_app.core.model.inject import AttachHandle, attach
from rmadapter_app.core.train.data import Split
from rmadapter_app.core.train.evaluate import accuracy, predict
from rmadapter_app.core.train.feature_cache import FeatureCache, autocast_for
from rmadapter_app.core.train.losses import rmadapter_losses
from rmadapter_app.core.train.prepare import PreparedData

MAX_AUTO_EPOCHS = 200


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


@dataclass
class FitOutcome:
    """One fit: the adapter it trained and how the training went."""

    adapter_state: dict[str, torch.Tensor]   # inference tensors (CPU), keys as in AdapterSet
    adapter_config: AdapterConfig            # resolved layers
    history: list[dict[str, Any]]            # per step: step, epoch, fold, lr and every loss term
    epochs: list[dict[str, Any]]             # per epoch: epoch, fold, train_accuracy, val_accuracy
    val_probs: torch.Tensor                  # [len(val_idx), C] after the last step
    stopped: bool                            # should_stop ended it early
    steps: int                               # steps run
    planned_steps: int                       # steps it would have run


class Fitter:
    """Fits adapters on a run's cached features; shared by the folds of one run."""

    def __init__(self, backbone: Backbone, adapter_cfg: AdapterConfig, cfg: TrainConfig, dev: DeviceInfo,
                 data: PreparedData, prompts: list[str], features: FeatureCache,
                 on_event: EventHook, should_stop: StopHook):
        self.backbone, self.adapter_cfg, self.cfg, self.dev = backbone, adapter_cfg, cfg, dev
        self.data, self.prompts, self.features = data, prompts, features
        self.on_event, self.should_stop = on_event, should_stop
        self.t0 = time.perf_counter()                 # StepEvent.seconds and the run's train_seconds
        self.pil_cache: dict[int, Any] = {}           # uncached mode: decoded images, kept for the run
        self.fit_index, self.n_fits = 0, 1            # reported in StepEvents for a whole-run ETA

    # ---------------------------------------------------------------- one forward/backward
    def _batch_inputs(self, model: AdaptedCLIP, idx: torch.Tensor, gen: torch.Generator):
        """Adapted and frozen features of a batch, cached or computed from pixels."""
        cfg, loss_cfg = self.cfg, self.cfg.loss
        text, images = self.features.text, self.features.images
        if cfg.cache:
            n_views = images.tokens.shape[1]
            if cfg.augment and n_views > 1:
                view = torch.randint(1, n_views, (len(idx),), generator=gen)
            else:
                view = torch.zeros(len(idx), dtype=torch.long)
            idx_d, view_d = idx.to(images.tokens.device), view.to(images.tokens.device)
            tokens = images.tokens[idx_d, view_d].float()
            frozen_img = images.frozen[idx_d, view_d]
            text_prefix, text_tokens = text.prefix, text.tokens
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
                side = decode_side(self.backbone.info.image_size, augment=self.cfg.augment)
                self.pil_cache[i] = load_rgb(self.data.paths[i], min_side=side)   # reduced: no 36 MB photos
            ims.append(tf(self.pil_cache[i]))
        return torch.stack(ims).to(self.backbone.device)

    # ---------------------------------------------------------------- one fit
    def fit(self, train_idx: list[int], val_idx: list[int], fold: int | None) -> FitOutcome:
        """Seed, attach fresh adapters, train them on ``train_idx``, detach; ``fold`` None = the final adapter."""
        seed_everything(self.cfg.seed + (0 if fold is None else 1000 * (fold + 1)))
        handle = attach(self.backbone, self.adapter_cfg)
        model = AdaptedCLIP(self.backbone, handle)
        try:
            return self._fit_loop(model, handle, train_idx, val_idx, fold)
        finally:
            handle.detach()

    def _fit_loop(self, model: AdaptedCLIP, handle: AttachHandle, train_idx: list[int], val_idx: list[int],
                  fold: int | None) -> FitOutcome:
        cfg, labels = self.cfg, self.data.labels
        params = [p for p in handle.adapters.parameters() if p.requires_grad]
        opt = torch.optim.SGD(params, lr=cfg.lr, momentum=cfg.momentum, weight_decay=cfg.weight_decay)
        steps_per_epoch = max(1, math.ceil(len(train_idx) / cfg.batch_size))
        epochs = auto_epochs(cfg, len(train_idx))
        total = epochs * steps_per_epoch
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: 0.5 * (1 + math.cos(math.pi * s / total)))
        scaler = torch.amp.GradScaler("cuda") if self.dev.amp_dtype == torch.float16 else None
        gen = torch.Generator().manual_seed(cfg.seed + (0 if fold is None else fold + 1))
        train_t = torch.as_tensor(train_idx, dtype=torch.long)
        history: list[dict[str, Any]] = []
        epoch_log: list[dict[str, Any]] = []
        step, stopped = 0, False
        for epoch in range(1, epochs + 1):
            perm = train_t[torch.randperm(len(train_t), generator=gen)]
            correct = seen = 0
            for idx in perm.split(cfg.batch_size):
                if self.should_stop():
                    stopped = True
                    break
                with autocast_for(self.dev):
                    x_a, x_f, w_a, rec_v, rec_t = self._batch_inputs(model, idx, gen)
                    logits = model.logits(x_a, w_a)
                batch_labels = labels[idx].to(logits.device)
                losses = rmadapter_losses(logits, batch_labels, image_adapted=x_a, image_frozen=x_f,
                                          text_adapted=w_a, text_frozen=self.features.text.frozen,
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
                correct += int((logits.argmax(-1) == batch_labels).sum())
                seen += len(idx)
                values = {k: float(v.detach()) for k, v in losses.items()}
                if not math.isfinite(values["total"]):
                    raise DatasetError("Training diverged (the loss became NaN or infinite); "
                                       "lower the learning rate or the loss weights.")
                history.append({"step": step, "epoch": epoch, "fold": fold, "lr": lr, **values})
                self.on_event(StepEvent(step, total, epoch, values, lr, fold, time.perf_counter() - self.t0,
                                        self.fit_index, self.n_fits))
            if seen:
                val_acc = None
                if val_idx:
                    val_acc = accuracy(predict(model, self.features, val_idx, self.dev), labels[val_idx])
                epoch_log.append({"epoch": epoch, "fold": fold, "train_accuracy": correct / seen,
                                  "val_accuracy": val_acc})
                self.on_event(EpochEvent(epoch, epochs, correct / seen, val_acc, fold))
            if stopped:
                break
        return FitOutcome(handle.adapters.inference_state_dict(), handle.adapters.cfg, history, epoch_log,
                          predict(model, self.features, val_idx, self.dev), stopped, step, total)


@dataclass
class SplitFits:
    """Every fit a validation split asked for, combined."""

    final: FitOutcome                 # the adapter the run keeps (trained on every image in k-fold mode)
    val_probs: torch.Tensor           # [n_images, C]; rows of validated images filled in
    evaluated: list[int]              # images that were validated (k-fold: the folds that finished)
    fold_accuracies: list[float] = field(default_factory=list)
    stopped: bool = False


def fit_split(fitter: Fitter, split: Split, n_classes: int, on_event: EventHook) -> SplitFits:
    """Holdout / no validation: one fit. K-fold: the final adapter on every image, then one fit per fold.

    The final adapter is trained first so a stop during cross-validation still leaves the user a
    complete adapter; the folds then only estimate its accuracy.
    """
    labels = fitter.data.labels
    n = len(fitter.data)
    val_probs = torch.zeros(n, n_classes)
    if split.scheme != "kfold":
        tr, va = split.folds[0]
        final = fitter.fit(tr, va, fold=None)
        val_probs[va] = final.val_probs
        return SplitFits(final, val_probs, va, [], final.stopped)
    on_event(StatusEvent("Training the adapter on all images"))
    fitter.n_fits = 1 + len(split.folds)
    final = fitter.fit(list(range(n)), [], fold=None)
    stopped = final.stopped
    fold_acc: list[float] = []
    for f, (tr, va) in enumerate(split.folds):
        if stopped:
            break
        on_event(StatusEvent(f"Estimating accuracy: cross-validation fold {f + 1} of {len(split.folds)}"))
        fitter.fit_index = f + 1
        out = fitter.fit(tr, va, fold=f)
        if out.stopped:
            stopped = True
            break
        val_probs[va] = out.val_probs
        acc = accuracy(out.val_probs, labels[va])
        fold_acc.append(acc)
        on_event(FoldEvent(f + 1, len(split.folds), acc, len(va)))
    evaluated = sorted(i for k, (_, va) in enumerate(split.folds) if k < len(fold_acc) for i in va)
    return SplitFits(final, val_probs, evaluated, fold_acc, stopped)
