"""Which frozen CLIP to use: one description shared by the CLI and the GUI.

A :class:`BackboneSpec` names an open_clip architecture plus a pretrained tag, or local files
(a checkpoint, a model config JSON) for offline use. It is plain data (no torch: the GUI imports
it at start-up): the GUI keeps it in the project's settings (:meth:`BackboneSpec.to_dict`), the
CLI builds it from its flags (:meth:`BackboneSpec.from_cli_args`), and
:func:`rmadapter_app.core.model.cache.load_spec` (or a ``BackboneCache``) builds the backbone it names.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_MODEL = "ViT-B-16"          # the app's defaults, for the CLI and the GUI alike
DEFAULT_PRETRAINED = "openai"
CPU_FRIENDLY_MODEL = "ViT-B-32"
GPU_DEVICES = ("cuda", "mps")


def default_model_for(device: str) -> str:
    """The backbone to offer first on ``device``: the paper's ViT-B-16 on a GPU, ViT-B-32 on a CPU.

    ``device`` is a device kind or name ("cpu", "cuda", "cuda:1", "mps"). On a CPU, ViT-B-32 has a
    quarter of ViT-B-16's image tokens (7x7 patches of 32 px instead of 14x14 of 16 px), so every
    step and every cached image costs about a quarter as much: the user gets an adapter in about
    half a minute instead of minutes (docs/BENCHMARKS.md, "Train click to saved adapter").
    """
    return DEFAULT_MODEL if str(device).split(":")[0] in GPU_DEVICES else CPU_FRIENDLY_MODEL


def default_model_reason(device: str) -> str:
    """Why :func:`default_model_for` chose its backbone, in words for the user."""
    if str(device).split(":")[0] in GPU_DEVICES:
        return "A GPU is available, so the default is ViT-B-16, the backbone of the paper."
    return ("No GPU was found, so the default is ViT-B-32: on a processor it trains an adapter about four "
            "times faster than ViT-B-16 (a quarter of the image patches), at some cost in accuracy. "
            "Choose ViT-B-16 for the paper's backbone if you can wait longer.")


def machine_device() -> str:
    """The device kind ``TrainConfig(device="auto")`` would use here: "cuda", "mps" or "cpu" (imports torch)."""
    import torch

    if torch.cuda.is_available():
        return "cuda"
    mps = getattr(torch.backends, "mps", None)
    return "mps" if mps is not None and mps.is_available() else "cpu"


@dataclass(frozen=True)
class BackboneSpec:
    """Which frozen CLIP to use: an open_clip name + pretrained tag, or local files (offline).

    ``pretrained`` is the open_clip tag to download (or the tag imported weights were filed
    under); give None with local files unless such a tag is meant. A local ``weights`` file wins
    over the tag; a ``model_config`` names the model itself (its file stem).
    """

    model_name: str = DEFAULT_MODEL
    pretrained: str | None = DEFAULT_PRETRAINED
    weights: Path | None = None        # a local checkpoint for model_name
    model_config: Path | None = None   # a local open_clip model config JSON (with weights or random)

    def key(self) -> tuple:
        """A hashable key: equal for specs that load the same backbone."""
        return (self.model_name, self.pretrained, str(self.weights or ""), str(self.model_config or ""))

    def label(self) -> str:
        """Short text for people, e.g. ``ViT-B-16 / openai``."""
        if self.model_config is not None:
            return f"{Path(self.model_config).stem} (local config)"
        if self.weights is not None:
            return f"{self.model_name} ({Path(self.weights).name})"
        return f"{self.model_name} / {self.pretrained}"

    def for_adapter(self, header) -> BackboneSpec:
        """This choice when it matches an adapter file's backbone, else the open_clip model the file names."""
        current_name = Path(self.model_config).stem if self.model_config else self.model_name
        if header.backbone.model_name == current_name or not header.backbone.pretrained:
            return self
        return BackboneSpec(model_name=header.backbone.model_name, pretrained=header.backbone.pretrained)

    def to_dict(self) -> dict[str, Any]:
        return {"model_name": self.model_name, "pretrained": self.pretrained,
                "weights": str(self.weights) if self.weights else None,
                "model_config": str(self.model_config) if self.model_config else None}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> BackboneSpec:
        return cls(model_name=d.get("model_name") or DEFAULT_MODEL, pretrained=d.get("pretrained"),
                   weights=Path(d["weights"]) if d.get("weights") else None,
                   model_config=Path(d["model_config"]) if d.get("model_config") else None)

    @classmethod
    def from_cli_args(cls, args, header=None) -> BackboneSpec:
        """The spec the CLI's ``--model --pretrained --weights --model-config`` flags describe.

        Without ``--pretrained`` and without local files the tag is ``openai``. With an adapter
        file's ``header`` the file names the model and tag (``--model`` and ``--pretrained`` are
        not used); ``--weights`` and ``--model-config`` still say where its files are.
        """
        weights, config = getattr(args, "weights", None), getattr(args, "model_config", None)
        if header is not None:
            return cls(header.backbone.model_name, header.backbone.pretrained, weights, config)
        pretrained = getattr(args, "pretrained", None)
        if pretrained is None and weights is None and config is None:
            pretrained = DEFAULT_PRETRAINED
        return cls(getattr(args, "model", None) or DEFAULT_MODEL, pretrained, weights, config)

    @classmethod
    def default_for(cls, device: str) -> BackboneSpec:
        """The default spec on ``device`` (see :func:`default_model_for`), with OpenAI's weights."""
        return cls(model_name=default_model_for(device), pretrained=DEFAULT_PRETRAINED)

    @property
    def is_random(self) -> bool:
        """True when loading gives random weights (no tag and no checkpoint)."""
        return self.weights is None and not self.pretrained

    def load_arguments(self) -> dict[str, Any]:
        """The keyword arguments of ``backbone.load_backbone`` for this spec (the tag is passed as given)."""
        return {"model_name": self.model_name, "pretrained": self.pretrained, "weights": self.weights,
                "model_config": self.model_config}


def default_spec_for_machine() -> BackboneSpec:
    """The default backbone for this computer: ViT-B-16 with a CUDA or Apple GPU, ViT-B-32 without (imports torch)."""
    return BackboneSpec.default_for(machine_device())


def default_model_for_machine() -> str:
    """The default backbone's open_clip name for this computer (imports torch)."""
    return default_model_for(machine_device())
