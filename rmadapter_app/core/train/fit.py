"""Training stages 3-4: one seeded fit of the adapters (:class:`Fitter`), and the fits a split asks for.

MMA's recipe, except the optimizer: AdamW on the adapter parameters only with steps scaled per
layer (:mod:`.learning_rate`), a cosine schedule stepped per step, mixed precision where the
device supports it (a grad scaler for fp16), and MMA's per-image budget: a
fixed number of epochs (5), each showing every image once, as a different augmented view
(:mod:`.augment`). A step reads cached prefixes (or, with ``TrainConfig(cache=False)``, pixels of the
very same view) and the frozen features for the consistency loss. The learning rate is the
configured one or, when it is None, :mod:`.learning_rate`'s automatic one.
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
from rmadapter_app.core.train.augment import augmented_view, view_for_epoch, view_key
from rmadapter_app.core.train.data import Split
from rmadapter_app.core.train.evaluate import accuracy, predict
from rmadapter_app.core.train.feature_cache import FeatureCache, autocast_for
from rmadapter_app.core.train.learning_rate import make_optimizer
from rmadapter_app.core.train.losses import rmadapter_losses
from rmadapter_app.core.train.prepare import PreparedData


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed % 2 ** 32)
    torch.manual_seed(seed)


def cosine(step: int, total: int) -> float:
    """The cosine schedule's factor at ``step`` (0-based) of ``total`` steps (1 at the start, 0 at the end)."""
    return 0.5 * (1 + math.cos(math.pi * step / total))


def fit_seed(cfg: TrainConfig, fold: int | None) -> int:
    """The seed a fit starts from: the run's seed for the final adapter, an offset one per fold."""
    return cfg.seed + (0 if fold is None else 1000 * (fold + 1))


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
    lr: float = 0.0                          # the peak learning rate it used


class Fitter:
    """Fits adapters on a run's cached features; shared by the loss balance and the folds of one run."""

    def __init__(self, backbone: Backbone, adapter_cfg: AdapterConfig, cfg: TrainConfig, dev: DeviceInfo,
                 data: PreparedData, prompts: list[str], features: FeatureCache,
                 on_event: EventHook, should_stop: StopHook):
        self.backbone, self.adapter_cfg, self.cfg, self.dev = backbone, adapter_cfg, cfg, dev
        self.data, self.prompts, self.features = data, prompts, features
        self.on_event, self.should_stop = on_event, should_stop
        self.t0 = time.perf_counter()                 # StepEvent.seconds and the run's train_seconds
        self.pil_cache: dict[int, Any] = {}           # uncached mode: decoded images, kept for the run
        self.fit_index, self.n_fits = 0, 1            # reported in StepEvents for a whole-run ETA
        self.lr: float | None = cfg.lr                # None until the run has chosen one
        self.loss_cfg = cfg.loss                      # the weights in use (balanced by the loop)

    # ---------------------------------------------------------------- views
    @property
    def n_views(self) -> int:
        """Augmented views per image (0: no augmentation)."""
        return self.cfg.n_augment_views

    def view_of_epoch(self, epoch: int) -> int:
        return view_for_epoch(epoch, self.n_views)

    # ---------------------------------------------------------------- one forward/backward
    def batch_inputs(self, model: AdaptedCLIP, idx: torch.Tensor, view: int):
        """Adapted and frozen features of a batch showing ``view`` of each image, cached or from pixels."""
        loss_cfg, text, images = self.loss_cfg, self.features.text, self.features.images
        if self.cfg.cache:
            idx_d = idx.to(images.tokens.device)
            tokens = images.tokens[idx_d, view].float()
            frozen_img = images.frozen[idx_d, view]
            text_prefix, text_tokens = text.prefix, text.tokens
        else:
            pix = self._pixels(idx, view)
            tokens = model.image_prefix(pix)
            frozen_img = model.encode_image(pix, adapted=False)
            text_tokens = model.tokenize(self.prompts, truncate=False)
            text_prefix = model.text_prefix(text_tokens)
        w_a, rec_t = model.text_suffix(text_prefix, text_tokens, recon=loss_cfg.use_recon_text)
        x_a, rec_v = model.image_suffix(tokens, recon=loss_cfg.use_recon_visual)
        return x_a, frozen_img, w_a, rec_v, rec_t

    def _pixels(self, idx: torch.Tensor, view: int) -> torch.Tensor:
        """The pixels of ``view`` of each image: exactly what the cache computed for that view."""
        size = self.backbone.info.image_size
        ims = []
        for i in idx.tolist():
            if i not in self.pil_cache:
                side = decode_side(size, augment=self.n_views > 0)
                self.pil_cache[i] = load_rgb(self.data.paths[i], min_side=side)   # reduced: no 36 MB photos
            pil = self.pil_cache[i]
            if view > 0:
                pil = augmented_view(pil, size, view_key(self.cfg.seed, i, view))
            ims.append(self.backbone.preprocess(pil))
        return torch.stack(ims).to(self.backbone.device)

    def loss_inputs(self, model: AdaptedCLIP, idx: torch.Tensor, view: int, loss_cfg=None) -> dict[str, Any]:
        """The keyword arguments of :func:`rmadapter_losses` / :func:`loss_terms` for one batch."""
        with autocast_for(self.dev):
            x_a, x_f, w_a, rec_v, rec_t = self.batch_inputs(model, idx, view)
            logits = model.logits(x_a, w_a)
        return dict(logits=logits, labels=self.data.labels[idx].to(logits.device), image_adapted=x_a,
                    image_frozen=x_f, text_adapted=w_a, text_frozen=self.features.text.frozen,
                    recon_visual=rec_v, recon_text=rec_t, cfg=loss_cfg or self.loss_cfg)

    def losses(self, model: AdaptedCLIP, idx: torch.Tensor, view: int) -> tuple[dict[str, torch.Tensor], torch.Tensor]:
        """Every loss term of one batch (see :func:`rmadapter_losses`) and its logits."""
        inputs = self.loss_inputs(model, idx, view)
        return rmadapter_losses(**inputs), inputs["logits"]

    def step(self, model: AdaptedCLIP, opt: torch.optim.Optimizer, scaler, idx: torch.Tensor,
             view: int) -> tuple[dict[str, float], torch.Tensor]:
        """One optimisation step; the loss values (floats) and the logits (before the step)."""
        losses, logits = self.losses(model, idx, view)
        opt.zero_grad(set_to_none=True)
        if scaler is not None:
            scaler.scale(losses["total"]).backward()
            scaler.step(opt)
            scaler.update()
        else:
            losses["total"].backward()
            opt.step()
        return {k: float(v.detach()) for k, v in losses.items()}, logits.detach()

    # ---------------------------------------------------------------- fresh adapters
    def attach_fresh(self, fold: int | None) -> tuple[AdaptedCLIP, AttachHandle]:
        """Seed for ``fold`` and attach newly initialised adapters (the same init for the same fold)."""
        seed_everything(fit_seed(self.cfg, fold))
        handle = attach(self.backbone, self.adapter_cfg)
        return AdaptedCLIP(self.backbone, handle), handle

    def optimizer(self, handle: AttachHandle, lr: float) -> torch.optim.Optimizer:
        return make_optimizer(handle.adapters, lr, self.cfg)

    def grad_scaler(self):
        return torch.amp.GradScaler("cuda") if self.dev.amp_dtype == torch.float16 else None

    def epoch_order(self, train_idx: list[int], fold: int | None) -> tuple[torch.Tensor, torch.Generator]:
        gen = torch.Generator().manual_seed(self.cfg.seed + (0 if fold is None else fold + 1))
        return torch.as_tensor(train_idx, dtype=torch.long), gen

    # ---------------------------------------------------------------- one fit
    def fit(self, train_idx: list[int], val_idx: list[int], fold: int | None) -> FitOutcome:
        """Attach fresh seeded adapters, train them on ``train_idx``, detach; ``fold`` None = the final adapter."""
        if self.lr is None:
            raise ValueError("no learning rate: set TrainConfig.lr or Fitter.lr first")
        model, handle = self.attach_fresh(fold)
        try:
            return self._fit_loop(model, handle, train_idx, val_idx, fold, self.lr)
        finally:
            handle.detach()

    def _fit_loop(self, model: AdaptedCLIP, handle: AttachHandle, train_idx: list[int], val_idx: list[int],
                  fold: int | None, lr: float) -> FitOutcome:
        cfg, labels = self.cfg, self.data.labels
        opt = self.optimizer(handle, lr)
        steps_per_epoch = max(1, math.ceil(len(train_idx) / cfg.batch_size))
        epochs = cfg.n_epochs
        total = epochs * steps_per_epoch
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: cosine(s, total))
        scaler = self.grad_scaler()
        train_t, gen = self.epoch_order(train_idx, fold)
        history: list[dict[str, Any]] = []
        epoch_log: list[dict[str, Any]] = []
        step, stopped = 0, False
        for epoch in range(1, epochs + 1):
            perm = train_t[torch.randperm(len(train_t), generator=gen)]
            view = self.view_of_epoch(epoch)
            correct = seen = 0
            for idx in perm.split(cfg.batch_size):
                if self.should_stop():
                    stopped = True
                    break
                step_lr = lr * cosine(step, total)
                values, logits = self.step(model, opt, scaler, idx, view)
                sched.step()
                step += 1
                correct += int((logits.argmax(-1).cpu() == labels[idx]).sum())
                seen += len(idx)
                if not math.isfinite(values["total"]):
                    raise DatasetError("Training diverged (the loss became NaN or infinite); "
                                       "lower the learning rate or the loss weights.")
                history.append({"step": step, "epoch": epoch, "fold": fold, "lr": step_lr, **values})
                self.on_event(StepEvent(step, total, epoch, values, step_lr, fold, time.perf_counter() - self.t0,
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
                          predict(model, self.features, val_idx, self.dev), stopped, step, total, lr)

    def predictions(self, state: dict[str, torch.Tensor], idx: list[int]) -> torch.Tensor:
        """Class probabilities [len(idx), C] of cached images (plain view) with a trained adapter state."""
        model, handle = self.attach_fresh(None)
        try:
            handle.adapters.load_state_dict(state, strict=False)
            return predict(model, self.features, idx, self.dev)
        finally:
            handle.detach()


@dataclass
class FoldFits:
    """The cross-validation fits that estimate the final adapter's accuracy (k-fold mode)."""

    val_probs: torch.Tensor           # [n_images, C]; rows of validated images filled in
    evaluated: list[int]              # images that were validated (the folds that finished)
    fold_accuracies: list[float] = field(default_factory=list)
    zero_shot_fold_accuracies: list[float] = field(default_factory=list)   # frozen CLIP, same folds
    stopped: bool = False


def fit_folds(fitter: Fitter, split: Split, n_classes: int, zero_shot_probs: torch.Tensor,
              on_event: EventHook) -> FoldFits:
    """One fit per fold (k-fold mode), each validated on its held-out images beside frozen CLIP."""
    labels = fitter.data.labels
    val_probs = torch.zeros(len(fitter.data), n_classes)
    fold_acc: list[float] = []
    zero_acc: list[float] = []
    stopped = False
    fitter.n_fits = 1 + len(split.folds)
    for f, (tr, va) in enumerate(split.folds):
        on_event(StatusEvent(f"Estimating accuracy: cross-validation fold {f + 1} of {len(split.folds)}"))
        fitter.fit_index = f + 1
        out = fitter.fit(tr, va, fold=f)
        if out.stopped:
            stopped = True
            break
        val_probs[va] = out.val_probs
        acc = accuracy(out.val_probs, labels[va])
        fold_acc.append(acc)
        zero_acc.append(accuracy(zero_shot_probs[va], labels[va]))
        on_event(FoldEvent(f + 1, len(split.folds), acc, len(va)))
    evaluated = sorted(i for k, (_, va) in enumerate(split.folds) if k < len(fold_acc) for i in va)
    return FoldFits(val_probs, evaluated, fold_acc, zero_acc, stopped)


@dataclass
class SplitFits:
    """Every fit a validation split asked for, combined."""

    final: FitOutcome                 # the adapter the run keeps (trained on every image in k-fold mode)
    val_probs: torch.Tensor           # [n_images, C]; rows of validated images filled in
    evaluated: list[int]              # images that were validated (k-fold: the folds that finished)
    fold_accuracies: list[float] = field(default_factory=list)
    stopped: bool = False
    zero_shot_fold_accuracies: list[float] = field(default_factory=list)


def final_indices(split: Split, n: int) -> tuple[list[int], list[int]]:
    """(train, validation) images of the final adapter: k-fold trains it on every image."""
    if split.scheme == "kfold":
        return list(range(n)), []
    return split.folds[0]


def fit_split(fitter: Fitter, split: Split, n_classes: int, on_event: EventHook,
              zero_shot_probs: torch.Tensor | None = None, on_final=None) -> SplitFits:
    """Holdout / no validation: one fit. K-fold: the final adapter on every image, then one fit per fold.

    The final adapter is trained first and handed to ``on_final(FitOutcome)`` before any fold runs,
    so the user has a complete adapter while cross-validation estimates its accuracy (and a stop
    during cross-validation still leaves it). ``zero_shot_probs`` ([n_images, C], frozen CLIP)
    gives frozen CLIP's accuracy on the same folds.
    """
    n = len(fitter.data)
    tr, va = final_indices(split, n)
    if split.scheme == "kfold":
        on_event(StatusEvent("Training the adapter on all images"))
        fitter.n_fits = 1 + len(split.folds)
    final = fitter.fit(tr, va, fold=None)
    if on_final is not None:
        on_final(final)
    if split.scheme != "kfold":
        val_probs = torch.zeros(n, n_classes)
        val_probs[va] = final.val_probs
        return SplitFits(final, val_probs, va, [], final.stopped)
    if final.stopped:
        return SplitFits(final, torch.zeros(n, n_classes), [], [], True)
    if zero_shot_probs is None:
        zero_shot_probs = predict(fitter.features.model, fitter.features, list(range(n)), fitter.dev,
                                  adapted=False)
    folds = fit_folds(fitter, split, n_classes, zero_shot_probs, on_event)
    return SplitFits(final, folds.val_probs, folds.evaluated, folds.fold_accuracies, folds.stopped,
                     folds.zero_shot_fold_accuracies)
