"""RMAdapter's objective (paper eq. 18): CE + consistency to frozen CLIP + local reconstruction."""
from __future__ import annotations

import torch
from torch.nn import functional as F

from rmadapter_app.core.config import LossConfig

LOSS_KEYS = ("ce", "consistency", "recon_v", "recon_t", "total")
TERMS = ("ce", "consistency_image", "consistency_text", "recon_visual", "recon_text")   # weighted, separately


def loss_terms(logits: torch.Tensor, labels: torch.Tensor, *,
               image_adapted: torch.Tensor, image_frozen: torch.Tensor,
               text_adapted: torch.Tensor, text_frozen: torch.Tensor,
               recon_visual: torch.Tensor | None, recon_text: torch.Tensor | None,
               cfg: LossConfig) -> dict[str, torch.Tensor]:
    """Each of the five terms (keys :data:`TERMS`), already multiplied by its weight; 0 when switched off."""
    zero = logits.new_zeros(())
    terms = {"ce": F.cross_entropy(logits.float(), labels)}
    if cfg.use_consistency:
        terms["consistency_image"] = cfg.consistency_image * F.l1_loss(
            F.normalize(image_adapted.float(), dim=-1), F.normalize(image_frozen.float(), dim=-1))
        terms["consistency_text"] = cfg.consistency_text * F.l1_loss(
            F.normalize(text_adapted.float(), dim=-1), F.normalize(text_frozen.float(), dim=-1))
    else:
        terms["consistency_image"] = terms["consistency_text"] = zero
    terms["recon_visual"] = (cfg.recon_visual * recon_visual.float()
                             if cfg.use_recon_visual and recon_visual is not None else zero)
    terms["recon_text"] = (cfg.recon_text * recon_text.float()
                           if cfg.use_recon_text and recon_text is not None else zero)
    return terms


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
    t = loss_terms(logits, labels, image_adapted=image_adapted, image_frozen=image_frozen,
                   text_adapted=text_adapted, text_frozen=text_frozen, recon_visual=recon_visual,
                   recon_text=recon_text, cfg=cfg)
    consistency = t["consistency_image"] + t["consistency_text"]
    total = t["ce"] + consistency + t["recon_visual"] + t["recon_text"]
    return {"ce": t["ce"], "consistency": consistency, "recon_v": t["recon_visual"], "recon_t": t["recon_text"],
            "total": total}
