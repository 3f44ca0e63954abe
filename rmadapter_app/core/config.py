"""Configuration dataclasses: the adapter's shape and the training recipe.

Defaults follow ``shared/docs/METHOD.md`` (MMA's released config, RMAdapter's losses);
every loss term has a weight and a switch so the paper's ablation ladder is a preset.
"""
from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

logger = logging.getLogger(__name__)

# ----------------------------------------------------------------------------------------------
# Limits on what a file may claim (adapter headers, open_clip model configs, checkpoints).
# Files are checked against these before anything is built from them. Real use stays far below:
# the widest open_clip ViT tower is 1664 (ViT-bigG-14), the deepest has 48 blocks.
MAX_BOTTLENECK = 4096                  # adapter bottleneck r and reconstruction hidden width
MAX_TOWER_WIDTH = 8192                 # width of one transformer tower
MAX_TOWER_LAYERS = 256                 # blocks in one tower
MAX_EMBED_DIM = 8192                   # CLIP's joint embedding
MAX_IMAGE_SIZE = 4096                  # pixels per side
MAX_VISION_TOKENS = 16384              # patches per image (attention cost grows with its square)
MAX_CONTEXT_LENGTH = 4096              # text tokens
MAX_VOCAB_SIZE = 1_000_000
MAX_MODEL_PARAMETERS = 10_000_000_000  # about 4x ViT-bigG-14
MODEL_MEMORY_FACTOR = 2.0              # a checkpoint is read beside the model: about 2x its fp32 weights
MODEL_MEMORY_MARGIN = 64 << 20         # plus a little for activations and caches
MEMORY_CHECK_FLOOR = 1 << 30           # a model needing less is always tried (free memory comes and goes)
MAX_CHECKPOINT_FACTOR = 4.0            # a weights file up to 4x the fp32 weights (e.g. with optimizer state)
MAX_SAFETENSORS_HEADER_BYTES = 100_000_000   # the safetensors library's own limit
MAX_ADAPTER_HEADER_BYTES = 16 << 20    # an adapter file's JSON header (class names and prompts included)
MAX_MODEL_CONFIG_BYTES = 1 << 20       # an open_clip model config JSON (real ones are < 2 KB)
MAX_JSON_DEPTH = 32                    # nesting of any JSON we read
MAX_CLASSES = 5000                     # class names in one adapter
MAX_CLASS_NAME_CHARS = 300
MAX_PROMPT_CHARS = 2000                # a prompt may carry a class description
MAX_SHORT_TEXT_CHARS = 300             # model name, pretrained tag, app version, dates
MAX_ADAPTER_PARAMETERS = 1_000_000_000  # all adapter weights, reconstruction branch included (4 GB fp32)


def json_depth(text: str | bytes) -> int:
    """Deepest nesting of ``[``/``{`` in a JSON text, without parsing it (strings are skipped)."""
    import re

    import numpy as np

    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    skeleton = re.sub(r'"[^"\\]*(?:\\.[^"\\]*)*"', "", text)
    brackets = np.frombuffer(re.sub(r"[^\[\]{}]", "", skeleton).encode("ascii"), dtype=np.uint8)
    if not len(brackets):
        return 0
    steps = np.where((brackets == ord("[")) | (brackets == ord("{")), 1, -1)
    return int(np.cumsum(steps).max())


def parse_json(text: str | bytes, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """``json.loads`` that refuses nesting deeper than ``max_depth`` before parsing.

    Raises:
        ValueError: not JSON, or nested too deeply (the message says which).
    """
    if json_depth(text) > max_depth:
        raise ValueError(f"it is nested more than {max_depth} levels deep")
    try:
        return json.loads(text)
    except RecursionError as exc:  # pragma: no cover - the depth check comes first
        raise ValueError("it is nested too deeply") from exc


def _from_dict(cls, data: dict[str, Any]):
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(data) - known)
    if unknown:
        logger.warning("%s: ignoring unknown keys %s", cls.__name__, unknown)
    kwargs = {k: v for k, v in data.items() if k in known}
    for key in ("vision_layers", "text_layers"):
        if key in kwargs and kwargs[key] is not None:
            kwargs[key] = tuple(int(i) for i in kwargs[key])
    return cls(**kwargs)


@dataclass(frozen=True)
class AdapterConfig:
    """Where the adapters go and how big they are.

    Layer indices are 0-based block indices per tower. ``None`` means "the paper's
    blocks 5..12 of 12, scaled to the tower's depth"; :func:`resolve_layers` fills them in
    when adapters are attached, and the resolved config is what an adapter file stores.
    """

    bottleneck: int = 32                      # r, MMA's ADAPTER_DIM
    alpha: float = 0.001                      # residual scale, MMA's ADAPTER_SCALE
    start_fraction: float = 4 / 12            # first adapted block = round(depth * 4/12) (block 5 of 12, 1-based)
    vision_layers: tuple[int, ...] | None = None  # resolved 0-based vision blocks
    text_layers: tuple[int, ...] | None = None    # resolved 0-based text blocks
    activation: str = "relu"                  # "relu" (MMA code, METHOD A3) or "gelu" (paper text)
    grad_scale_trick: bool = True             # MMA's GradientScaleLayer pair (METHOD 5.3)
    recon_hidden: int | None = None           # reconstruction decoder hidden width; None = bottleneck (r->r->d)

    def __post_init__(self) -> None:
        if not 1 <= self.bottleneck <= MAX_BOTTLENECK:
            raise ValueError(f"bottleneck must be in 1..{MAX_BOTTLENECK}, got {self.bottleneck}")
        if self.recon_hidden is not None and not 1 <= self.recon_hidden <= MAX_BOTTLENECK:
            raise ValueError(f"recon_hidden must be in 1..{MAX_BOTTLENECK}, got {self.recon_hidden}")
        if not 0 < self.alpha <= 10:
            raise ValueError(f"alpha must be in (0, 10], got {self.alpha}")
        if not 0 <= self.start_fraction < 1:
            raise ValueError(f"start_fraction must be in [0, 1), got {self.start_fraction}")
        if self.activation not in ("relu", "gelu"):
            raise ValueError(f"activation must be 'relu' or 'gelu', got {self.activation!r}")
        for name in ("vision_layers", "text_layers"):
            layers = getattr(self, name)
            if layers is not None and (len(layers) == 0 or list(layers) != sorted(set(layers))
                                       or min(layers) < 0):
                raise ValueError(f"{name} must be a non-empty increasing list of block indices, got {layers}")

    def resolve_layers(self, vision_depth: int, text_depth: int) -> AdapterConfig:
        """Return a copy with explicit layer indices for towers of the given depths."""
        def upper(depth: int) -> tuple[int, ...]:
            start = min(depth - 1, int(depth * self.start_fraction + 0.5))
            return tuple(range(start, depth))
        vision = self.vision_layers or upper(vision_depth)
        text = self.text_layers or upper(text_depth)
        if max(vision) >= vision_depth or max(text) >= text_depth:
            raise ValueError(f"adapter layers {vision}/{text} exceed tower depths {vision_depth}/{text_depth}")
        return replace(self, vision_layers=tuple(vision), text_layers=tuple(text))

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for key in ("vision_layers", "text_layers"):
            if d[key] is not None:
                d[key] = list(d[key])
        return d

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AdapterConfig:
        return _from_dict(cls, data)


@dataclass(frozen=True)
class LossConfig:
    """Loss terms and weights (METHOD.md section 2 and ambiguities A1, A5-A7).

    total = ce + consistency_image * L1(x^a, x) + consistency_text * L1(w^a, w)
               + recon_visual * sum_layers L_rec^V + recon_text * sum_layers L_rec^T

    With ``balance`` (the default) the four weights are relative: at the start of a run each
    auxiliary term's weight is set so that its gradient on the adapter layers it shares with the
    cross-entropy (the down-projection of its tower; for consistency also the up-projection) is
    that many times the cross-entropy's (``core/train/balance.py``). The measurement behind the
    defaults is in docs/DESIGN.md (Losses). Without ``balance`` they are the absolute lambdas of
    the paper's equations (PromptSRC's convention for consistency: 10 and 25; reconstruction 0.1).
    """

    use_consistency: bool = True     # L1 of adapted vs frozen CLIP features (paper eq. 17)
    consistency_image: float = 0.3   # lambda3: relative to the CE's step-0 gradient (absolute without balance)
    consistency_text: float = 0.3    # lambda4
    use_recon_visual: bool = True    # local reconstruction loss in the image tower (eq. 11)
    use_recon_text: bool = True      # local reconstruction loss in the text tower (eq. 12)
    recon_visual: float = 0.3        # lambda1 (per-token squared L2, mean over tokens, sum over layers)
    recon_text: float = 0.3          # lambda2
    balance: bool = True             # weights relative to the CE's gradient at step 0, measured per run

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, float) and value < 0:
                raise ValueError(f"{f.name} must be >= 0, got {value}")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LossConfig:
        return _from_dict(cls, data)


# The paper's Table 4 ablation ladder, as switches on LossConfig.
LADDER: dict[str, dict[str, bool]] = {
    "mma": dict(use_consistency=False, use_recon_text=False, use_recon_visual=False),
    "mma+con": dict(use_consistency=True, use_recon_text=False, use_recon_visual=False),
    "mma+con+trec": dict(use_consistency=True, use_recon_text=True, use_recon_visual=False),
    "mma+con+vrec": dict(use_consistency=True, use_recon_text=False, use_recon_visual=True),
    "rmadapter": dict(use_consistency=True, use_recon_text=True, use_recon_visual=True),
}


def ladder_loss(name: str, base: LossConfig | None = None) -> LossConfig:
    """The LossConfig of one rung of the paper's ablation ladder (Table 4)."""
    if name not in LADDER:
        raise ValueError(f"unknown method {name!r}; choose one of {', '.join(LADDER)}")
    return replace(base or LossConfig(), **LADDER[name])


DEFAULT_EPOCHS = 5          # MMA's per-image budget (METHOD.md section 3): 5 passes over the images
MAX_AUGMENT_VIEWS = 16      # cached augmented views per image at most (more epochs reuse them in turn)


@dataclass(frozen=True)
class TrainConfig:
    """The training recipe. Defaults: MMA's (METHOD.md section 3) with an automatic learning rate.

    ``epochs`` None means MMA's 5. ``lr`` None means the automatic rule, which needs no tuning per
    backbone (:mod:`rmadapter_app.core.train.learning_rate`); a number overrides it. With ``augment`` (the default, as MMA trains) every epoch sees a different view of
    every image: the plain one, then random-resized-crop + flip views; ``augment_views`` None caches
    ``epochs - 1`` augmented views besides the plain one (one view per epoch in all).
    """

    epochs: int | None = None        # None = DEFAULT_EPOCHS (MMA's 5)
    batch_size: int = 16
    lr: float | None = None          # None = automatic (learning_rate.AUTO_LR); a number overrides it
    momentum: float = 0.9
    weight_decay: float = 5e-4
    shots: int | None = None         # images per class used for training (None = all)
    seed: int = 1
    validation: str = "auto"         # "auto" | "holdout" | "kfold" | "none"
    val_fraction: float = 0.2
    folds: int = 5                   # k for k-fold (auto picks k-fold below 15 images per class)
    augment: bool = True             # random-resized-crop + flip (MMA's transforms)
    augment_views: int | None = None  # augmented views per image besides the plain one; None = epochs - 1
    cache: bool = True               # cache the frozen lower layers and frozen features
    device: str = "auto"             # "auto" | "cpu" | "cuda" | "cuda:N" | "mps"
    amp: bool = True                 # mixed precision on CUDA
    loss: LossConfig = field(default_factory=LossConfig)

    def __post_init__(self) -> None:
        if self.epochs is not None and self.epochs < 1:
            raise ValueError(f"epochs must be >= 1, got {self.epochs}")
        if self.batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {self.batch_size}")
        if self.lr is not None and not 0 < self.lr < 10:
            raise ValueError(f"lr must be in (0, 10), got {self.lr}")
        if self.shots is not None and self.shots < 1:
            raise ValueError(f"shots must be >= 1, got {self.shots}")
        if self.validation not in ("auto", "holdout", "kfold", "none"):
            raise ValueError(f"validation must be auto, holdout, kfold or none, got {self.validation!r}")
        if not 0 < self.val_fraction < 1:
            raise ValueError(f"val_fraction must be in (0, 1), got {self.val_fraction}")
        if self.folds < 2:
            raise ValueError(f"folds must be >= 2, got {self.folds}")
        if self.augment_views is not None and not 1 <= self.augment_views <= MAX_AUGMENT_VIEWS:
            raise ValueError(f"augment_views must be in 1..{MAX_AUGMENT_VIEWS}, got {self.augment_views}")
        if isinstance(self.loss, dict):
            object.__setattr__(self, "loss", LossConfig.from_dict(self.loss))

    @property
    def n_epochs(self) -> int:
        """Passes over the images: ``epochs``, or MMA's 5."""
        return self.epochs or DEFAULT_EPOCHS

    @property
    def n_augment_views(self) -> int:
        """Augmented views cached per image besides the plain one: 0 without augmentation, else
        ``epochs - 1`` (at most 16), so that every epoch shows a different view (the plain one first)."""
        if not self.augment:
            return 0
        return self.augment_views or min(self.n_epochs - 1, MAX_AUGMENT_VIEWS)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["loss"] = self.loss.to_dict()
        return d

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainConfig:
        data = dict(data)
        if isinstance(data.get("loss"), dict):
            data["loss"] = LossConfig.from_dict(data["loss"])
        return _from_dict(cls, data)
