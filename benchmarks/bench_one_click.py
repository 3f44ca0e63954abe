"""Train click to saved adapter, with the defaults as shipped, against loading the model and encoding once.

The user's wait (issue 9): 5 classes x 10 camera photos (12 MP JPEGs from ``bench_photos.photo``),
``train()`` with no config at all (5 epochs, one augmented view per image and epoch, automatic
learning rate and loss balance, 5-fold cross-validation below 15 images per class) until the
adapter it keeps is ready (``AdapterReadyEvent``) and written with ``save_adapter``; then the rest
of the run (the folds that estimate its accuracy). The reference is the least any adapter could
cost: load the same model and encode those 50 photos once (decode at the model's scale, preprocess,
``encode_image``). Random weights time the same as pretrained ones (same shapes, same FLOPs).

Every measurement runs in its own fresh process (so the peak RSS, ``ru_maxrss``, is that job's
alone) and the reference and the training alternate ``--repeats`` times (the machine may be shared:
each ratio is taken between neighbouring runs, and the median reported).

    python benchmarks/bench_one_click.py                          # ViT-B-32 and ViT-B-16 on this machine
    python benchmarks/bench_one_click.py --models ViT-B-32 --repeats 3
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from common import machine_facts, save_results  # noqa: E402

CLASSES = ["cat", "dog", "bird", "car", "tree"]


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_photos(root: Path, per_class: int) -> list[tuple[Path, int]]:
    from bench_photos import photo

    samples = []
    for c, name in enumerate(CLASSES):
        folder = root / name
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(per_class):
            samples.append((photo(folder / f"IMG_{i:04d}.jpg", (4000, 3000), seed=100 * c + i), c))
    return samples


def _reference(model: str, device: str, samples, queue) -> None:
    """Load the model, decode + preprocess the photos at the model's scale, encode them once."""
    import torch

    from rmadapter_app.core.images import load_rgb
    from rmadapter_app.core.model.backbone import load_backbone

    t0 = time.perf_counter()
    backbone = load_backbone(model, pretrained=None, device=device)
    t1 = time.perf_counter()
    side = backbone.info.image_size
    x = torch.stack([backbone.preprocess(load_rgb(p, min_side=side)) for p, _ in samples])
    with torch.no_grad():
        for s in range(0, len(x), 32):
            backbone.model.encode_image(x[s:s + 32].to(device))
    if device.startswith("cuda"):
        torch.cuda.synchronize()
    t2 = time.perf_counter()
    queue.put({"load_s": t1 - t0, "encode_s": t2 - t1, "total_s": t2 - t0, "peak_rss_mb": _rss_mb()})


def _one_click(model: str, device: str, samples, out: str, queue) -> None:
    """What the Train button does with the defaults: load, train until the adapter is ready, save it."""
    import torch

    from rmadapter_app.core import events as E
    from rmadapter_app.core.model.adapter_file import save_adapter
    from rmadapter_app.core.model.backbone import load_backbone
    from rmadapter_app.core.train.loop import AdapterReadyEvent, LearningRateEvent, train

    marks: dict = {}
    t0 = time.perf_counter()
    backbone = load_backbone(model, pretrained=None, device=device)
    marks["load_s"] = time.perf_counter() - t0
    steps = {"final": 0, "folds": 0}

    def on_event(ev) -> None:
        now = time.perf_counter() - t0
        if isinstance(ev, E.ZeroShotEvent):
            marks["cached_s"] = now                          # images checked, views cached, baseline
        elif isinstance(ev, LearningRateEvent):
            marks["lr"], marks["balanced_s"] = ev.lr, now
        elif isinstance(ev, E.StepEvent):
            steps["final" if ev.fit == 0 else "folds"] += 1
        elif isinstance(ev, AdapterReadyEvent):
            r = ev.result
            save_adapter(Path(out), state=r.adapter_state, adapter_config=r.adapter_config, backbone=backbone.info,
                         class_names=r.class_names, prompts=r.prompts, train={"metrics": r.metrics})
            if device.startswith("cuda"):
                torch.cuda.synchronize()
            marks["saved_s"] = time.perf_counter() - t0
            marks["rss_at_saved_mb"] = _rss_mb()

    result = train(backbone, samples, CLASSES, on_event=on_event)
    marks["total_s"] = time.perf_counter() - t0
    marks.update(steps_final=steps["final"], steps_folds=steps["folds"], peak_rss_mb=_rss_mb(),
                 validation=result.report.validation, verdict=result.report.verdict.summary,
                 fold_accuracies=result.report.fold_accuracies)
    if device.startswith("cuda"):
        marks["cuda_peak_mb"] = torch.cuda.max_memory_allocated() / 2 ** 20
    queue.put(marks)


def _in_process(target, *args) -> dict:
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    proc = ctx.Process(target=target, args=(*args, q))
    proc.start()
    row = q.get()
    proc.join()
    return row


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--models", nargs="+", default=["ViT-B-32", "ViT-B-16"])
    p.add_argument("--per-class", type=int, default=10)
    p.add_argument("--repeats", type=int, default=2, help="alternating reference / one-click runs per model")
    p.add_argument("--device", default="auto")
    p.add_argument("--out", default=None)
    args = p.parse_args(argv)
    from rmadapter_app.core.device import resolve_device

    dev = resolve_device(args.device)
    device = str(dev.device)
    results: dict = {"machine": machine_facts(dev.description), "photos": f"{len(CLASSES)} x {args.per_class}, "
                     "12 MP JPEG", "weights": "random (times as pretrained)", "models": {}}
    with tempfile.TemporaryDirectory() as tmp:
        samples = make_photos(Path(tmp) / "photos", args.per_class)
        for model in args.models:
            refs, clicks = [], []
            for r in range(args.repeats):
                refs.append(_in_process(_reference, model, device, samples))
                print(model, "reference", json.dumps(refs[-1]), flush=True)
                clicks.append(_in_process(_one_click, model, device, samples, str(Path(tmp) / f"{model}-{r}.safetensors")))
                print(model, "one click", json.dumps(clicks[-1]), flush=True)
            ratios = [c["saved_s"] / ref["total_s"] for ref, c in zip(refs, clicks)]
            results["models"][model] = {
                "reference_s": statistics.median(x["total_s"] for x in refs),
                "reference_load_s": statistics.median(x["load_s"] for x in refs),
                "reference_encode_s": statistics.median(x["encode_s"] for x in refs),
                "click_to_saved_s": statistics.median(x["saved_s"] for x in clicks),
                "click_to_estimate_s": statistics.median(x["total_s"] for x in clicks),
                "saved_over_reference": statistics.median(ratios), "ratios": ratios,
                "peak_rss_mb_reference": max(x["peak_rss_mb"] for x in refs),
                "peak_rss_mb_at_saved": max(x["rss_at_saved_mb"] for x in clicks),
                "peak_rss_mb_training": max(x["peak_rss_mb"] for x in clicks),
                "runs": {"reference": refs, "one_click": clicks}}
    path = save_results(args.out or f"one_click_{dev.kind}", results)
    print(f"\n{'model':9} {'load+encode s':>14} {'click->saved s':>15} {'ratio':>6} {'+ estimate s':>13} "
          f"{'peak RSS MB ref/train':>22}")
    for model, m in results["models"].items():
        print(f"{model:9} {m['reference_s']:14.1f} {m['click_to_saved_s']:15.1f} {m['saved_over_reference']:6.1f} "
              f"{m['click_to_estimate_s']:13.1f} {m['peak_rss_mb_reference']:11.0f}/{m['peak_rss_mb_training']:.0f}")
    print(f"device: {dev.description}; results in {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
