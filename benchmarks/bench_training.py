"""Training-step time and peak memory, cached vs uncached, on ViT-B/32 and ViT-B/16 architectures.

Random weights time the same as pretrained ones. Each (model, mode) runs in its own process so
peak memory (CUDA: max allocated; CPU: peak RSS growth) belongs to that mode alone. The step
time is the median wall time between consecutive StepEvents (the one-off feature caching is
reported separately). The cached/uncached ratio is measured within one invocation.

    python benchmarks/bench_training.py                  # ViT-B-32 and ViT-B-16, CPU or GPU
    python benchmarks/bench_training.py --models ViT-B-32 --steps 4 --device cpu
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
from common import machine_facts, save_results, write_synthetic_folder  # noqa: E402


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run_one(model: str, cache: bool, steps: int, batch: int, classes: int, device: str, queue) -> None:
    import torch

    from rmadapter_app.core import events as E
    from rmadapter_app.core.model.backbone import load_backbone
    from rmadapter_app.core.config import TrainConfig
    from rmadapter_app.core.train.data import scan_class_folders
    from rmadapter_app.core.train.loop import train

    with tempfile.TemporaryDirectory() as tmp:
        root = write_synthetic_folder(Path(tmp) / "data", classes, max(2, (batch * steps) // classes + 1))
        data = scan_class_folders(root)
        backbone = load_backbone(model, device=device)
        matmul = matmul_flops_per_s(device)          # the same process and moment as the timing
        base_rss = _rss_mb()
        if torch.cuda.is_available() and device.startswith("cuda"):
            torch.cuda.reset_peak_memory_stats()
        stamps: list[float] = []
        t0 = time.perf_counter()

        def on_event(ev):
            if isinstance(ev, E.StepEvent):
                if device.startswith("cuda"):
                    torch.cuda.synchronize()
                stamps.append(time.perf_counter())

        cfg = TrainConfig(epochs=1, batch_size=batch, cache=cache, device=device, validation="none")
        train(backbone, data.samples[: batch * (steps + 1)], data.class_names, config=cfg,
              on_event=on_event, should_stop=lambda: len(stamps) >= steps + 1)
        deltas = [b - a for a, b in zip(stamps, stamps[1:])]
        peak = (torch.cuda.max_memory_allocated() / 2 ** 20) if device.startswith("cuda") else _rss_mb() - base_rss
        queue.put({"model": model, "cache": cache, "step_s": statistics.median(deltas), "steps_timed": len(deltas),
                   "setup_s": stamps[0] - t0,  # backbone on device, caching, first step
                   "peak_mb": peak, "step_flops": _step_flops(backbone, data, batch, cache, device),
                   "matmul_flops_per_s": matmul,
                   "peak_kind": "cuda max allocated" if device.startswith("cuda") else "RSS growth (max RSS)",
                   "batch": batch, "classes": classes})


def _step_flops(backbone, data, batch: int, cache: bool, device: str) -> float:
    """FLOPs of one training step (forward + backward), counted by torch: a 2-step run minus a 1-step run."""
    from torch.utils.flop_counter import FlopCounterMode

    from rmadapter_app.core import events as E
    from rmadapter_app.core.config import TrainConfig
    from rmadapter_app.core.train.loop import train

    def count(steps: int) -> int:
        seen = []
        cfg = TrainConfig(epochs=1, batch_size=batch, cache=cache, device=device, validation="none")
        with FlopCounterMode(display=False) as fc:
            train(backbone, data.samples[: batch * 3], data.class_names, config=cfg,   # same images both times
                  on_event=lambda ev: seen.append(1) if isinstance(ev, E.StepEvent) else None,
                  should_stop=lambda: len(seen) >= steps)
        return fc.get_total_flops()

    return float(count(2) - count(1))


def matmul_flops_per_s(device: str, sizes=(1024, 2048, 4096), repeats: int = 5) -> float:
    """The machine's own fp32 matmul throughput: the best of square sizes (median of repeats each).

    This is the denominator of "fraction of the machine's matmul throughput"; it is a practical
    peak, so a model whose matmuls are shaped better than these can land slightly above 100 %.
    """
    import torch

    best = 0.0
    for n in sizes:
        a = torch.randn(n, n, device=device)
        b = torch.randn(n, n, device=device)
        torch.matmul(a, b)
        times = []
        for _ in range(repeats):
            if device.startswith("cuda"):
                torch.cuda.synchronize()
            t = time.perf_counter()
            torch.matmul(a, b)
            if device.startswith("cuda"):
                torch.cuda.synchronize()
            times.append(time.perf_counter() - t)
        best = max(best, 2 * n ** 3 / statistics.median(times))
    return best


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--models", nargs="+", default=["ViT-B-32", "ViT-B-16"])
    p.add_argument("--steps", type=int, default=3, help="timed steps per mode")
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--classes", type=int, default=10)
    p.add_argument("--device", default="auto")
    p.add_argument("--out", default="training_speed")
    args = p.parse_args(argv)
    from rmadapter_app.core.device import resolve_device
    dev = resolve_device(args.device)
    ctx = mp.get_context("spawn")
    rows = []
    for model in args.models:
        for cache in (True, False):
            q = ctx.Queue()
            proc = ctx.Process(target=_run_one, args=(model, cache, args.steps, args.batch, args.classes,
                                                      str(dev.device), q))
            proc.start()
            row = q.get()
            proc.join()
            rows.append(row)
            print(json.dumps(row), flush=True)
    summary = {}
    for model in args.models:
        c = next(r for r in rows if r["model"] == model and r["cache"])
        u = next(r for r in rows if r["model"] == model and not r["cache"])
        summary[model] = {"cached_step_s": round(c["step_s"], 4), "uncached_step_s": round(u["step_s"], 4),
                          "cached_over_uncached": round(c["step_s"] / u["step_s"], 3),
                          "cached_peak_mb": round(c["peak_mb"], 1), "uncached_peak_mb": round(u["peak_mb"], 1),
                          "cache_setup_s": round(c["setup_s"], 2) if c["setup_s"] else None,
                          "cached_step_gflop": round(c["step_flops"] / 1e9, 2),
                          "uncached_step_gflop": round(u["step_flops"] / 1e9, 2),
                          "cached_fraction_of_matmul_peak": round(c["step_flops"] / c["step_s"] / c["matmul_flops_per_s"], 3),
                          "uncached_fraction_of_matmul_peak": round(u["step_flops"] / u["step_s"] / u["matmul_flops_per_s"], 3),
                          "matmul_gflops_per_s": [round(c["matmul_flops_per_s"] / 1e9, 1),
                                                  round(u["matmul_flops_per_s"] / 1e9, 1)]}
    payload = {"machine": machine_facts(dev.description), "batch": args.batch, "classes": args.classes,
               "rows": rows, "summary": summary}
    path = save_results(args.out, payload)
    print(f"\n{'model':10} {'cached s/step':>14} {'uncached s/step':>16} {'ratio':>6} {'peak MB c/u':>14} "
          f"{'GFLOP c/u':>12} {'% of matmul c/u':>16}")
    for model, s in summary.items():
        print(f"{model:10} {s['cached_step_s']:14.3f} {s['uncached_step_s']:16.3f} {s['cached_over_uncached']:6.2f} "
              f"{s['cached_peak_mb']:8.0f}/{s['uncached_peak_mb']:<5.0f} "
              f"{s['cached_step_gflop']:6.1f}/{s['uncached_step_gflop']:<5.1f} "
              f"{100 * s['cached_fraction_of_matmul_peak']:7.1f}/{100 * s['uncached_fraction_of_matmul_peak']:.1f}")
    print("matmul throughput (fp32, best of 1024/2048/4096 square, measured in each run's process): "
          + ", ".join(f"{m} {s['matmul_gflops_per_s'][0]}/{s['matmul_gflops_per_s'][1]} GFLOP/s" for m, s in summary.items()))
    print(f"device: {dev.description}; results in {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
