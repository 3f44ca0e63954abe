"""Labeling through a local Ray cluster against single-process labeling, and a projection to 1 million photos.

On the same generated 12 MP JPEGs (``bench_photos.photo``) and one ViT backbone (random weights,
saved to a file so that every worker loads the same ones), it measures:

* single process: :func:`run_labeling` end to end on an empty cache;
* Ray: :func:`label_on_ray` through an in-process Ray cluster on 127.0.0.1 with 2 CPUs, as
  1 worker x 2 CPUs, 2 workers x 1 CPU, and 1 worker x 2 CPUs with the bytes read on the driver
  (``--ray-send-bytes``); each on an empty cache and a fresh file-hash index. Reported: wall time,
  the fixed start-up (until the first block comes back: worker processes, imports, model build),
  the steady rate after it, and the overhead per image against the single process;
* a rerun of the same folder (everything cached): what a resume costs the driver;
* the driver's resume check per file: a stat + hash-index lookup against reading + hashing the
  file (what a driver that hashed itself would pay);
* decoding one 12 MP JPEG at the model's size on one core (read, hash, draft decode, preprocess).

Then it projects the wall time for 1,000,000 12 MP images on N GPU nodes, with the arithmetic
shown. No GPU was measured here: the per-GPU encoder rate is an ASSUMPTION taken from a published
benchmark (``--gpu-images-per-s``, see its help), and a node's rate is the smaller of its GPUs'
rate and its cores' decoding rate measured here.

    python benchmarks/bench_ray.py                    # about 6 min on 2 shared cores
    python benchmarks/bench_ray.py --images 96 --gpu-images-per-s 1500 --cores-per-node 64
"""
from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_photos import make_set  # noqa: E402
from common import machine_facts, save_results  # noqa: E402

CLASSES = ["cat", "dog", "bird", "car"]
# timm's published inference benchmark (huggingface/pytorch-image-models, results/
# benchmark-infer-amp-nchw-pt240-cu124-rtx4090.csv): one RTX 4090, PyTorch 2.4, AMP, batch 1024,
# 224 px: vit_base_patch16_clip_224 2783.55 images/s, vit_base_patch32_clip_224 10127.52 images/s.
# The app's workers encode in fp32, so these are upper bounds for the GPU side.
PUBLISHED_GPU_RATE = {"ViT-B-16": 2783.55, "ViT-B-32": 10127.52}


class _Clock:
    """Progress events with their times: start-up (first block) and the steady rate after it."""

    def __init__(self):
        self.t0 = time.perf_counter()
        self.marks: list[tuple[float, int]] = []

    def __call__(self, ev) -> None:
        from rmadapter_app.core.events import LabelProgressEvent
        if isinstance(ev, LabelProgressEvent):
            self.marks.append((time.perf_counter() - self.t0, ev.done))

    def summary(self, n: int, seconds: float) -> dict:
        first_t, first_n = self.marks[0] if self.marks else (seconds, n)
        last_t, last_n = self.marks[-1] if self.marks else (seconds, n)
        steady = (last_n - first_n) / (last_t - first_t) if last_t > first_t and last_n > first_n else None
        return {"seconds": round(seconds, 2), "images_per_s": round(n / seconds, 2),
                "first_block_s": round(first_t, 2), "first_block_images": first_n,
                "steady_images_per_s": round(steady, 2) if steady else None}


def _ray_row(label_on_ray, clf, recipe, options, sources, n: int, folder: Path, batch: int, local) -> dict:
    """One Ray run on an empty cache and index (checked against the local run), then a rerun from the cache."""
    from rmadapter_app.core.label.embedding_cache import EmbeddingCache
    from rmadapter_app.core.label.hash_index import HashIndex

    cache_root, index = folder / "cache", folder / "hashes.sqlite3"
    clock = _Clock()
    run = label_on_ray(clf, sources, recipe, options, batch_size=batch, on_event=clock,
                       cache=EmbeddingCache.for_classifier(clf, root=cache_root), hashes=HashIndex(index))
    assert run.n_errors == 0 and run.encoded == n
    assert np.allclose(run.probs, local.probs, atol=1e-4) and (run.top()[0] == local.top()[0]).all()
    row = clock.summary(n, run.seconds)
    t0 = time.perf_counter()
    again = label_on_ray(clf, sources, recipe, options, batch_size=batch,
                         cache=EmbeddingCache.for_classifier(clf, root=cache_root), hashes=HashIndex(index))
    assert again.from_cache == n and again.encoded == 0
    row["rerun_all_cached_s"] = round(time.perf_counter() - t0, 3)
    return row


def _measure(args, rows, sizes, configs, clf, recipe, label_on_ray, run_labeling, tmp: Path) -> None:
    """Interleaved rounds (the machine is shared; the fastest of each kind counts): every kind, both sizes."""
    from rmadapter_app.core.label.embedding_cache import EmbeddingCache

    for r in range(args.rounds):
        for size, (sources, n) in sizes.items():
            clock = _Clock()
            local = run_labeling(clf, sources, batch_size=args.batch, on_event=clock,
                                 cache=EmbeddingCache.for_classifier(clf, root=tmp / f"local-{size}-{r}"))
            assert local.n_errors == 0 and len(local) == n
            rows["single_process"][size].append(clock.summary(n, local.seconds))
            print(f"round {r} {size} single process", json.dumps(rows["single_process"][size][-1]), flush=True)
            for name, options in configs.items():
                rows[name][size].append(_ray_row(label_on_ray, clf, recipe, options, sources, n,
                                                 tmp / f"{name}-{size}-{r}", args.batch, local))
                print(f"round {r} {size} ray {name}", json.dumps(rows[name][size][-1]), flush=True)


def _loopback_ray(cpus: int):
    os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"     # Ray binds and talks on 127.0.0.1 only
    import ray
    from ray._private import ray_constants
    ray_constants.ENABLE_RAY_CLUSTER = False
    ray.init(address="local", include_dashboard=False, num_cpus=cpus, object_store_memory=400 * 2**20,
             log_to_driver=False, logging_level=logging.WARNING)
    assert {n["NodeManagerAddress"] for n in ray.nodes()} == {"127.0.0.1"}
    return ray


def _decode_ms_per_core(files, backbone) -> tuple[float, float]:
    """Read + hash + draft decode + preprocess of each file on one thread: (CPU ms, wall ms) per image.

    The CPU time is what one core spends per image whatever else the (shared) machine runs."""
    import torch

    from rmadapter_app.core.batches import ImageItem, input_side, prepare
    from rmadapter_app.core.images import read_file_bytes

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        w, c = time.perf_counter(), time.process_time()
        for f in files:
            data, _ = read_file_bytes(f)
            prepare(ImageItem(0, f), backbone.preprocess, input_side(backbone), data=data)
        return (time.process_time() - c) * 1000 / len(files), (time.perf_counter() - w) * 1000 / len(files)
    finally:
        torch.set_num_threads(threads)


def _resume_check_us(files, tmp: Path) -> dict:
    """Per file: stat + file-hash-index lookup (what the driver does) vs read + SHA-256 (hashing on the driver)."""
    from rmadapter_app.core.label.hash_index import HashIndex, stamp_of

    with HashIndex(tmp / "resume-check.sqlite3") as index:
        index.record((os.path.abspath(f), stamp_of(f), hashlib.sha256(f.read_bytes()).hexdigest()) for f in files)
        rounds = max(1, 2000 // len(files))
        t0 = time.perf_counter()
        for _ in range(rounds):
            found = index.lookup([(os.path.abspath(f), stamp_of(f)) for f in files])
        stat_us = (time.perf_counter() - t0) * 1e6 / (rounds * len(files))
        assert all(found)
    t0 = time.perf_counter()
    for f in files:
        hashlib.sha256(f.read_bytes()).hexdigest()
    hash_us = (time.perf_counter() - t0) * 1e6 / len(files)
    return {"stat_and_lookup_us_per_file": round(stat_us, 1), "read_and_sha256_us_per_file": round(hash_us, 1),
            "ratio": round(hash_us / stat_us, 1)}


def _projection(args, decode_ms: float, startup_s: float, mean_bytes: float, resume: dict) -> dict:
    """Wall time for --project-images images on N nodes, with the arithmetic as text lines."""
    gpu_rate = args.gpu_images_per_s or PUBLISHED_GPU_RATE[args.project_model]
    gpus = args.gpus_per_node * gpu_rate
    decode_rate = args.cores_per_node * 1000.0 / decode_ms
    per_node = min(gpus, decode_rate)
    m = args.project_images
    data_tb = m * mean_bytes / 1e12
    storage_s = data_tb * 1e12 / (args.storage_gb_per_s * 1e9)
    source = ("given with --gpu-images-per-s" if args.gpu_images_per_s else
              "timm's published RTX 4090 AMP figure; the workers encode in fp32, so less")
    lines = [f"ASSUMPTION (not measured: no GPU was lent): one GPU encodes {gpu_rate:.0f} images/s "
             f"({args.project_model}, {source})",
             f"decoding, measured here: {decode_ms:.1f} ms CPU per 12 MP JPEG -> "
             f"{args.cores_per_node} cores x 1000 / {decode_ms:.1f} = {decode_rate:.0f} images/s per node",
             f"per node: min({args.gpus_per_node} GPU x {gpu_rate:.0f}, {decode_rate:.0f}) = {per_node:.0f} images/s"
             f" ({'decoding' if decode_rate < gpus else 'the GPU'} is the limit)",
             f"ASSUMPTION: shared storage delivers {args.storage_gb_per_s:g} GB/s in all: {m:,} x "
             f"{mean_bytes / 1e6:.1f} MB = {data_tb:.1f} TB takes {storage_s:,.0f} s to read, a floor under any "
             f"node count; start-up {startup_s:.0f} s (measured here, one machine)"]
    table = {}
    for n in args.nodes:
        compute_s = m / (n * per_node)
        seconds = max(compute_s, storage_s) + startup_s
        table[str(n)] = {"compute_h": round(compute_s / 3600, 3), "with_storage_h": round(seconds / 3600, 3)}
        lines.append(f"{n} node(s): {m:,} / ({n} x {per_node:.0f}) = {compute_s:,.0f} s = {compute_s / 3600:.2f} h "
                     f"of compute; max(that, {storage_s:,.0f} s of reading) + {startup_s:.0f} s = {seconds / 3600:.2f} h")
    check_stat = m * resume["stat_and_lookup_us_per_file"] / 1e6
    check_hash = max(m * resume["read_and_sha256_us_per_file"] / 1e6, storage_s)
    lines.append(f"resume check on the driver: stat + lookup {m:,} x {resume['stat_and_lookup_us_per_file']:.0f} us = "
                 f"{check_stat / 60:.1f} min; hashing on the driver instead: at least {check_hash / 3600:.2f} h "
                 "(the whole archive read again)")
    return {"assumed_gpu_images_per_s": gpu_rate, "assumed_storage_gb_per_s": args.storage_gb_per_s,
            "decode_images_per_s_per_node": round(decode_rate, 1), "node_images_per_s": round(per_node, 1),
            "start_up_s": round(startup_s, 1), "hours_by_nodes": table, "arithmetic": lines}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="ViT-B-32")
    ap.add_argument("--images", type=int, default=128, help="12 MP photos to label")
    ap.add_argument("--project-model", default="ViT-B-16", choices=sorted(PUBLISHED_GPU_RATE),
                    help="the model of the 1-million-image projection (the app's default)")
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--cpus", type=int, default=2, help="CPUs of the local Ray cluster")
    ap.add_argument("--rounds", type=int, default=2, help="interleaved rounds; the fastest of each kind counts")
    ap.add_argument("--project-images", type=int, default=1_000_000)
    ap.add_argument("--nodes", type=int, nargs="*", default=[1, 4, 16, 64])
    ap.add_argument("--gpus-per-node", type=int, default=1)
    ap.add_argument("--cores-per-node", type=int, default=32)
    ap.add_argument("--gpu-images-per-s", type=float, default=None,
                    help="ASSUMED encoder rate of one GPU (default: timm's published RTX 4090 AMP figure for "
                         "the model, benchmark-infer-amp-nchw-pt240-cu124-rtx4090.csv)")
    ap.add_argument("--storage-gb-per-s", type=float, default=10.0,
                    help="ASSUMED aggregate read rate of the shared storage (a parallel file system)")
    ap.add_argument("--project-from", type=Path, metavar="RESULTS_JSON",
                    help="only redo the projection from a results file this script wrote (other assumptions)")
    ap.add_argument("--out", default="ray_cpu")
    args = ap.parse_args()
    if args.project_from is not None:
        results = json.loads(args.project_from.read_text())
        projection = _projection(args, results["decode_cpu_ms_per_image"], results["projection"]["start_up_s"],
                                 results["mean_file_bytes"], results["resume_check"])
        print("\n".join(projection["arithmetic"]))
        return 0

    import torch
    from safetensors.torch import save_file

    from rmadapter_app.core.classifier import Classifier
    from rmadapter_app.core.label.cluster import RayOptions
    from rmadapter_app.core.label.engine import run_labeling
    from rmadapter_app.core.label.ray_backend import label_on_ray
    from rmadapter_app.core.label.ray_worker import ModelRecipe
    from rmadapter_app.core.model.backbone import load_backbone
    from rmadapter_app.core.model.spec import BackboneSpec

    facts = machine_facts("cpu")
    facts["load_average_at_start"] = [round(x, 2) for x in os.getloadavg()]
    print("machine:", json.dumps(facts), flush=True)
    results: dict = {"machine": facts, "model": args.model, "images": args.images, "batch": args.batch,
                     "ray_cpus": args.cpus, "weights": "random, saved to a file"}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        os.environ["RMADAPTER_HOME"] = str(tmp / "home")
        torch.manual_seed(0)
        backbone = load_backbone(args.model)
        weights = tmp / f"{args.model}.safetensors"
        save_file({k: v.detach().clone().contiguous() for k, v in backbone.model.state_dict().items()}, str(weights))
        spec = BackboneSpec(args.model, None, weights=weights)
        t0 = time.perf_counter()
        n_small = max(args.batch, args.images // 4)
        parts = [make_set(tmp / "part-a", n_small, mixed=False),
                 make_set(tmp / "part-b", args.images - n_small, mixed=False, seed=n_small)]
        files = parts[0] + parts[1]
        sizes = {"small": ([tmp / "part-a"], n_small), "large": ([tmp / "part-a", tmp / "part-b"], len(files))}
        mean_bytes = float(np.mean([f.stat().st_size for f in files]))
        results["mean_file_bytes"] = round(mean_bytes)
        print(f"generated {len(files)} 12 MP photos in {time.perf_counter() - t0:.0f} s, "
              f"{mean_bytes / 1e6:.1f} MB each", flush=True)
        for f in files:                               # the same page-cache state for every run
            f.read_bytes()
        with Classifier.zero_shot(spec, CLASSES, device="cpu") as clf:
            recipe = ModelRecipe.of(clf, spec, None)
            decode_ms, decode_wall_ms = _decode_ms_per_core(files, clf.backbone)
            results["decode_cpu_ms_per_image"] = round(decode_ms, 1)
            results["decode_wall_ms_per_image_one_thread"] = round(decode_wall_ms, 1)
            print(f"decode one 12 MP JPEG: {decode_ms:.1f} ms CPU ({decode_wall_ms:.1f} ms wall)", flush=True)
            _loopback_ray(args.cpus)
            configs = {"1x2cpu": RayOptions("local", workers=1, cpus_per_worker=2),
                       "2x1cpu": RayOptions("local", workers=2, cpus_per_worker=1),
                       "1x2cpu_send_bytes": RayOptions("local", workers=1, cpus_per_worker=2, send_bytes=True)}
            rows: dict[str, dict[str, list[dict]]] = {k: {"small": [], "large": []} for k in ["single_process", *configs]}
            import ray
            try:
                _measure(args, rows, sizes, configs, clf, recipe, label_on_ray, run_labeling, tmp)
            finally:
                ray.shutdown()
        results["all_rounds"] = rows
        results["small_images"], results["large_images"] = n_small, len(files)
        kinds = {}
        for name, by_size in rows.items():
            small = min(by_size["small"], key=lambda row: row["seconds"])
            large = min(by_size["large"], key=lambda row: row["seconds"])
            per_image = (large["seconds"] - small["seconds"]) / (len(files) - n_small)
            kinds[name] = {"seconds_small": small["seconds"], "seconds_large": large["seconds"],
                           "images_per_s_end_to_end": round(len(files) / large["seconds"], 2),
                           "ms_per_image_marginal": round(1000 * per_image, 1),
                           "images_per_s_marginal": round(1 / per_image, 2) if per_image > 0 else None,
                           "fixed_start_s": round(small["seconds"] - n_small * per_image, 2),
                           "first_block_s": large["first_block_s"]}
            if "rerun_all_cached_s" in large:
                kinds[name]["rerun_all_cached_s"] = large["rerun_all_cached_s"]
        single = kinds.pop("single_process")
        for row in kinds.values():
            row["overhead_ms_per_image"] = round(row["ms_per_image_marginal"] - single["ms_per_image_marginal"], 1)
            row["extra_start_s"] = round(row["fixed_start_s"] - single["fixed_start_s"], 2)
            row["end_to_end_vs_single_process"] = round(single["seconds_large"] / row["seconds_large"], 3)
        results["single_process"], results["ray"] = single, kinds
        print("best of rounds:", json.dumps({"single_process": single, "ray": kinds}), flush=True)
        results["resume_check"] = _resume_check_us(files, tmp)
        print("resume check", json.dumps(results["resume_check"]), flush=True)
        startup = max(0.0, results["ray"]["1x2cpu"]["fixed_start_s"])
        results["projection"] = _projection(args, decode_ms, startup, mean_bytes, results["resume_check"])
        for line in results["projection"]["arithmetic"]:
            print(" ", line)
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    path = save_results(args.out, results)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
