"""Camera-sized photos: labeling, training's cache build and adding to a project, on 8-24 MP JPEGs.

In one process, on generated photo-like JPEGs (texture at every scale, sensor-like noise, some
EXIF-rotated, a few PNGs in the mixed set) and one ViT backbone (random weights time the same as
pretrained ones), it measures:

* bare encode: loading nothing, ``model.encode_image`` over the images decoded and preprocessed
  beforehand (the model alone: the ceiling);
* labeling: :func:`run_labeling` end to end (list, read once, hash, decode at the model's scale on a
  thread pool, preprocess, encode, cache, score) on an empty cache, and its ratio to bare encode;
* training's cache build: :func:`train` with 0 epochs on ``--train-images`` photos (the frozen
  lower-block features and frozen CLIP's, for 1 + augmented views per image);
* adding photos to a project: :meth:`Project.add_images` on ``--add-images`` photos (check, hash,
  decode to validate, copy).

    python benchmarks/bench_photos.py                      # CPU, ViT-B-32 (about 5 min on 2 cores)
    python benchmarks/bench_photos.py --device cuda --images 512
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine_facts, save_results  # noqa: E402

SIZES_MIXED = [(4000, 3000), (3000, 4000), (3264, 2448), (4608, 3456), (6000, 4000), (5184, 3456), (2448, 3264)]


def photo(path: Path, size: tuple[int, int], seed: int, orientation: int | None = None) -> Path:
    """A photo-like JPEG (or PNG by suffix): smooth colour fields, edges at several scales, noise."""
    from PIL import Image

    rng = np.random.default_rng(seed)
    w, h = size
    small = rng.integers(0, 256, size=(h // 64 + 1, w // 64 + 1, 3), dtype=np.uint8)
    img = np.asarray(Image.fromarray(small).resize((w, h), Image.BICUBIC), dtype=np.int16)
    yy, xx = np.ogrid[0:h, 0:w]
    img = img + (((xx // (13 + seed % 7)) + (yy // 29)) % 2 * 30).astype(np.int16)[..., None]
    img = img + rng.integers(-14, 15, size=(h, w, 1), dtype=np.int16)     # luminance grain
    out = Image.fromarray(img.clip(0, 255).astype(np.uint8))
    kwargs = {}
    if path.suffix == ".jpg":
        kwargs["quality"] = 92
        if orientation:
            exif = Image.Exif()
            exif[0x0112] = orientation
            kwargs["exif"] = exif.tobytes()
    out.save(path, **kwargs)
    return path


def make_set(folder: Path, n: int, mixed: bool, seed: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(n):
        size = SIZES_MIXED[i % len(SIZES_MIXED)] if mixed else (4000, 3000)
        suffix = ".png" if mixed and i % 16 == 5 else ".jpg"
        orientation = (6, 8, 3)[i % 3] if mixed and i % 5 == 0 else None
        files.append(photo(folder / f"IMG_{i:04d}{suffix}", size, seed + i, orientation))
    return files


def bare_encode(backbone, files, batch: int, device: str) -> tuple[float, float]:
    """(decode+preprocess seconds, encode seconds) for the images decoded in full beforehand."""
    import torch

    from rmadapter_app.core.images import load_rgb

    t0 = time.perf_counter()
    tensors = [backbone.preprocess(load_rgb(f)) for f in files]
    decode_s = time.perf_counter() - t0
    with torch.no_grad():
        backbone.model.encode_image(torch.stack(tensors[:batch]).to(device))          # warm-up
        if device.startswith("cuda"):
            torch.cuda.synchronize()
        t0 = time.perf_counter()
        for s in range(0, len(tensors), batch):
            backbone.model.encode_image(torch.stack(tensors[s:s + batch]).to(device))
        if device.startswith("cuda"):
            torch.cuda.synchronize()
    return decode_s, time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="ViT-B-32")
    ap.add_argument("--images", type=int, default=48, help="photos per set (12 MP set and mixed set)")
    ap.add_argument("--train-images", type=int, default=50)
    ap.add_argument("--add-images", type=int, default=200)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--out", default=None)
    ap.add_argument("--skip", nargs="*", default=[], choices=["label", "train", "add"])
    args = ap.parse_args()

    import torch

    from rmadapter_app.core.classifier import Classifier
    from rmadapter_app.core.label.embedding_cache import EmbeddingCache
    from rmadapter_app.core.label.engine import run_labeling
    from rmadapter_app.core.model.backbone import load_backbone

    facts = machine_facts(args.device)
    print("machine:", json.dumps(facts), flush=True)
    results: dict = {"machine": facts, "model": args.model, "device": args.device, "weights": "random"}
    torch.manual_seed(0)
    t0 = time.perf_counter()
    backbone = load_backbone(args.model, device=args.device)
    results["model_load_s"] = round(time.perf_counter() - t0, 2)

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t0 = time.perf_counter()
        sets = {"12mp": make_set(tmp / "12mp", args.images, mixed=False),
                "mixed": make_set(tmp / "mixed", args.images, mixed=True, seed=1000)}
        print(f"generated 2 x {args.images} photos in {time.perf_counter() - t0:.0f} s; "
              f"12 MP JPEG size {np.mean([f.stat().st_size for f in sets['12mp']]) / 1e6:.1f} MB", flush=True)
        if "label" not in args.skip:
            results["labeling"] = {}
            for name, files in sets.items():
                decode_s, encode_s = bare_encode(backbone, files, args.batch, args.device)
                with Classifier.zero_shot(None, ["cat", "dog", "bird", "car"], backbone=backbone) as clf:
                    cache = EmbeddingCache.for_classifier(clf, root=tmp / f"cache-{name}")
                    run = run_labeling(clf, [files[0].parent], batch_size=args.batch, cache=cache)
                assert run.n_errors == 0, run.errors
                n = len(files)
                row = {"images": n, "megapixels_mean": round(np.mean([_mp(f) for f in files]), 1),
                       "bare_encode_images_per_s": round(n / encode_s, 2),
                       "full_decode_preprocess_images_per_s": round(n / decode_s, 2),
                       "labeling_images_per_s": round(n / run.seconds, 2),
                       "labeling_vs_bare_encode": round(encode_s / run.seconds, 3)}
                results["labeling"][name] = row
                print(name, json.dumps(row), flush=True)
        if "train" not in args.skip:
            results["train_cache_build"] = _train_cache(backbone, tmp, args)
            print("train", json.dumps(results["train_cache_build"]), flush=True)
        if "add" not in args.skip:
            results["project_add"] = _project_add(tmp, args)
            print("add", json.dumps(results["project_add"]), flush=True)
    results["target"] = {"labeling_vs_bare_encode_2_cores": 0.6, "labeling_vs_bare_encode_8_plus_cores": 0.9}
    path = save_results(args.out or f"photos_{args.device.split(':')[0]}", results)
    print(f"wrote {path}")
    return 0


def _mp(path: Path) -> float:
    from PIL import Image
    with Image.open(path) as im:
        return im.width * im.height / 1e6


def _train_cache(backbone, tmp: Path, args) -> dict:
    """Training's first two stages on photos: check/prepare the images, then build the feature cache
    (frozen lower blocks and frozen CLIP, view 0 plus ``augment_views`` augmented views per image)."""
    from rmadapter_app.core.config import AdapterConfig, TrainConfig
    from rmadapter_app.core.device import resolve_device
    from rmadapter_app.core.events import no_event
    from rmadapter_app.core.train.feature_cache import build_feature_cache
    from rmadapter_app.core.train.prepare import prepare_data

    files = make_set(tmp / "train", args.train_images, mixed=False, seed=5000)
    samples = [(f, i % 5) for i, f in enumerate(files)]
    prompts = [f"a photo of a {n}." for n in ("cat", "dog", "bird", "car", "tree")]
    adapter_cfg = AdapterConfig().resolve_layers(backbone.info.vision_layers, backbone.info.text_layers)
    out = {"images": len(files)}
    for augment in (False, True):
        cfg = TrainConfig(augment=augment, device=args.device)
        dev = resolve_device(cfg.device, cfg.amp)
        t0 = time.perf_counter()
        data = prepare_data(samples, None, cfg.seed, no_event)
        t1 = time.perf_counter()
        build_feature_cache(backbone, adapter_cfg, cfg, dev, data.paths, prompts, on_event=no_event,
                            should_stop=lambda: False)
        t2 = time.perf_counter()
        key = f"views_{1 + cfg.n_augment_views}"
        out[key] = {"prepare_s": round(t1 - t0, 1), "cache_s": round(t2 - t1, 1), "total_s": round(t2 - t0, 1)}
    return out


def _project_add(tmp: Path, args) -> dict:
    from rmadapter_app.core.project.project import Project

    files = make_set(tmp / "add", args.add_images, mixed=True, seed=9000)
    project = Project.create("bench", tmp / "projects")
    project.add_class("things")
    t0 = time.perf_counter()
    result = project.add_images("things", files)
    seconds = time.perf_counter() - t0
    assert len(result.added) == len(files), (len(result.added), result.rejected[:3])
    return {"images": len(files), "seconds": round(seconds, 1), "images_per_s": round(len(files) / seconds, 2)}


if __name__ == "__main__":
    raise SystemExit(main())
