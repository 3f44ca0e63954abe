"""Plots for docs/BENCHMARKS.md from the benchmark JSON files (matplotlib, PNG).

    python benchmarks/plots.py            # reads benchmarks/results/*.json, writes docs/benchmarks/*.png
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
LABELS = {"zero-shot": "zero-shot", "linear-probe": "linear probe", "mma": "MMA", "mma+con": "+ consistency",
          "mma+con+trec": "+ text rec.", "mma+con+vrec": "+ visual rec.", "rmadapter": "RMAdapter (full)"}


def bars(res: dict, out: Path) -> None:
    methods = list(res["methods"])
    fig, ax = plt.subplots(figsize=(9, 4))
    width = 0.27
    for j, (key, colour) in enumerate((("base", "#4C72B0"), ("novel", "#DD8452"), ("hm", "#55A868"))):
        vals = [res["methods"][m].get(key) for m in methods]
        errs = [res["methods"][m].get(key + "_std") or 0 for m in methods]
        xs = [i + (j - 1) * width for i in range(len(methods))]
        ax.bar([x for x, v in zip(xs, vals) if v is not None], [v for v in vals if v is not None], width,
               yerr=[e for e, v in zip(errs, vals) if v is not None], label={"hm": "harmonic mean"}.get(key, key),
               color=colour, capsize=2)
    ax.set_xticks(range(len(methods)), [LABELS.get(m, m) for m in methods], rotation=20, ha="right")
    ax.set_ylabel("accuracy (%)")
    ax.set_title("Base-to-novel on shifted digits (toy CLIP), mean ± sd over seeds")
    lo = min(v for m in methods for k in ("base", "novel") if (v := res["methods"][m].get(k)) is not None)
    ax.set_ylim(max(0, lo - 15), 100)
    ax.legend(loc="upper left", ncol=3)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def curve(res: dict, out: Path) -> None:
    if not res.get("curve"):
        return
    fig, ax = plt.subplots(figsize=(6, 4))
    for method, by_shots in res["curve"].items():
        shots = sorted(by_shots, key=int)
        ax.errorbar([int(s) for s in shots], [by_shots[s]["base"] for s in shots],
                    yerr=[by_shots[s]["base_std"] or 0 for s in shots], marker="o", capsize=3,
                    label=LABELS.get(method, method))
    zs = res["methods"].get("zero-shot", {}).get("base")
    if zs is not None:
        ax.axhline(zs, ls="--", color="grey", label="zero-shot")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("shots per base class")
    ax.set_ylabel("base accuracy (%)")
    ax.set_title("Few-shot curve (base classes)")
    ax.legend()
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def losses(res: dict, out: Path, method: str = "rmadapter") -> None:
    hist = res.get("loss_curves", {}).get(method)
    if not hist:
        return
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
    steps = [h["step"] for h in hist]
    for key in ("ce", "consistency"):
        axes[0].plot(steps, [h[key] for h in hist], label=key)
    for key in ("recon_v", "recon_t", "total"):
        axes[1].plot(steps, [h[key] for h in hist], label=key)
    axes[0].set_title(f"{LABELS.get(method, method)}: task losses")
    axes[1].set_title("reconstruction losses and the weighted total")
    axes[1].set_yscale("log")
    for ax in axes:
        ax.set_xlabel("step")
        ax.legend()
        ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--results", type=Path, default=ROOT / "benchmarks" / "results")
    p.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks")
    args = p.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    b2n = args.results / "base_to_novel.json"
    if b2n.is_file():
        res = json.loads(b2n.read_text())
        bars(res, args.out / "base_to_novel.png")
        curve(res, args.out / "shots_curve.png")
        losses(res, args.out / "loss_curves.png")
    print("\n".join(str(p) for p in sorted(args.out.glob("*.png"))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
