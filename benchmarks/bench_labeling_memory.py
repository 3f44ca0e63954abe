"""Labeling memory on large folders: peak RSS growth for 2,000 vs 20,000 images (bounded memory).

Small generated PNGs and a tiny open_clip model keep the run short; what is measured is how the
app's own bookkeeping (listing, prefetch queue, embedding cache, results) grows with the folder.
Each size runs in its own process.

    python benchmarks/bench_labeling_memory.py [--sizes 2000 20000]
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine_facts, save_results  # noqa: E402

TINY = {"embed_dim": 32,
        "vision_cfg": {"image_size": 32, "layers": 2, "width": 32, "patch_size": 16, "head_width": 16},
        "text_cfg": {"context_length": 77, "vocab_size": 49408, "width": 32, "heads": 2, "layers": 2}}


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _write_pngs(root: Path, n: int) -> None:
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(0)
    tiles = [rng.integers(0, 255, (48, 48, 3), dtype=np.uint8) for _ in range(64)]
    for i in range(n):
        folder = root / f"sub{i // 1000:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        arr = tiles[i % 64].copy()
        arr[0, 0] = (i & 255, (i >> 8) & 255, (i >> 16) & 255)   # every file unique: no cache hits
        Image.fromarray(arr).save(folder / f"img{i:06d}.png")


def _run(n: int, queue) -> None:
    import torch

    from rmadapter_app.core.classifier import Classifier
    from rmadapter_app.core.label.embedding_cache import EmbeddingCache
    from rmadapter_app.core.label.engine import run_labeling
    from rmadapter_app.core.model.spec import BackboneSpec

    torch.manual_seed(0)
    with tempfile.TemporaryDirectory() as tmp:
        cfg = Path(tmp) / "tiny-label-bench.json"
        cfg.write_text(json.dumps(TINY))
        data = Path(tmp) / "images"
        _write_pngs(data, n)
        spec = BackboneSpec("tiny-label-bench", pretrained=None, model_config=cfg)
        with Classifier.zero_shot(spec, ["cat", "dog", "bird"], device="cpu") as clf:
            cache = EmbeddingCache.for_classifier(clf, root=Path(tmp) / "cache")
            base = _rss_mb()
            t = time.perf_counter()
            run = run_labeling(clf, [data], batch_size=64, cache=cache)
            seconds = time.perf_counter() - t
            rows = run.results(top_k=3)
        queue.put({"images": n, "scored": sum(r.error is None for r in rows), "seconds": round(seconds, 1),
                   "images_per_s": round(n / seconds, 1), "peak_rss_growth_mb": round(_rss_mb() - base, 1)})


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    args = p.parse_args(argv)
    ctx = mp.get_context("spawn")
    rows = []
    for n in args.sizes:
        q = ctx.Queue()
        proc = ctx.Process(target=_run, args=(n, q))
        proc.start()
        rows.append(q.get())
        proc.join()
        print(json.dumps(rows[-1]), flush=True)
    path = save_results("labeling_memory", {"machine": machine_facts("cpu"), "rows": rows})
    print(f"results in {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
