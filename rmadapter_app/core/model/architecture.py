"""What a checkpoint file is, from its tensor shapes: which CLIP architecture, or in words what else.

A user who imports a ViT-B/32 file while ViT-B/16 is chosen must not read PyTorch's "size mismatch
... torch.Size([768, 3, 32, 32])". :func:`identify_checkpoint` reads the tensor table (the header
alone for safetensors), works out the architecture an open_clip ViT CLIP checkpoint was saved from
(:class:`Architecture`: patch size, image size, widths, depths, embedding size), and finds the open_clip
model config with those numbers (a given config, then the preferred names, then every registered
one). Files that are not open_clip ViT CLIPs are named in words: an RMAdapter adapter, a ResNet CLIP,
a Hugging Face transformers CLIP, an image-only ViT, or something else.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rmadapter_app.core.config import MAX_SAFETENSORS_HEADER_BYTES, parse_json
from rmadapter_app.core.errors import BackboneUnavailableError

Shapes = dict[str, tuple[int, ...]]
_SIZES = {384: "S", 512: "M", 768: "B", 1024: "L", 1280: "H", 1408: "g", 1664: "bigG"}


@dataclass(frozen=True)
class Architecture:
    """The numbers that decide whether a checkpoint fits an open_clip ViT CLIP config."""

    image_size: int
    patch_size: int
    vision_width: int
    vision_layers: int
    text_width: int
    text_layers: int
    context_length: int
    vocab_size: int
    embed_dim: int

    def describe(self) -> str:
        """E.g. ``a CLIP ViT-B/32 (224-px images in 32-px patches, 12 image layers of width 768)``."""
        size = _SIZES.get(self.vision_width, "")
        name = f"ViT-{size}/{self.patch_size}" if size else f"ViT with {self.patch_size}-px patches"
        return (f"a CLIP {name} ({self.image_size}-px images in {self.patch_size}-px patches, "
                f"{self.vision_layers} image layers of width {self.vision_width})")

    def differences(self, other: Architecture) -> list[str]:
        """What differs from ``other``, in words (``patch size 32, not 16``)."""
        out = []
        for key in self.__dataclass_fields__:
            mine, theirs = getattr(self, key), getattr(other, key)
            if mine != theirs:
                out.append(f"{key.replace('_', ' ')} {mine}, not {theirs}")
        return out


@dataclass(frozen=True)
class CheckpointIdentity:
    """What :func:`identify_checkpoint` found."""

    model_name: str | None          # the open_clip model (or the given config's stem) it fits; None: none
    architecture: Architecture | None
    text: str                       # the file in words, for the user


# ------------------------------------------------------------------------------------ reading shapes
def checkpoint_shapes(path: Path) -> Shapes:
    """Name -> shape of every tensor in a checkpoint (safetensors: from the header alone).

    Raises:
        BackboneUnavailableError: missing, empty, damaged, or not a plain file of tensors (in words).
    """
    from rmadapter_app.core.model.weights import read_checkpoint

    path = Path(path)
    if not path.is_file():
        raise BackboneUnavailableError(f"Weights file not found: {path}")
    size = path.stat().st_size
    with open(path, "rb") as fh:
        head = fh.read(9)
        length = int.from_bytes(head[:8], "little") if len(head) == 9 else 0
        if len(head) == 9 and head[8:9] == b"{" and 0 < length <= min(size - 8, MAX_SAFETENSORS_HEADER_BYTES):
            try:
                header = parse_json(head[8:] + fh.read(length - 1))
            except (ValueError, UnicodeDecodeError):
                header = None
            if isinstance(header, dict):
                shapes = {}
                for key, entry in header.items():
                    shape = entry.get("shape") if isinstance(entry, dict) and key != "__metadata__" else None
                    if isinstance(shape, list) and all(isinstance(d, int) and d >= 0 for d in shape):
                        shapes[key.removeprefix("module.")] = tuple(shape)
                meta = header.get("__metadata__")
                if isinstance(meta, dict) and any(str(k).startswith("rmadapter.") for k in meta):
                    shapes["__rmadapter__"] = ()
                return shapes
    state = read_checkpoint(path, "a CLIP model")
    return {k: tuple(v.shape) for k, v in state.items()}


# ------------------------------------------------------------------------------------ shapes -> numbers
def _count(shapes: Iterable[str], prefix: str) -> int:
    pattern = re.compile(re.escape(prefix) + r"(\d+)\.")
    found = {int(m.group(1)) for k in shapes if (m := pattern.match(k))}
    return max(found) + 1 if found else 0


def architecture_of(shapes: Shapes) -> Architecture | None:
    """The architecture of an open_clip ViT CLIP state dict, or None when it is not one."""
    text = "text." if "text.token_embedding.weight" in shapes else ""
    try:
        conv = shapes["visual.conv1.weight"]
        pos = shapes["visual.positional_embedding"]
        tokens = shapes[f"{text}token_embedding.weight"]
        text_pos = shapes[f"{text}positional_embedding"]
        proj = shapes["visual.proj"]
    except KeyError:
        return None
    if len(conv) != 4 or len(pos) != 2 or len(tokens) != 2 or len(text_pos) != 2 or len(proj) != 2:
        return None
    grid = math.isqrt(max(0, pos[0] - 1))
    return Architecture(image_size=grid * conv[2], patch_size=conv[2], vision_width=conv[0],
                        vision_layers=_count(shapes, "visual.transformer.resblocks."),
                        text_width=tokens[1], text_layers=_count(shapes, f"{text}transformer.resblocks."),
                        context_length=text_pos[0], vocab_size=tokens[0], embed_dim=proj[1])


def architecture_of_config(cfg: Any) -> Architecture | None:
    """The architecture an open_clip model config builds (None: not a plain ViT CLIP config)."""
    try:
        v, t = cfg["vision_cfg"], cfg["text_cfg"]
        if v.get("timm_model_name") or t.get("hf_model_name") or not isinstance(v.get("layers"), int):
            return None
        size = v["image_size"]
        size = size[0] if isinstance(size, (list, tuple)) else size
        return Architecture(image_size=int(size), patch_size=int(v["patch_size"]), vision_width=int(v["width"]),
                            vision_layers=int(v["layers"]), text_width=int(t["width"]), text_layers=int(t["layers"]),
                            context_length=int(t.get("context_length", 77)),
                            vocab_size=int(t.get("vocab_size", 49408)), embed_dim=int(cfg["embed_dim"]))
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _other_kind(shapes: Shapes) -> str:
    """What a file that is not an open_clip ViT CLIP is, in words (completes "It is ...")."""
    keys = list(shapes)
    if "__rmadapter__" in shapes or any(re.match(r"(visual|text)\.layer\d+\.down\.weight$", k) for k in keys):
        return ("an RMAdapter adapter (a trained classifier), not a CLIP model: open it with "
                "“Load adapter…” on the Results page")
    if any(k.startswith(("visual.layer1.", "visual.attnpool.")) for k in keys):
        return "a CLIP with a ResNet image encoder (like RN50); RMAdapter Studio needs a ViT CLIP"
    if any("vision_model." in k for k in keys) and any("text_model." in k for k in keys):
        return ("a Hugging Face transformers CLIP checkpoint; RMAdapter Studio reads open_clip checkpoints: use "
                "the open_clip_model.safetensors file of the same model instead")
    if "visual.conv1.weight" in shapes:
        return "only CLIP's image encoder, without the text encoder RMAdapter also needs"
    if any(k.startswith(("patch_embed.", "blocks.0.")) for k in keys):
        return "an image-only vision transformer (timm), without the text encoder a CLIP has"
    sample = ", ".join(f"“{k}”" for k in sorted(keys)[:2])
    return f"not a CLIP checkpoint (its {len(keys):,} tensors have names like {sample})" if keys else \
        "not a CLIP checkpoint (it holds no tensors)"


# ------------------------------------------------------------------------------------ matching
def _registered(prefer: Sequence[str]) -> list[tuple[str, Any]]:
    import open_clip

    names = list(dict.fromkeys([*prefer, *sorted(open_clip.list_models(), key=lambda n: (len(n), n))]))
    return [(n, open_clip.get_model_config(n)) for n in names]


def match_model(arch: Architecture, prefer: Sequence[str] = ()) -> str | None:
    """The first open_clip model whose config builds ``arch`` (``prefer`` first, then the shortest name)."""
    for name, cfg in _registered(prefer):
        if cfg and architecture_of_config(cfg) == arch:
            return name
    return None


def identify_checkpoint(path: Path, config: tuple[str, Any] | None = None,
                        prefer: Sequence[str] = ()) -> CheckpointIdentity:
    """Which CLIP a checkpoint holds (and whether it fits ``config``), or what else it is, in words.

    ``config``: (model name, its open_clip config) when the user gave a model config with the
    weights (``backbone.register_model_config`` registers one and gives its name).

    Raises:
        BackboneUnavailableError: the file cannot be read (missing, damaged, not tensors).
    """
    path = Path(path)
    shapes = checkpoint_shapes(path)
    arch = architecture_of(shapes)
    if arch is None:
        return CheckpointIdentity(None, None, f"{path.name} is {_other_kind(shapes)}.")
    if config is not None:
        name, cfg = config
        wanted = architecture_of_config(cfg)
        if wanted == arch:
            return CheckpointIdentity(name, arch, f"{path.name} is {arch.describe()}, as the config {name} describes.")
        why = "; ".join(arch.differences(wanted)) if wanted else "the config is not a ViT CLIP"
        return CheckpointIdentity(None, arch, f"{path.name} is {arch.describe()}, which is not the model the "
                                              f"config {name} describes ({why}). They do not belong together.")
    name = match_model(arch, prefer)
    if name is None:
        return CheckpointIdentity(None, arch, f"{path.name} is {arch.describe()}, an architecture RMAdapter "
                                              "Studio does not know; choose “Custom model…” and give its model "
                                              "config file as well.")
    return CheckpointIdentity(name, arch, f"{path.name} is {arch.describe()}: the {name} model.")


def mismatch_message(file_name: str, model_name: str, shapes: Shapes, expected: Any = None) -> str | None:
    """Why a checkpoint does not fit ``model_name`` (whose config is ``expected``), in words; None when
    its shapes give no reason (then the file is damaged in some other way)."""
    arch = architecture_of(shapes)
    start = f"{file_name} does not fit '{model_name}': it is"
    if arch is None:
        missing = [k for k in ("visual.conv1.weight", "token_embedding.weight", "visual.proj") if k not in shapes]
        return f"{start} {_other_kind(shapes)}." + (f" Missing keys include {', '.join(missing)}." if missing else "")
    wanted = architecture_of_config(expected) if expected is not None else None
    if wanted is None or wanted == arch:
        return None
    other = match_model(arch, ())
    advice = f" Choose {other} as the model to use it." if other else ""
    return f"{start} {arch.describe()} ({'; '.join(arch.differences(wanted))}).{advice}"
