"""The RMAdapter modules: shared down-projection, adaptation up-projection, reconstruction decoder.

Per adapted layer and modality m (METHOD.md 1.3, with MMA's wiring, ambiguity A2)::

    z    = act(W_down[m] u + b)                    # d -> r, shared by both branches
    base = W_up[m] act(W_shared z + b) + b         # r -> r (cross-modal, one per layer slot) -> d
    rec  = W_rec2[m] act(W_rec1[m] z + b) + b      # r -> r -> d, training only

This module holds the math and the initialisation; :mod:`rmadapter_app.core.model.inject` decides
where the adapters sit in the backbone.
"""
from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional as F

from rmadapter_app.core.config import AdapterConfig


def _init_linear(layer: nn.Linear) -> None:
    """MMA's init: kaiming normal, fan_out, relu gain; zero bias."""
    nn.init.kaiming_normal_(layer.weight, mode="fan_out", nonlinearity="relu")
    nn.init.zeros_(layer.bias)


def activation(name: str):
    """The adapter non-linearity as a function."""
    return F.relu if name == "relu" else F.gelu


class ModalityAdapter(nn.Module):
    """One layer's adapter for one tower: down, up, and the reconstruction decoder."""

    def __init__(self, width: int, bottleneck: int, recon_hidden: int | None = None):
        super().__init__()
        hidden = recon_hidden or bottleneck
        self.down = nn.Linear(width, bottleneck)
        self.up = nn.Linear(bottleneck, width)
        self.rec1 = nn.Linear(bottleneck, hidden)
        self.rec2 = nn.Linear(hidden, width)
        for layer in (self.down, self.up, self.rec1, self.rec2):
            _init_linear(layer)


class AdapterSet(nn.Module):
    """All adapters of a model, with state-dict keys independent of open_clip's module paths.

    Keys look like ``visual.layer4.down.weight``, ``text.layer11.up.bias``, ``shared.slot0.weight``.
    The j-th adapted vision layer and the j-th adapted text layer share one cross-modal
    ``shared`` slot (MMA); towers of different depth map proportionally (see :meth:`slot_of`).
    """

    INFERENCE_PARTS = ("down", "up")

    def __init__(self, cfg: AdapterConfig, vision_width: int, text_width: int):
        super().__init__()
        if cfg.vision_layers is None or cfg.text_layers is None:
            raise ValueError("AdapterSet needs a config with resolved layers (AdapterConfig.resolve_layers)")
        self.cfg = cfg
        r = cfg.bottleneck
        self.visual = nn.ModuleDict({f"layer{i}": ModalityAdapter(vision_width, r, cfg.recon_hidden)
                                     for i in cfg.vision_layers})
        self.text = nn.ModuleDict({f"layer{i}": ModalityAdapter(text_width, r, cfg.recon_hidden)
                                   for i in cfg.text_layers})
        n_slots = min(len(cfg.vision_layers), len(cfg.text_layers))
        self.shared = nn.ModuleDict({f"slot{j}": nn.Linear(r, r) for j in range(n_slots)})
        for layer in self.shared.values():
            _init_linear(layer)

    def slot_of(self, tower: str, layer: int) -> nn.Linear:
        """The cross-modal shared layer used by ``tower``'s adapter at block ``layer``."""
        layers = self.cfg.vision_layers if tower == "visual" else self.cfg.text_layers
        j = layers.index(layer)
        slot = math.floor(j * len(self.shared) / len(layers))
        return self.shared[f"slot{slot}"]

    def inference_state_dict(self) -> dict[str, torch.Tensor]:
        """Adapter tensors needed at inference (the reconstruction decoder is dropped, METHOD A15)."""
        return {k: v.detach().cpu().contiguous() for k, v in self.state_dict().items()
                if k.startswith("shared.") or k.split(".")[2] in self.INFERENCE_PARTS}

    def expected_inference_keys(self) -> set[str]:
        return set(self.inference_state_dict().keys())

    def count_parameters(self) -> dict[str, int]:
        """Parameter counts: the adaptation path (kept in files) and the reconstruction branch."""
        total = sum(p.numel() for p in self.parameters())
        inference = sum(v.numel() for v in self.inference_state_dict().values())
        return {"adaptation": inference, "reconstruction": total - inference, "total": total}
