"""Helpers shared by the benchmark scripts: machine facts, synthetic image folders, JSON output."""
from __future__ import annotations

import json
import os
import platform
import sys
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).resolve().parent / "results"


def machine_facts(device: str | None = None) -> dict:
    """What the figures were measured on."""
    import open_clip
    import torch

    facts = {
        "python": sys.version.split()[0], "torch": torch.__version__, "open_clip": open_clip.__version__,
        "platform": platform.platform(), "cpu": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(), "torch_threads": torch.get_num_threads(),
    }
    if torch.cuda.is_available():
        facts["gpu"] = torch.cuda.get_device_name(0)
    if device:
        facts["device"] = device
    return facts


def write_synthetic_folder(root: Path, n_classes: int, per_class: int, size: int = 256, seed: int = 0) -> Path:
    """Random-texture JPEGs in class folders (timing does not depend on content)."""
    from PIL import Image

    rng = np.random.default_rng(seed)
    for c in range(n_classes):
        folder = root / f"class_{c:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(per_class):
            arr = rng.integers(0, 255, (size, size, 3), dtype=np.uint8)
            Image.fromarray(arr).save(folder / f"{i:04d}.jpg", quality=90)
    return root


def save_results(name: str, payload: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n")
    return path
