"""Labeling throughput against open_clip's own ``encode_image``, and re-scoring from the cache.

In one process, on the same generated JPEGs (224 px) and the same ViT backbone (random weights
time the same as pretrained ones), it measures:

* raw encode: ``model.encode_image`` over already-preprocessed batches (the model alone);
* raw end-to-end: decode + preprocess + ``encode_image``, one batch after another (a plain loop);
* labeling: :func:`run_labeling` end to end with an RMAdapter attached (listing, hashing,
  prefetch decode, adapted encoder, embedding cache writes, scoring) on an empty cache;
* re-score from the cache: a new threshold (rescore + plan) and an added class name
  (text features for the new list + rescore + plan), and their ratio to the first pass.

Each throughput is the best of ``--rounds`` interleaved rounds (the machine is shared).

    python benchmarks/bench_labeling.py                       # CPU, 256 images, ViT-B-32 (about 2-3 min on 2 cores)
    python benchmarks/bench_labeling.py --device cuda --images 2048 --rounds 3
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine_facts, save_results, write_synthetic_folder  # noqa: E402

CLASSES = ["cat", "dog", "bird", "car", "tree", "house", "boat", "flower", "horse", "person"]


def _sync(device: str) -> None:
    import torch
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def _raw_encode(model, tensors, batch: int, device: str) -> float:
    import torch
    t0 = time.perf_counter()
    with torch.no_grad():
        for s in range(0, len(tensors), batch):
            model.encode_image(torch.stack(tensors[s:s + batch]).to(device))
    _sync(device)
    return time.perf_counter() - t0


def _raw_end_to_end(model, preprocess, files, batch: int, device: str) -> float:
    import torch
    from PIL import Image
    t0 = time.perf_counter()
    with torch.no_grad():
        for s in range(0, len(files), batch):
            ims = []
            for f in files[s:s + batch]:
                with Image.open(f) as im:
                    ims.append(preprocess(im.convert("RGB")))
            model.encode_image(torch.stack(ims).to(device))
    _sync(device)
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="ViT-B-32")
    ap.add_argument("--images", type=int, default=256)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--out", default=None, help="results name (default: labeling, or labeling_<device>)")
    args = ap.parse_args()

    import torch

    from rmadapter_app.core.classifier import Classifier
    from rmadapter_app.core.config import AdapterConfig
    from rmadapter_app.core.images import iter_image_files, load_rgb
    from rmadapter_app.core.label.embedding_cache import EmbeddingCache
    from rmadapter_app.core.label.engine import rescore, run_labeling
    from rmadapter_app.core.label.plan import plan_labeling
    from rmadapter_app.core.model.adapter import AdapterSet
    from rmadapter_app.core.model.adapter_file import save_adapter
    from rmadapter_app.core.model.backbone import load_backbone
    from rmadapter_app.core.naming import DEFAULT_TEMPLATE

    load_start = os.getloadavg()
    facts = machine_facts(args.device)
    print("machine:", json.dumps(facts), flush=True)
    torch.manual_seed(0)
    backbone = load_backbone(args.model, device=args.device)
    info = backbone.info
    cfg = AdapterConfig().resolve_layers(info.vision_layers, info.text_layers)
    adapters = AdapterSet(cfg, info.vision_width, info.text_width)
    with torch.no_grad():
        for p in adapters.parameters():
            p.normal_(0, 0.02)      # a non-trivial adapter (freshly initialised ones are near identity)

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        per_class = max(1, args.images // 4)
        adapter_file = save_adapter(tmp / "bench.rmadapter.safetensors", state=adapters.inference_state_dict(),
                                    adapter_config=cfg, backbone=info, class_names=CLASSES,
                                    prompts=[DEFAULT_TEMPLATE.format(c) for c in CLASSES])
        folder = write_synthetic_folder(tmp / "images", 4, per_class, size=224)
        files = list(iter_image_files([folder]))
        n = len(files)
        print(f"{n} JPEGs of 224x224 px, batch {args.batch}, {args.model} on {args.device}", flush=True)

        t0 = time.perf_counter()
        tensors = [backbone.preprocess(load_rgb(f)) for f in files]
        preprocess_s = time.perf_counter() - t0
        _raw_encode(backbone.model, tensors[: args.batch], args.batch, args.device)   # warm-up

        raw_encode, raw_e2e, label, runs = [], [], [], []
        for r in range(args.rounds):
            raw_encode.append(_raw_encode(backbone.model, tensors, args.batch, args.device))
            raw_e2e.append(_raw_end_to_end(backbone.model, backbone.preprocess, files, args.batch, args.device))
            with Classifier.from_adapter_file(adapter_file, backbone=backbone) as clf:
                cache = EmbeddingCache.for_classifier(clf, root=tmp / f"cache{r}")
                run = run_labeling(clf, [folder], batch_size=args.batch, cache=cache)
            assert run.encoded == n and run.n_errors == 0
            label.append(run.seconds)
            runs.append((run, cache))
            print(f"round {r + 1}: raw encode {n / raw_encode[-1]:.1f} img/s, raw end-to-end "
                  f"{n / raw_e2e[-1]:.1f} img/s, labeling {n / label[-1]:.1f} img/s", flush=True)
        del tensors

        run, cache = runs[0]
        first_pass = label[0]
        with Classifier.from_adapter_file(adapter_file, backbone=backbone) as clf:
            calls = []
            original = clf.embed
            clf.embed = lambda x: (calls.append(1), original(x))[1]
            t0 = time.perf_counter()
            again = rescore(run, clf, cache=cache)
            plan = plan_labeling(again.results(), threshold=0.5, out_dir=None, mode="none",
                                 class_names=again.class_names)
            threshold_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            clf.add_classes(["bicycle"])
            text_s = time.perf_counter() - t0            # the text tower for the new class list
            added = rescore(run, clf, cache=cache)
            plan = plan_labeling(added.results(), threshold=0.5, out_dir=None, mode="none",
                                 class_names=added.class_names)
            added_s = time.perf_counter() - t0
            assert not calls and len(plan.entries) == n and added.probs.shape == (n, len(CLASSES) + 1)

    best = {"raw_encode": n / min(raw_encode), "raw_end_to_end": n / min(raw_e2e), "labeling": n / min(label)}
    payload = {
        "machine": facts, "model": args.model, "weights": "random", "images": n, "image_px": 224,
        "batch": args.batch, "rounds": args.rounds, "device": args.device,
        "images_per_s": {k: round(v, 2) for k, v in best.items()},
        "images_per_s_per_round": {
            "raw_encode": [round(n / s, 2) for s in raw_encode], "raw_end_to_end": [round(n / s, 2) for s in raw_e2e],
            "labeling": [round(n / s, 2) for s in label]},
        "preprocess_only_images_per_s": round(n / preprocess_s, 1),
        "labeling_vs_raw_end_to_end": round(best["labeling"] / best["raw_end_to_end"], 3),
        "labeling_vs_raw_encode": round(best["labeling"] / best["raw_encode"], 3),
        "first_pass_s": round(first_pass, 3),
        "rescore_new_threshold_s": round(threshold_s, 4),
        "rescore_added_class_s": round(added_s, 4),
        "rescore_added_class_text_encoder_s": round(text_s, 4),
        "load_average_start_end": [round(x, 2) for x in load_start] + [round(x, 2) for x in os.getloadavg()],
        "rescore_speedup_new_threshold": round(first_pass / threshold_s, 1),
        "rescore_speedup_added_class": round(first_pass / added_s, 1),
        "targets": {"labeling_vs_raw": 0.9, "rescore_speedup": 20},
        "note": "labeling = run_labeling end to end (list, hash, prefetch decode, adapted encoder, cache write, "
                "scores) with an RMAdapter attached; raw = open_clip model.encode_image without adapters. "
                "The added-class re-score is a fixed cost (the text tower over the class prompts) plus a pass "
                "over cached embeddings, so its ratio to the first pass grows with the folder size. "
                "load_average_start_end: 1/5/15-min load at start, then at end (the machine may be shared).",
    }
    name = args.out or ("labeling" if args.device == "cpu" else f"labeling_{args.device.split(':')[0]}")
    path = save_results(name, payload)
    print(json.dumps({k: payload[k] for k in ("images_per_s", "labeling_vs_raw_end_to_end", "labeling_vs_raw_encode",
                                                "first_pass_s", "rescore_new_threshold_s", "rescore_added_class_s",
                                                "rescore_added_class_text_encoder_s", "load_average_start_end",
                                                "rescore_speedup_new_threshold", "rescore_speedup_added_class")},
                     indent=2))
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
