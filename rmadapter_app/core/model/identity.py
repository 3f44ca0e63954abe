"""Hashes of tensors: what image embeddings depend on.

``Backbone.identity`` hashes a randomly initialised image tower with these, and the embedding
cache an adapter's tensors; equal hashes mean equal embeddings, so cached ones can be reused.
"""
from __future__ import annotations

import hashlib

import torch
from torch import nn


def tensors_sha256(tensors: dict[str, torch.Tensor]) -> str:
    """SHA-256 over named tensors: names, shapes, dtypes and bytes, in name order."""
    h = hashlib.sha256()
    for name in sorted(tensors):
        t = tensors[name].detach().cpu().contiguous()
        h.update(name.encode())
        h.update(str(tuple(t.shape)).encode())
        h.update(str(t.dtype).encode())
        h.update(t.reshape(-1).view(torch.uint8).numpy().tobytes())
    return h.hexdigest()


def frozen_image_tower(visual: nn.Module) -> dict[str, torch.Tensor]:
    """The image tower's own tensors under their unadapted names, attached adapters left out.

    An adapted block (``inject.AdaptedBlock``) keeps the frozen block it wraps as ``.block``;
    only that block's tensors count, under the name the block has when nothing is attached.
    """
    out = {}
    for name, tensor in visual.state_dict().items():
        parts = name.split(".")
        if parts[:2] == ["transformer", "resblocks"] and len(parts) > 3:
            block = visual.transformer.resblocks[int(parts[2])]
            if isinstance(getattr(block, "block", None), nn.Module):   # adapted: keep the frozen block only
                if parts[3] != "block":
                    continue                                           # the adapter's own tensors
                name = ".".join(parts[:3] + parts[4:])
        out[name] = tensor
    return out
