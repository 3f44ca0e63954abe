"""The loss balance, measured: the gradient each loss term puts on the adapter's parameters at step 0.

RMAdapter's objective adds five terms (CE, image and text consistency, visual and text
reconstruction). They meet on the shared down-projection ``W_down`` of every adapter (the
reconstruction decoder and the adaptation branch both read its output), so a term whose gradient
there is far larger than the others' decides where ``W_down`` goes. :func:`gradient_norms`
measures, for freshly initialised adapters (the run's seed, the start of every fit), the L2 norm of
each weighted term's gradient on each parameter group. ``docs/DESIGN.md`` (Losses) records the
figures and the default weights chosen from them; ``benchmarks/base_to_novel.py --balance`` prints them.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import torch

from rmadapter_app.core.config import AdapterConfig, LossConfig, TrainConfig
from rmadapter_app.core.events import never_stop, no_event
from rmadapter_app.core.model.backbone import Backbone
from rmadapter_app.core.naming import DEFAULT_TEMPLATE
from rmadapter_app.core.train.data import Sample
from rmadapter_app.core.train.feature_cache import build_feature_cache
from rmadapter_app.core.train.fit import Fitter
from rmadapter_app.core.train.losses import TERMS, loss_terms
from rmadapter_app.core.train.prepare import prepare_data, set_up_run

# parameter groups: the shared down-projection and the adaptation up-projection of each tower,
# MMA's cross-modal layer, and the reconstruction decoder (which only the reconstruction terms reach)
GROUPS = ("down_visual", "down_text", "up_visual", "up_text", "shared", "decoder")


def group_of(name: str) -> str:
    """The group of an AdapterSet parameter name (``visual.layer4.down.weight`` -> ``down_visual``)."""
    parts = name.split(".")
    if parts[0] == "shared":
        return "shared"
    if parts[2] in ("rec1", "rec2"):
        return "decoder"
    return f"{parts[2]}_{parts[0]}"


@dataclass(frozen=True)
class LossBalance:
    """Step-0 gradient norms: ``norms[term][group]`` (weighted terms, L2 over the group's parameters)."""

    norms: dict[str, dict[str, float]]
    losses: dict[str, float]             # the weighted terms' values on the same batch

    def ratio(self, group: str, term: str, other: str = "ce") -> float:
        """How many times ``term``'s gradient on ``group`` is ``other``'s (inf when ``other``'s is 0)."""
        a, b = self.norms[term][group], self.norms[other][group]
        return a / b if b > 0 else float("inf") if a > 0 else 0.0

    def dominance(self, group: str) -> float:
        """Largest over smallest gradient norm on ``group`` among the terms that reach it."""
        values = [self.norms[t][group] for t in TERMS if self.norms[t][group] > 0]
        return max(values) / min(values) if len(values) > 1 else 1.0

    def table(self) -> str:
        """The norms as a text table (terms down, groups across)."""
        lines = [f"{'term':18}" + "".join(f"{g:>13}" for g in GROUPS) + f"{'value':>11}"]
        for t in TERMS:
            lines.append(f"{t:18}" + "".join(f"{self.norms[t][g]:13.3g}" for g in GROUPS)
                         + f"{self.losses[t]:11.4g}")
        return "\n".join(lines)


def gradient_norms(fitter: Fitter, train_idx: Sequence[int], view: int | None = None,
                   loss_cfg: LossConfig | None = None) -> LossBalance:
    """Each term's gradient norm per group at the adapters' initialisation, on the first batch of epoch 1.

    ``loss_cfg``: the weights to measure with (default: the fitter's); :func:`unit_weights` gives
    every switched-on term weight 1.
    """
    train_t, gen = fitter.epoch_order(list(train_idx), None)
    idx = train_t[torch.randperm(len(train_t), generator=gen)][: fitter.cfg.batch_size]
    view = fitter.view_of_epoch(1) if view is None else view
    model, handle = fitter.attach_fresh(None)
    try:
        named = [(n, p) for n, p in handle.adapters.named_parameters() if p.requires_grad]
        terms = loss_terms(**fitter.loss_inputs(model, idx, view, loss_cfg))
        norms: dict[str, dict[str, float]] = {}
        for term in TERMS:
            sums = dict.fromkeys(GROUPS, 0.0)
            value = terms[term]
            if value.requires_grad:
                grads = torch.autograd.grad(value, [p for _, p in named], retain_graph=True, allow_unused=True)
                for (name, _), g in zip(named, grads):
                    if g is not None:
                        sums[group_of(name)] += float(g.float().pow(2).sum())
            norms[term] = {g: v ** 0.5 for g, v in sums.items()}
        return LossBalance(norms, {t: float(v.detach()) for t, v in terms.items()})
    finally:
        handle.detach()


def measure_loss_balance(backbone: Backbone, samples: Sequence[Sample], class_names: Sequence[str],
                         prompts: Sequence[str] | None = None, *, config: TrainConfig | None = None,
                         adapter_config: AdapterConfig | None = None,
                         template: str = DEFAULT_TEMPLATE) -> LossBalance:
    """:func:`gradient_norms` for a set of images, as ``train()`` would start on them (no training)."""
    run = set_up_run(backbone, samples, class_names, prompts, config, adapter_config, template)
    cfg, adapter_cfg, classes, dev = run.config, run.adapter_config, run.classes, run.device
    data = prepare_data(samples, cfg.shots, cfg.seed, no_event)
    features = build_feature_cache(backbone, adapter_cfg, cfg, dev, data.paths, classes.prompts,
                                   on_event=no_event, should_stop=never_stop)
    fitter = Fitter(backbone, adapter_cfg, cfg, dev, data, classes.prompts, features, no_event, never_stop)
    return gradient_norms(fitter, range(len(data)))


def unit_weights(loss: LossConfig) -> LossConfig:
    """The same switches with every weight 1 (the raw terms)."""
    return replace(loss, consistency_image=1.0, consistency_text=1.0, recon_visual=1.0, recon_text=1.0)


# where each auxiliary term is balanced against the cross-entropy: the groups it shares with it
BALANCE_GROUPS = {
    "recon_visual": ("down_visual",),
    "recon_text": ("down_text",),
    "consistency_image": ("down_visual", "up_visual"),
    "consistency_text": ("down_text", "up_text"),
}
WEIGHT_FIELDS = {"recon_visual": "recon_visual", "recon_text": "recon_text",
                 "consistency_image": "consistency_image", "consistency_text": "consistency_text"}


def _norm(balance: LossBalance, term: str, groups: Sequence[str]) -> float:
    return sum(balance.norms[term][g] ** 2 for g in groups) ** 0.5


def balanced_weights(loss: LossConfig, raw: LossBalance) -> LossConfig:
    """Absolute weights that give each term ``loss``'s relative weight times the CE's step-0 gradient.

    ``raw`` is measured with :func:`unit_weights`. A term whose raw gradient is zero keeps weight 0.
    """
    weights = {}
    for term, groups in BALANCE_GROUPS.items():
        relative = getattr(loss, WEIGHT_FIELDS[term])
        own, ce = _norm(raw, term, groups), _norm(raw, "ce", groups)
        weights[WEIGHT_FIELDS[term]] = relative * ce / own if own > 0 else 0.0
    return replace(loss, **weights)


def weights_of(loss: LossConfig) -> dict[str, float]:
    """The four weights a run used (absolute), for the report."""
    return {f: getattr(loss, f) for f in WEIGHT_FIELDS.values()}


def balance_losses(fitter: Fitter, train_idx: Sequence[int]) -> LossConfig:
    """The run's absolute weights: the config's relative ones times the CE's step-0 gradient ratio."""
    raw = gradient_norms(fitter, train_idx, loss_cfg=unit_weights(fitter.cfg.loss))
    return replace(balanced_weights(fitter.cfg.loss, raw), balance=False)
