"""The paper's base-to-novel protocol in miniature (CoOp/CoCoOp), offline, on the toy digits CLIP.

Classes are sorted; the first half (base) trains with N shots per class in a shifted domain; the
held-out shifted images of the base classes are classified among the base classes, those of the
novel classes among the novel classes (names only: the adapter never saw them). Reported per
method: base accuracy, novel accuracy and their harmonic mean, mean and spread over seeds.

Methods on the same data and seeds: frozen CLIP zero-shot; a linear probe on frozen image
features (cannot classify novel classes at all); the paper's Table 4 ladder (MMA alone, +
consistency, + text reconstruction, + visual reconstruction, full RMAdapter).

Every method trains with the app's defaults exactly as shipped (``TrainConfig()``: 5 epochs of
augmented views, the automatic learning rate, the balanced loss weights); only the ladder's
switches differ. The toy CLIP runs at both temperatures: the logit scale it learned (~13.5) and
real CLIP's 100 (``ensure_toy_clip(logit_scale=100)``, the same model with 7x larger logits).
Validation is switched off: with 8 or 16 images per class the app would cross-validate, which
estimates accuracy but trains the same final adapter; here the held-out test set measures it.

    python benchmarks/base_to_novel.py                      # full run: both temperatures, 3 seeds, curve
    python benchmarks/base_to_novel.py --quick              # one seed, one temperature (the test suite's variant)
    python benchmarks/base_to_novel.py --balance            # the step-0 gradient norms per loss term, then exit
    python benchmarks/base_to_novel.py --data DIR --model ViT-B-16 --pretrained openai   # real CLIP, your folders
"""
from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from rmadapter_app.core.classifier import Classifier  # noqa: E402
from rmadapter_app.core.config import LADDER, TrainConfig, ladder_loss  # noqa: E402
from rmadapter_app.core.train.data import scan_class_folders, take_shots  # noqa: E402
from rmadapter_app.core.train.loop import train  # noqa: E402

METHODS = ["zero-shot", "linear-probe", *LADDER]
TEMPERATURES = {"learned": None, "100": 100.0}    # the toy CLIP's own logit scale (~13.5) and real CLIP's
PAPER_TABLE4 = {  # METHOD.md 4.4, averages over 11 datasets (ViT-B/16)
    "mma": (83.20, 76.80, 79.87), "mma+con": (83.86, 76.31, 79.91), "mma+con+trec": (84.13, 77.18, 80.51),
    "mma+con+vrec": (84.20, 76.91, 80.39), "rmadapter": (84.52, 77.36, 80.62), "zero-shot": (69.34, 74.22, 71.70),
}


def hm(b: float | None, n: float | None) -> float | None:
    if b is None or n is None or b + n == 0:
        return None
    return 2 * b * n / (b + n)


# ---------------------------------------------------------------------------------------------- data
def toy_task(root: Path, shift: str, seed: int = 0):
    """Write the shifted digits as class folders: train pool (from the toy CLIP's train split) and test."""
    from rmadapter_app.testing import toyclip as toy

    return toy.write_shifted_task(root, shift, seed)


def load_toy_backbone(logit_scale: float | None = None):
    from rmadapter_app.core.model.backbone import load_backbone
    from rmadapter_app.testing.toyclip import ensure_toy_clip

    cfg, weights = ensure_toy_clip(logit_scale=logit_scale)
    return load_backbone(model_config=cfg, weights=weights)


def split_classes(names: list[str]) -> tuple[list[int], list[int]]:
    """Sorted class labels; base = first ceil(n/2), novel = the rest (MMA's subsample_classes)."""
    order = sorted(range(len(names)), key=lambda i: names[i])
    half = math.ceil(len(order) / 2)
    return order[:half], order[half:]


# ---------------------------------------------------------------------------------------------- eval
def accuracy(backbone, result, names, samples, template) -> float:
    """Accuracy of ``samples`` (path, original label) among ``names`` (label -> position), with the adapter
    of a training ``result`` (None: frozen CLIP zero-shot)."""
    if not samples:
        return float("nan")
    if result is None:
        clf = Classifier.zero_shot(None, [n for n, _ in names], backbone=backbone, template=template)
    else:
        clf = Classifier.from_training(result, backbone=backbone, template=template)
        clf.set_classes([n for n, _ in names])
    try:
        pos = {label: i for i, (_, label) in enumerate(names)}
        preds = clf.classify_paths([p for p, _ in samples], batch_size=128, top_k=1)
        index = {clf.class_names[i]: i for i in range(len(names))}
        hits = [index.get(p.label, -1) == pos[y] for p, (_, y) in zip(preds, samples)]
        return 100.0 * sum(hits) / len(hits)
    finally:
        clf.close()


def linear_probe(backbone, train_samples, test_samples, n_base_names) -> float:
    """Logistic regression on frozen image features (base classes only; novel is impossible)."""
    from sklearn.linear_model import LogisticRegression

    clf = Classifier.zero_shot(None, ["x"], backbone=backbone)
    try:
        def feats(samples):
            from rmadapter_app.core.images import load_rgb
            out = []
            for i in range(0, len(samples), 128):
                batch = torch.stack([backbone.preprocess(load_rgb(p)) for p, _ in samples[i:i + 128]])
                out.append(clf.embed(batch).cpu().numpy())
            return np.concatenate(out)
        xtr, ytr = feats(train_samples), [y for _, y in train_samples]
        xte, yte = feats(test_samples), [y for _, y in test_samples]
    finally:
        clf.close()
    if len(set(ytr)) < 2:
        return float("nan")
    model = LogisticRegression(max_iter=2000, C=1.0).fit(xtr, ytr)
    return 100.0 * float((model.predict(xte) == np.array(yte)).mean())


# ---------------------------------------------------------------------------------------------- runs
def run_method(method, backbone, pool, test, names, base, novel, shots, seed, cfg_base, template, log):
    base_set, novel_set = set(base), set(novel)
    train_samples = take_shots([s for s in pool if s[1] in base_set], shots, seed)
    test_base = [s for s in test if s[1] in base_set]
    test_novel = [s for s in test if s[1] in novel_set]
    base_names = [(names[i], i) for i in base]
    novel_names = [(names[i], i) for i in novel]
    t0 = time.perf_counter()
    if method == "zero-shot":
        b = accuracy(backbone, None, base_names, test_base, template)
        n = accuracy(backbone, None, novel_names, test_novel, template)
        return {"base": b, "novel": n, "hm": hm(b, n), "seconds": time.perf_counter() - t0}
    if method == "linear-probe":
        b = linear_probe(backbone, train_samples, test_base, len(base))
        return {"base": b, "novel": None, "hm": None, "seconds": time.perf_counter() - t0,
                "note": "a linear probe has no weights for unseen classes: novel accuracy does not exist"}
    # remap labels to positions within the base classes
    remap = {lab: i for i, lab in enumerate(base)}
    samples = [(p, remap[y]) for p, y in train_samples]
    cfg = replace(cfg_base, seed=seed, loss=ladder_loss(method, cfg_base.loss), validation="none")
    result = train(backbone, samples, [names[i] for i in base], template=template, config=cfg)
    b = accuracy(backbone, result, base_names, test_base, template)
    n = accuracy(backbone, result, novel_names, test_novel, template)
    out = {"base": b, "novel": n, "hm": hm(b, n), "seconds": time.perf_counter() - t0,
           "steps": result.metrics["steps"]}
    if log is not None:
        log[method] = result.history
    return out


def safe_run(*args) -> dict:
    """run_method, but a diverged training run is recorded (and reported) instead of ending the benchmark."""
    from rmadapter_app.core.errors import RMAdapterError
    try:
        return run_method(*args)
    except RMAdapterError as exc:
        return {"base": None, "novel": None, "hm": None, "seconds": None, "failed": str(exc)}


def fmt_run(r: dict) -> str:
    if r.get("failed"):
        return f"FAILED: {r['failed']}"
    novel = "n/a" if r["novel"] is None else f"{r['novel']:.2f}"
    return f"base {r['base']:.2f} novel {novel} ({r['seconds']:.1f}s)"


def summarise(runs: list[dict]) -> dict:
    out = {}
    for key in ("base", "novel"):
        vals = [r[key] for r in runs if r.get(key) is not None and not math.isnan(r[key])]
        out[key] = statistics.mean(vals) if vals else None
        out[key + "_std"] = statistics.pstdev(vals) if len(vals) > 1 else 0.0 if vals else None
    out["hm"] = hm(out["base"], out["novel"])   # HM of the averages (CoOp/MaPLe convention, METHOD A12)
    hms = [r["hm"] for r in runs if r.get("hm") is not None]
    out["mean_of_hm"] = statistics.mean(hms) if hms else None
    out["failed_runs"] = sum(1 for r in runs if r.get("failed"))
    return out


def balance_figures(backbone, pool, names, base, shots, seeds, cfg, template) -> dict:
    """Step-0 gradient norms per loss term and layer group: raw terms (weight 1) and as the run weights them."""
    from rmadapter_app.core.config import LossConfig
    from rmadapter_app.core.train.balance import measure_loss_balance, unit_weights

    remap = {lab: i for i, lab in enumerate(base)}
    out = {}
    for seed in seeds:
        samples = [(p, remap[y]) for p, y in take_shots([s for s in pool if s[1] in remap], shots, seed)]
        base_names = [names[i] for i in base]
        raw = measure_loss_balance(backbone, samples, base_names, template=template,
                                   config=replace(cfg, seed=seed, loss=unit_weights(cfg.loss)))
        result = train(backbone, samples, base_names, template=template,
                       config=replace(cfg, seed=seed, epochs=1, validation="none"))
        used = measure_loss_balance(backbone, samples, base_names, template=template,
                                    config=replace(cfg, seed=seed, loss=LossConfig(**result.report.loss_weights,
                                                                                   balance=False)))
        paper = measure_loss_balance(backbone, samples, base_names, template=template, config=replace(
            cfg, seed=seed, loss=LossConfig(consistency_image=10, consistency_text=25, recon_visual=0.1,
                                            recon_text=0.1, balance=False)))
        out[seed] = {"raw": raw.norms, "raw_values": raw.losses, "weights": result.report.loss_weights,
                     "balanced": used.norms, "previous_defaults": paper.norms,
                     "dominance": {k: {g: b.dominance(g) for g in ("down_visual", "down_text")}
                                   for k, b in (("raw", raw), ("balanced", used), ("previous_defaults", paper))}}
        print(f"seed {seed}, raw terms (weight 1):\n{raw.table()}\nprevious defaults (10/25/0.1/0.1):\n"
              f"{paper.table()}\nbalanced, weights {result.report.loss_weights}:\n{used.table()}",
              file=sys.stderr, flush=True)
    return out


def run_temperature(args, cfg, backbone, pool, test, names, base, novel, template) -> dict:
    out: dict = {"methods": {}, "curve": {}, "recon_sweep": {}, "loss_curves": {}}
    for method in args.methods:
        runs = []
        for seed in args.seeds:
            r = safe_run(method, backbone, pool, test, names, base, novel, args.shots, seed, cfg,
                         template, out["loss_curves"] if seed == args.seeds[0] else None)
            runs.append(r)
            print(f"{method:14} seed {seed}: {fmt_run(r)}", file=sys.stderr, flush=True)
        out["methods"][method] = {"runs": runs, **summarise(runs)}
    for method in args.curve_methods if args.curve else []:
        out["curve"][method] = {}
        for shots in args.curve:
            runs = [safe_run(method, backbone, pool, test, names, base, novel, shots, seed, cfg, template, None)
                    for seed in args.seeds]
            out["curve"][method][shots] = summarise(runs)
            print(f"curve {method} {shots} shots: base {out['curve'][method][shots]['base']}",
                  file=sys.stderr, flush=True)
    for weight in args.recon_sweep:
        swept = replace(cfg, loss=replace(cfg.loss, recon_visual=weight, recon_text=weight))
        runs = [safe_run("rmadapter", backbone, pool, test, names, base, novel, args.shots, seed, swept,
                         template, None) for seed in args.seeds]
        out["recon_sweep"][str(weight)] = {"runs": runs, **summarise(runs)}
        print(f"recon weight {weight}: " + "; ".join(fmt_run(r) for r in runs), file=sys.stderr, flush=True)
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="Base-to-novel benchmark (RMAdapter's protocol in miniature).")
    p.add_argument("--quick", action="store_true", help="one seed, one temperature, 4 methods (used by the tests)")
    p.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    p.add_argument("--shots", type=int, default=8, help="images per base class (default 8: 5 classes x 8 images)")
    p.add_argument("--curve", type=int, nargs="*", default=[1, 2, 4, 8, 16], help="shots for the few-shot curve")
    p.add_argument("--curve-methods", nargs="*", default=["linear-probe", "mma", "rmadapter"])
    p.add_argument("--methods", nargs="+", default=METHODS)
    p.add_argument("--temperatures", nargs="+", default=list(TEMPERATURES), choices=list(TEMPERATURES),
                   help="toy CLIP logit scales: learned (~13.5) and/or 100 (real CLIP's)")
    p.add_argument("--recon-sweep", type=float, nargs="*", default=[0.1, 0.3, 1.0],
                   help="relative reconstruction weights to try with full RMAdapter (the default is 0.3)")
    p.add_argument("--balance", action="store_true", help="only measure the step-0 gradient norms per loss term")
    p.add_argument("--shift", default="mixed", help="toy domain shift (rotate, invert, noise, color, style, mixed)")
    p.add_argument("--epochs", type=int)
    p.add_argument("--lr", type=float, help="learning rate (default: the app's automatic one)")
    p.add_argument("--recon-weight", type=float, help="lambda1 = lambda2 (relative to the CE's step-0 gradient)")
    p.add_argument("--data", type=Path, help="a folder of class folders (real data); split 50/50 into pool/test")
    p.add_argument("--model", default="ViT-B-16")
    p.add_argument("--pretrained", default="openai")
    p.add_argument("--template", default="a photo of a {}.")
    p.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results" / "base_to_novel.json")
    args = p.parse_args(argv)
    torch.set_num_threads(max(1, torch.get_num_threads()))

    cfg = TrainConfig()                                   # the defaults as shipped
    if args.quick:
        args.seeds, args.curve, args.recon_sweep, args.temperatures = args.seeds[:1], [], [], args.temperatures[:1]
        args.methods = [m for m in args.methods if m in ("zero-shot", "linear-probe", "mma", "rmadapter")]
    if args.epochs:
        cfg = replace(cfg, epochs=args.epochs)
    if args.lr:
        cfg = replace(cfg, lr=args.lr)
    if args.recon_weight is not None:
        cfg = replace(cfg, loss=replace(cfg.loss, recon_visual=args.recon_weight, recon_text=args.recon_weight))

    results: dict = {"paper_table4": PAPER_TABLE4, "temperatures": {}}
    with tempfile.TemporaryDirectory() as tmp:
        if args.data:
            from rmadapter_app.core.model.backbone import load_backbone
            found = scan_class_folders(args.data)
            rng = np.random.default_rng(0)
            pool, test = [], []
            for s in found.samples:
                (pool if rng.random() < 0.5 else test).append(s)
            names = found.class_names
            backbones = {"checkpoint": lambda: load_backbone(args.model, pretrained=args.pretrained)}
            setup = {"data": str(args.data)}
        else:
            pool_dir, test_dir = toy_task(Path(tmp), args.shift)
            pool_data, test_data = scan_class_folders(pool_dir), scan_class_folders(test_dir)
            names, pool, test = pool_data.class_names, pool_data.samples, test_data.samples
            backbones = {t: (lambda scale=TEMPERATURES[t]: load_toy_backbone(scale)) for t in args.temperatures}
            setup = {"data": f"sklearn digits, toy CLIP, shift={args.shift}"}
        base, novel = split_classes(names)
        setup.update({"base_classes": [names[i] for i in base], "novel_classes": [names[i] for i in novel],
                      "pool_images": len(pool), "test_images": len(test), "seeds": args.seeds,
                      "shots": args.shots, "train_config": cfg.to_dict(), "validation": "none (test set instead)"})
        results["setup"] = setup
        print(json.dumps(setup), file=sys.stderr)
        for name, make in backbones.items():
            backbone = make()
            print(f"--- {name}: {backbone.info.label}, logit scale {float(backbone.logit_scale):.1f}",
                  file=sys.stderr, flush=True)
            if args.balance:
                results["temperatures"][name] = {"balance": balance_figures(
                    backbone, pool, names, base, args.shots, args.seeds, cfg, args.template)}
                continue
            results["temperatures"][name] = run_temperature(args, cfg, backbone, pool, test, names, base, novel,
                                                            args.template)
            results["temperatures"][name]["logit_scale"] = float(backbone.logit_scale)
    first = next(iter(results["temperatures"].values()))
    results.update({k: first[k] for k in ("methods", "curve", "recon_sweep", "loss_curves") if k in first})
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, default=float) + "\n")
    if not args.balance:
        for name, r in results["temperatures"].items():
            print(f"\n=== toy CLIP, logit scale {name} ===" if not args.data else "")
            print_table(r)
    return 0


def print_table(results: dict) -> None:
    print(f"\n{'method':14} {'base':>14} {'novel':>14} {'HM':>7}   paper B/N/HM (ViT-B/16, 11 datasets)")
    for method, r in results["methods"].items():
        def fmt(key):
            v, s = r.get(key), r.get(key + "_std")
            return f"{v:6.2f} ± {s:4.2f}" if v is not None else f"{'n/a':>14}"
        hm_v = f"{r['hm']:7.2f}" if r.get("hm") is not None else f"{'n/a':>7}"
        paper = PAPER_TABLE4.get(method)
        print(f"{method:14} {fmt('base'):>14} {fmt('novel'):>14} {hm_v}   "
              + ("/".join(f"{x:.2f}" for x in paper) if paper else "-")
              + (f"   ({r['failed_runs']} run(s) diverged)" if r.get("failed_runs") else ""))
    for weight, r in results.get("recon_sweep", {}).items():
        hm_v = f"{r['hm']:.2f}" if r.get("hm") is not None else "n/a"
        print(f"rmadapter with lambda1=lambda2={weight}: HM {hm_v}, diverged runs {r['failed_runs']}")


if __name__ == "__main__":
    raise SystemExit(main())
