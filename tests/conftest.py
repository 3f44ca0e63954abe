"""Shared fixtures: a tiny open_clip config, a trained toy CLIP, image folders; offline, CPU, isolated dirs."""
from __future__ import annotations

import json
import os
import random
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")     # tests run on the CPU unless marked gpu
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import pytest  # noqa: E402

TINY_CONFIG = {
    "embed_dim": 32,
    "vision_cfg": {"image_size": 32, "layers": 4, "width": 32, "patch_size": 16, "head_width": 16},
    "text_cfg": {"context_length": 77, "vocab_size": 49408, "width": 32, "heads": 2, "layers": 4},
}


try:  # property and fuzz tests: the same examples on every run (CI stays repeatable), no example database
    from hypothesis import HealthCheck, settings

    settings.register_profile("ci", derandomize=True, database=None, deadline=None, max_examples=60,
                              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    settings.register_profile("explore", deadline=None, max_examples=2000)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
except ImportError:  # pragma: no cover - hypothesis is in the test extra
    pass


def pytest_configure(config):
    import torch
    torch.set_num_threads(min(2, os.cpu_count() or 1))


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """Every test gets its own app folders (settings, cache, logs, projects)."""
    home = tmp_path / "rmadapter_home"
    monkeypatch.setenv("RMADAPTER_HOME", str(home))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf_hub_cache"))   # never the user's shared hub cache
    return home


@pytest.fixture(scope="session")
def tiny_config(tmp_path_factory) -> Path:
    """A tiny ViT CLIP config file (random weights), registered by the app's own loader."""
    path = tmp_path_factory.mktemp("configs") / "tiny-vit.json"
    path.write_text(json.dumps(TINY_CONFIG))
    return path


@pytest.fixture
def tiny_backbone(tiny_config):
    from rmadapter_app.core.model.backbone import load_backbone
    import torch
    torch.manual_seed(0)
    return load_backbone(model_config=tiny_config)


def write_color_tree(root: Path, per_class: int = 8, size: int = 40, seed: int = 0) -> Path:
    """Solid-colour PNGs with a little noise, one folder per class (red, green, blue)."""
    from PIL import Image
    rng = random.Random(seed)
    colours = {"red": (220, 30, 30), "green": (30, 200, 40), "blue": (30, 40, 220)}
    for name, rgb in colours.items():
        folder = root / name
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(per_class):
            c = tuple(max(0, min(255, v + rng.randint(-30, 30))) for v in rgb)
            Image.new("RGB", (size, size), c).save(folder / f"{name}_{i}.png")
    return root


@pytest.fixture
def image_tree(tmp_path) -> Path:
    return write_color_tree(tmp_path / "colours")


@pytest.fixture(scope="session")
def toy_clip():
    """(config_path, weights_path) of the small CLIP the suite trains on sklearn digits (cached on disk)."""
    from rmadapter_app.testing.toyclip import ensure_toy_clip
    return ensure_toy_clip()
