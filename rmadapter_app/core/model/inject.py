"""Putting adapters into a frozen open_clip model without editing open_clip.

:class:`AdaptedBlock` wraps ``transformer.resblocks[i]``: it calls the original block with the
same arguments and adds the parallel adapter (MMA placement, RMAdapter eqs. 14-15)::

    out = block(x) + alpha * base(ln_1(x))

with MMA's gradient-scaling pair (METHOD.md 5.3). In training it also computes the layer's
local reconstruction loss against the detached adapter input (eqs. 11-12, A4-A6).
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn
from torch.nn import functional as F

from rmadapter_app.core.config import AdapterConfig
from rmadapter_app.core.model.adapter import AdapterSet, ModalityAdapter, activation
from rmadapter_app.core.model.backbone import Backbone


class _GradScale(torch.autograd.Function):
    """Identity forward; the backward pass multiplies the gradient by ``scale``."""

    @staticmethod
    def forward(ctx, x, scale: float):  # noqa: D401
        ctx.scale = scale
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.scale, None


def grad_scale(x: torch.Tensor, scale: float) -> torch.Tensor:
    return _GradScale.apply(x, scale)


class AdaptedBlock(nn.Module):
    """A frozen residual block plus its RMAdapter (adaptation branch + reconstruction branch)."""

    def __init__(self, block: nn.Module, adapter: ModalityAdapter, shared: nn.Linear, cfg: AdapterConfig):
        super().__init__()
        self.block = block
        self.adapter = adapter
        self.shared = shared
        self.alpha = cfg.alpha
        self.trick = cfg.grad_scale_trick
        self.act = activation(cfg.activation)
        self.enabled = True                         # False: exactly the frozen block
        self.recon_enabled = False                  # compute the local reconstruction loss
        self.token_mask: torch.Tensor | None = None  # [B, N] float, valid tokens for the loss
        self.recon_value: torch.Tensor | None = None

    def forward(self, x: torch.Tensor, *args, **kwargs) -> torch.Tensor:
        out = self.block(x, *args, **kwargs)
        if not self.enabled:
            return out
        a = grad_scale(x, self.alpha) if self.trick else x
        u = self.block.ln_1(a)                                   # the block's own frozen ln_1, [B, N, d]
        z = self.act(self.adapter.down(u))                       # [B, N, r], shared by both branches
        base = self.adapter.up(self.act(self.shared(z))) * self.alpha
        if self.trick:
            base = grad_scale(base, 1.0 / self.alpha)
        if self.recon_enabled:
            self.recon_value = self._recon_loss(u)
        return out + base.to(out.dtype)

    def _recon_loss(self, u: torch.Tensor) -> torch.Tensor:
        """Per-token squared L2 between the decoder output and the detached input, averaged over tokens."""
        target = u.detach()
        z_local = self.act(F.linear(target, self.adapter.down.weight, self.adapter.down.bias))
        rec = self.adapter.rec2(self.act(self.adapter.rec1(z_local)))
        err = (rec.float() - target.float()).pow(2).sum(-1)       # [B, N]
        if self.token_mask is None:
            return err.mean()
        mask = self.token_mask.to(err.dtype)
        if mask.shape != err.shape:                               # blocks run sequence-first
            mask = mask.transpose(0, 1)
        return (err * mask).sum() / mask.sum().clamp_min(1.0)


@dataclass
class AttachHandle:
    """Returned by :func:`attach`; ``detach()`` puts the original blocks back."""

    backbone: Backbone
    adapters: AdapterSet
    vision_blocks: dict[int, AdaptedBlock]
    text_blocks: dict[int, AdaptedBlock]

    def blocks(self) -> list[AdaptedBlock]:
        return [*self.vision_blocks.values(), *self.text_blocks.values()]

    def set_enabled(self, enabled: bool) -> None:
        for blk in self.blocks():
            blk.enabled = enabled

    def detach(self) -> None:
        for resblocks, wrapped in ((self.backbone.visual.transformer.resblocks, self.vision_blocks),
                                   (self.backbone.text.transformer.resblocks, self.text_blocks)):
            for i, blk in wrapped.items():
                if resblocks[i] is blk:
                    resblocks[i] = blk.block
        self.vision_blocks.clear()
        self.text_blocks.clear()


def attach(backbone: Backbone, cfg: AdapterConfig, adapters: AdapterSet | None = None) -> AttachHandle:
    """Wrap the configured blocks of both towers with adapters; only adapter parameters train.

    Args:
        backbone: a frozen backbone (its blocks must not already be wrapped).
        cfg: adapter config; unresolved layers are resolved for this backbone.
        adapters: existing adapters (e.g. loaded from a file); new ones are created otherwise.
    """
    info = backbone.info
    cfg = cfg.resolve_layers(info.vision_layers, info.text_layers)
    if adapters is None:
        adapters = AdapterSet(cfg, info.vision_width, info.text_width)
    adapters.to(backbone.device)
    backbone.model.requires_grad_(False)
    adapters.requires_grad_(True)
    handle = AttachHandle(backbone, adapters, {}, {})
    for tower, resblocks, layers, store in (
            ("visual", backbone.visual.transformer.resblocks, cfg.vision_layers, handle.vision_blocks),
            ("text", backbone.text.transformer.resblocks, cfg.text_layers, handle.text_blocks)):
        for i in layers:
            if isinstance(resblocks[i], AdaptedBlock):
                handle.detach()
                raise RuntimeError("backbone already has adapters attached; detach them first")
            module_dict = adapters.visual if tower == "visual" else adapters.text
            blk = AdaptedBlock(resblocks[i], module_dict[f"layer{i}"], adapters.slot_of(tower, i), cfg)
            resblocks[i] = blk
            store[i] = blk
    return handle
