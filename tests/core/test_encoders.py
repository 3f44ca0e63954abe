"""The cache is exact: cut text prompts and cached prefixes give the same features and losses."""
from __future__ import annotations

import torch

from rmadapter_app.core.config import AdapterConfig, TrainConfig
from rmadapter_app.core.train.data import scan_class_folders
from rmadapter_app.core.model.encoders import AdaptedCLIP
from rmadapter_app.core.model.inject import attach
from rmadapter_app.core.train.loop import train

PROMPTS = ["a photo of a cat.", "a photo of a very large dog wearing a hat.", "x"]


def test_text_truncation_is_exact(tiny_backbone):
    handle = attach(tiny_backbone, AdapterConfig())
    model = AdaptedCLIP(tiny_backbone, handle)
    cut, full = model.tokenize(PROMPTS), model.tokenize(PROMPTS, truncate=False)
    assert cut.ids.shape[1] < 20 and full.ids.shape[1] == 77
    f_cut, r_cut = model.text_suffix(model.text_prefix(cut), cut, recon=True)
    f_full, r_full = model.text_suffix(model.text_prefix(full), full, recon=True)
    assert torch.allclose(f_cut, f_full, atol=1e-5)
    assert torch.allclose(r_cut, r_full, rtol=1e-5)
    with torch.no_grad():
        ref = tiny_backbone.model.encode_text(tiny_backbone.tokenizer(PROMPTS))  # open_clip's own path
    assert torch.allclose(f_full.detach(), ref, atol=1e-6)
    handle.detach()


def test_prefix_plus_suffix_equals_full_forward(tiny_backbone):
    handle = attach(tiny_backbone, AdapterConfig())
    model = AdaptedCLIP(tiny_backbone, handle)
    images = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        split = model.image_suffix(model.image_prefix(images))[0]
        whole = tiny_backbone.model.encode_image(images)   # open_clip's forward through the wrapped blocks
    assert torch.allclose(split, whole, atol=1e-6)
    handle.detach()


def test_cached_and_uncached_training_agree(tiny_backbone, image_tree):
    data = scan_class_folders(image_tree)
    runs = []
    for cache in (True, False):
        cfg = TrainConfig(epochs=2, batch_size=4, lr=0.01, cache=cache, seed=3)
        runs.append(train(tiny_backbone, data.samples, data.class_names, config=cfg))
    a, b = runs
    assert len(a.history) == len(b.history) > 0
    for ha, hb in zip(a.history, b.history):
        for key in ("ce", "consistency", "recon_v", "recon_t", "total"):
            assert abs(ha[key] - hb[key]) <= 1e-4 * max(1.0, abs(ha[key])), (key, ha, hb)
    for k in a.adapter_state:
        assert torch.allclose(a.adapter_state[k], b.adapter_state[k], atol=1e-5), k
