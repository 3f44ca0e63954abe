"""RMAdapter's objective (paper eq. 18): CE + consistency to frozen CLIP + local reconstruction."""
from __future__ import annotations

import torch
from torch.nn import functional as F

from rmadapter_app.core.config import LossConfig

LOSS_KEYS = ("ce", "consistency", "recon_v", "recon_t", "total")


def rmadapter_losses(logits: torch.Tensor, labels: torch.Tensor, *,
                     image_adapted: torch.Tensor, image_frozen: torch.Tensor,
                     text_adapted: torch.Tensor, text_frozen: torch.Tensor,
                     recon_visual: torch.Tensor | None, recon_text: torch.Tensor | None,
                     cfg: LossConfig) -> dict[str, torch.Tensor]:
    """Every loss term, unweighted parts already multiplied by their weights, and the total.

    Args:
        logits: [B, C] logit_scale * cosine similarity of adapted features.
        labels: [B] class indices.
        image_adapted, image_frozen: [B, E] adapted and frozen CLIP image features.
        text_adapted, text_frozen: [C, E] adapted and frozen CLIP class text features.
        recon_visual, recon_text: summed per-layer reconstruction losses (None when off).
        cfg: weights and switches.

    Returns:
        dict with keys ``ce``, ``consistency``, ``recon_v``, ``recon_t`` (weighted) and ``total``.
    """
    zero = logits.new_zeros(())
    ce = F.cross_entropy(logits.float(), labels)
    consistency = zero
    if cfg.use_consistency:
        consistency = (
            cfg.consistency_image * F.l1_loss(F.normalize(image_adapted.float(), dim=-1),
                                              F.normalize(image_frozen.float(), dim=-1))
            + cfg.consistency_text * F.l1_loss(F.normalize(text_adapted.float(), dim=-1),
                                               F.normalize(text_frozen.float(), dim=-1)))
    recon_v = cfg.recon_visual * recon_visual.float() if (cfg.use_recon_visual and recon_visual is not None) else zero
    recon_t = cfg.recon_text * recon_text.float() if (cfg.use_recon_text and recon_text is not None) else zero
    total = ce + consistency + recon_v + recon_t
    return {"ce": ce, "consistency": consistency, "recon_v": recon_v, "recon_t": recon_t, "total": total}
