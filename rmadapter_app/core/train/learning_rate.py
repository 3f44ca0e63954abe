"""The learning rate: one rule for every backbone, so nobody has to know what a learning rate is.

The update is AdamW's (not MMA's SGD): each parameter moves by about the learning rate per step
whatever the size of its gradient, so a CLIP with logit scale 100 (gradients about 7x larger than
at 14) or another loss balance needs no other setting. To be independent of the backbone's width
too, each layer's step is scaled by ``bottleneck / fan_in`` (the maximal-update rule for Adam):
the adaptation and reconstruction up-projections and MMA's shared layer read the r = 32 bottleneck
and take the full step, the down-projections read the tower's width d and take ``lr * 32 / d``, so
every layer's output moves by about the same amount per step on a 64-wide toy CLIP and on a
768-wide ViT-B/16.

``TrainConfig.lr`` None means :data:`AUTO_LR` (measured on the toy CLIPs of both temperatures,
docs/DESIGN.md "Learning rate"); a number overrides it. The value used, and each layer group's
step, are reported (:class:`LearningRateEvent`, ``TrainMetrics.lr`` / ``lr_groups``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import torch

from rmadapter_app.core.config import TrainConfig
from rmadapter_app.core.model.adapter import AdapterSet

AUTO_LR = 0.05


@dataclass(frozen=True)
class LearningRateEvent:
    """The learning rate a run trains with: automatic (``auto``) or set by the user, and each group's step."""

    lr: float
    auto: bool
    groups: dict[str, float] = field(default_factory=dict)   # peak step per layer group
    reason: str = ""


def fan_in_scale(name: str, param: torch.Tensor, bottleneck: int) -> float:
    """``bottleneck / fan_in`` of the layer ``param`` belongs to (biases follow their weight's layer)."""
    return bottleneck / param.shape[-1] if param.dim() == 2 else 1.0


def layer_steps(bottleneck: int, vision_width: int, text_width: int, lr: float) -> dict[str, float]:
    """Peak step per group for a base ``lr``: the down-projections of each tower, and every other layer."""
    return {"down_visual": lr * bottleneck / vision_width, "down_text": lr * bottleneck / text_width,
            "other": lr}


def param_groups(adapters: AdapterSet, lr: float) -> list[dict]:
    """AdamW parameter groups: each weight (and its bias) at ``lr * bottleneck / fan_in`` of its layer."""
    r = adapters.cfg.bottleneck
    scales: dict[str, float] = {}
    for name, p in adapters.named_parameters():
        if p.dim() == 2:
            scales[name.rsplit(".", 1)[0]] = fan_in_scale(name, p, r)
    groups: dict[float, list[torch.nn.Parameter]] = {}
    for name, p in adapters.named_parameters():
        if p.requires_grad:
            groups.setdefault(scales.get(name.rsplit(".", 1)[0], 1.0), []).append(p)
    return [{"params": ps, "lr": lr * s, "scale": s} for s, ps in sorted(groups.items())]


def make_optimizer(adapters: AdapterSet, lr: float, cfg: TrainConfig) -> torch.optim.Optimizer:
    """AdamW over the adapters (beta1 = ``cfg.momentum``, decoupled ``cfg.weight_decay``), steps per fan-in."""
    return torch.optim.AdamW(param_groups(adapters, lr), lr=lr, betas=(cfg.momentum, 0.999),
                             weight_decay=cfg.weight_decay)


@dataclass(frozen=True)
class LRChoice:
    """The base learning rate of a run and whether the rule chose it."""

    lr: float
    auto: bool
    reason: str


def choose_lr(cfg: TrainConfig) -> LRChoice:
    """``cfg.lr`` when set, else :data:`AUTO_LR`."""
    if cfg.lr is not None:
        return LRChoice(cfg.lr, False, "set by the user")
    return LRChoice(AUTO_LR, True, "automatic: AdamW steps scaled to each layer's input width")
