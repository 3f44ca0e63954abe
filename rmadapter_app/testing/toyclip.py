"""A small CLIP trained offline on scikit-learn's digits, so tests and benchmarks have real
text-image alignment without downloading anything.

The model is an ordinary open_clip ViT config (32 px images, 8 px patches, 4+4 layers, the real
CLIP tokenizer). It is trained once with a CLIP-style contrastive objective on upscaled digits and
captions naming the digit ("a photo of a seven.", "the number seven", ...), then cached on disk
(``RMADAPTER_TOY_CACHE`` or ``~/.cache/rmadapter-studio-toy``). Zero-shot it reads clean digits
well; on a shifted domain (rotated, inverted, noisy, coloured, another stroke style) it is good
but not perfect, which leaves an adapter real work to do and real knowledge to keep.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

TOY_MODEL_NAME = "toy-digits-vit"
DIGIT_NAMES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
TOY_TEMPLATE = "a photo of a {}."
CAPTION_TEMPLATES = ["a photo of a {}.", "a photo of the number {}.", "the digit {}", "{}",
                     "a picture of a {}.", "a drawing of the number {}.", "a {}."]
IMAGE_SIZE = 32
TRAIN_STEPS = 600
LR = 1e-3
RECIPE_VERSION = 2   # bump when the recipe changes: the cache key includes it


def toy_model_config() -> dict:
    return {
        "embed_dim": 64,
        "vision_cfg": {"image_size": IMAGE_SIZE, "layers": 4, "width": 64, "patch_size": 8, "head_width": 32},
        "text_cfg": {"context_length": 77, "vocab_size": 49408, "width": 64, "heads": 2, "layers": 4},
    }


# --------------------------------------------------------------------------------------------- data
def digits_dataset() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's 1797 handwritten digits as uint8 RGB [N, 32, 32, 3] (white on black) and labels."""
    from PIL import Image
    from sklearn.datasets import load_digits

    d = load_digits()
    small = (d.images / 16.0 * 255).clip(0, 255).astype(np.uint8)       # [N, 8, 8]
    big = np.stack([np.asarray(Image.fromarray(im).resize((24, 24), Image.BILINEAR)) for im in small])
    out = np.zeros((len(big), IMAGE_SIZE, IMAGE_SIZE), np.uint8)
    out[:, 4:28, 4:28] = big                                              # a margin, like real photos
    return np.repeat(out[..., None], 3, axis=-1), d.target.astype(np.int64)


def toy_split(test_fraction: float = 0.4, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Fixed stratified split: the toy CLIP trains on the first part only; tests use the rest."""
    _, labels = digits_dataset()
    rng = np.random.default_rng(seed)
    train, test = [], []
    for c in range(10):
        idx = rng.permutation(np.flatnonzero(labels == c))
        k = int(round(len(idx) * test_fraction))
        test += idx[:k].tolist()
        train += idx[k:].tolist()
    return np.array(sorted(train)), np.array(sorted(test))


def shift_images(images: np.ndarray, kind: str = "mixed", seed: int = 0) -> np.ndarray:
    """A shifted domain of the digits: rotate, invert, noise, color, style, or mixed (per image)."""
    from PIL import Image, ImageFilter

    rng = np.random.default_rng(seed)
    kinds = ["rotate", "invert", "noise", "color", "style"]
    if kind not in kinds + ["mixed"]:
        raise ValueError(f"unknown shift {kind!r}; choose one of {kinds + ['mixed']}")
    out = np.empty_like(images)
    for i, img in enumerate(images):
        k = kinds[rng.integers(len(kinds))] if kind == "mixed" else kind
        x = img.astype(np.float32)
        if k == "rotate":
            angle = float(rng.choice([-1, 1]) * rng.uniform(35, 70))
            x = np.asarray(Image.fromarray(img).rotate(angle, resample=Image.BILINEAR)).astype(np.float32)
        elif k == "invert":
            x = 255.0 - x
        elif k == "noise":
            x = x * 0.8 + rng.normal(0, 70, x.shape)
        elif k == "color":
            fg, bg = rng.uniform(60, 255, 3), rng.uniform(0, 200, 3)
            a = x[..., :1] / 255.0
            x = a * fg + (1 - a) * bg
        elif k == "style":
            pil = Image.fromarray(img).filter(ImageFilter.MaxFilter(3)).filter(ImageFilter.GaussianBlur(1.2))
            x = np.asarray(pil).astype(np.float32) * 0.7 + 60
        out[i] = np.clip(x, 0, 255).astype(np.uint8)
    return out


def write_image_folder(root: Path, images: np.ndarray, labels: Sequence[int],
                       names: Sequence[str] = DIGIT_NAMES) -> Path:
    """PNG files in one folder per class name (the app's folder-of-class-folders layout)."""
    from PIL import Image

    root = Path(root)
    for i, (img, y) in enumerate(zip(images, labels)):
        folder = root / names[int(y)]
        folder.mkdir(parents=True, exist_ok=True)
        Image.fromarray(img).save(folder / f"{names[int(y)]}_{i:04d}.png")
    return root


def write_shifted_task(root: Path, shift: str = "mixed", seed: int = 0,
                       classes: Sequence[str] | None = None) -> tuple[Path, Path]:
    """The shifted digits as class folders: ``root/pool`` (the toy CLIP's train split) and ``root/test``
    (its held-out split), only ``classes`` (digit names) when given. Returns (pool, test)."""
    images, labels = digits_dataset()
    train_idx, test_idx = toy_split()
    x = shift_images(images, shift, seed=seed)
    if classes is not None:
        keep = [DIGIT_NAMES.index(n) for n in classes]
        train_idx = [i for i in train_idx if labels[i] in keep]
        test_idx = [i for i in test_idx if labels[i] in keep]
    root = Path(root)
    return (write_image_folder(root / "pool", x[train_idx], labels[train_idx]),
            write_image_folder(root / "test", x[test_idx], labels[test_idx]))


# --------------------------------------------------------------------------------------------- model
def _cache_dir(cache_dir: Path | None) -> Path:
    if cache_dir is None:
        env = os.environ.get("RMADAPTER_TOY_CACHE")
        cache_dir = Path(env) if env else Path.home() / ".cache" / "rmadapter-studio-toy"
    key = hashlib.sha256(json.dumps([toy_model_config(), RECIPE_VERSION, TRAIN_STEPS]).encode()).hexdigest()[:12]
    return Path(cache_dir) / key


@contextlib.contextmanager
def _locked(folder: Path):
    """Serialise concurrent builders (parallel test runs) with an advisory file lock."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as fh:
        try:
            import fcntl
            fcntl.flock(fh, fcntl.LOCK_EX)
        except ImportError:   # Windows: no lock, the atomic renames still keep files whole
            pass
        yield


def ensure_toy_clip(cache_dir: Path | None = None, *, steps: int = TRAIN_STEPS, logit_scale: float | None = None,
                    log=None) -> tuple[Path, Path]:
    """(config JSON, weights .safetensors) of the toy CLIP; trains it (about a minute) if not cached.

    ``logit_scale``: the same CLIP with its temperature set to this value (100 is real CLIP's) instead of
    the one it learned (about 14 here). Zero-shot predictions are unchanged (the argmax does not depend
    on the scale), but an adapter's training sees logits and gradients 7x larger, as with real CLIP.
    (Training the toy at a fixed 100 instead reaches only 52-71 % zero-shot on clean digits.)
    """
    if logit_scale is not None:
        return _with_logit_scale(ensure_toy_clip(cache_dir, steps=steps, log=log), float(logit_scale))
    folder = _cache_dir(cache_dir)
    config_path, weights_path = folder / f"{TOY_MODEL_NAME}.json", folder / "weights.safetensors"
    if config_path.is_file() and weights_path.is_file():
        return config_path, weights_path
    with _locked(folder):
        if config_path.is_file() and weights_path.is_file():
            return config_path, weights_path
        from safetensors.torch import save

        from rmadapter_app.core.fileio import atomic_write_bytes, atomic_write_json

        model, stats = train_toy_clip(steps=steps, log=log)
        state = {k: v.detach().contiguous().cpu() for k, v in model.state_dict().items()}
        atomic_write_bytes(weights_path, save(state))
        atomic_write_json(folder / "training.json", stats)
        atomic_write_json(config_path, toy_model_config())
    return config_path, weights_path


def _with_logit_scale(base: tuple[Path, Path], logit_scale: float) -> tuple[Path, Path]:
    """A copy of the toy CLIP (config, weights) whose stored logit scale is log(``logit_scale``)."""
    import torch
    from safetensors.torch import load_file, save

    from rmadapter_app.core.fileio import atomic_write_bytes, atomic_write_json

    config_path, weights_path = base
    folder = weights_path.parent / f"logit-scale-{logit_scale:g}"
    out_config, out_weights = folder / config_path.name, folder / "weights.safetensors"
    if out_config.is_file() and out_weights.is_file():
        return out_config, out_weights
    state = load_file(str(weights_path))
    state["logit_scale"] = torch.full_like(state["logit_scale"], float(np.log(logit_scale)))
    atomic_write_bytes(out_weights, save(state))
    atomic_write_json(out_config, json.loads(config_path.read_text()))
    return out_config, out_weights


def train_toy_clip(steps: int = TRAIN_STEPS, seed: int = 0, log=None):
    """Train the toy CLIP on the digits' train split; returns (model, stats)."""
    import tempfile

    import open_clip
    import torch
    import torch.nn.functional as F

    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    with tempfile.TemporaryDirectory() as tmp:
        cfg_path = Path(tmp) / f"{TOY_MODEL_NAME}.json"
        cfg_path.write_text(json.dumps(toy_model_config()))
        open_clip.add_model_config(cfg_path)
    model = open_clip.create_model(TOY_MODEL_NAME, pretrained=None)
    tokenizer = open_clip.get_tokenizer(TOY_MODEL_NAME)
    mean = torch.tensor(open_clip.OPENAI_DATASET_MEAN).view(1, 3, 1, 1)
    std = torch.tensor(open_clip.OPENAI_DATASET_STD).view(1, 3, 1, 1)

    images, labels = digits_dataset()
    train_idx, test_idx = toy_split()
    x_all = torch.from_numpy(images).permute(0, 3, 1, 2).float() / 255.0
    y_all = torch.from_numpy(labels)
    tokens = {t: tokenizer([t.format(n) for n in DIGIT_NAMES]) for t in CAPTION_TEMPLATES}

    def augment(x: torch.Tensor) -> torch.Tensor:
        """Mild, generic photo variation (shift, scale of contrast, tint, a little noise)."""
        n = x.shape[0]
        dx, dy = rng.integers(-3, 4, 2)
        x = torch.roll(x, shifts=(int(dy), int(dx)), dims=(2, 3))
        flip = torch.from_numpy(rng.random(n) < 0.15).view(n, 1, 1, 1)
        x = torch.where(flip, 1 - x, x)                                 # some inverted examples
        tint = torch.from_numpy(rng.uniform(0.6, 1.0, (n, 3, 1, 1))).float()
        x = x * tint + torch.randn_like(x) * 0.05
        return ((x.clamp(0, 1) - mean) / std)

    opt = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=0.05)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=LR, total_steps=steps, pct_start=0.1)
    model.train()
    t0 = time.perf_counter()
    train_t = torch.from_numpy(train_idx)
    for step in range(steps):
        batch = train_t[torch.randint(len(train_t), (128,))]
        x, y = augment(x_all[batch]), y_all[batch]
        tmpl = CAPTION_TEMPLATES[step % len(CAPTION_TEMPLATES)]
        img = F.normalize(model.encode_image(x), dim=-1)
        txt = F.normalize(model.encode_text(tokens[tmpl]), dim=-1)       # [10, E]: one caption per class
        logits = model.logit_scale.exp() * img @ txt.t()
        # image->text over the 10 captions, text->image over the batch images of that class
        loss_i = F.cross_entropy(logits, y)
        present = torch.unique(y)
        lt = logits.t()[present]                                         # [C_present, B]
        target = (y.unsqueeze(0) == present.unsqueeze(1)).float()
        loss_t = -(F.log_softmax(lt, dim=1) * target / target.sum(1, keepdim=True)).sum(1).mean()
        loss = (loss_i + loss_t) / 2
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        with torch.no_grad():
            model.logit_scale.clamp_(0, 4.6052)
        if log and (step % 100 == 0 or step == steps - 1):
            log(f"toy CLIP step {step}/{steps} loss {loss.item():.3f}")
    model.eval()
    with torch.no_grad():
        txt = F.normalize(model.encode_text(tokenizer([TOY_TEMPLATE.format(n) for n in DIGIT_NAMES])), dim=-1)
        x = (x_all[torch.from_numpy(test_idx)] - mean) / std
        pred = (F.normalize(model.encode_image(x), dim=-1) @ txt.t()).argmax(1)
        acc = float((pred == y_all[torch.from_numpy(test_idx)]).float().mean())
    stats = {"steps": steps, "seconds": round(time.perf_counter() - t0, 1), "zero_shot_clean_test": acc,
             "recipe_version": RECIPE_VERSION}
    return model, stats
