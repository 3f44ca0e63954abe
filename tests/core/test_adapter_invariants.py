"""PEFT-style invariants of the adapters: disabled == frozen, untrained ~ frozen within alpha, only adapters train."""
from __future__ import annotations

import pytest
import torch

from rmadapter_app.core.model.adapter import AdapterSet
from rmadapter_app.core.config import AdapterConfig
from rmadapter_app.core.model.encoders import AdaptedCLIP
from rmadapter_app.core.errors import UnsupportedBackboneError
from rmadapter_app.core.model.inject import AdaptedBlock, attach

PROMPTS = ["a photo of a cat.", "a photo of a very large dog wearing a hat."]


def _frozen(backbone, images):
    with torch.no_grad():
        return backbone.model.encode_image(images), backbone.model.encode_text(backbone.tokenizer(PROMPTS))


def test_layers_scale_with_depth():
    assert AdapterConfig().resolve_layers(12, 12).vision_layers == tuple(range(4, 12))  # blocks 5..12, 1-based
    cfg = AdapterConfig().resolve_layers(24, 12)
    assert cfg.vision_layers == tuple(range(8, 24)) and cfg.text_layers == tuple(range(4, 12))
    assert AdapterConfig().resolve_layers(4, 4).vision_layers == (1, 2, 3)


def test_paper_parameter_count_for_vit_b16():
    """METHOD.md 1.6: 674,560 MMA parameters and 354,816 reconstruction parameters for r=32, blocks 5..12."""
    cfg = AdapterConfig().resolve_layers(12, 12)
    counts = AdapterSet(cfg, 768, 512).count_parameters()
    assert counts["adaptation"] == 674_560
    assert counts["reconstruction"] == 354_816


def test_disabled_equals_frozen_and_untrained_within_alpha(tiny_backbone):
    torch.manual_seed(0)
    images = torch.randn(3, 3, 32, 32)
    ref_img, ref_txt = _frozen(tiny_backbone, images)
    diffs = {}
    for alpha in (1e-3, 1e-5):
        handle = attach(tiny_backbone, AdapterConfig(alpha=alpha))
        model = AdaptedCLIP(tiny_backbone, handle)
        with torch.no_grad():
            assert torch.equal(model.encode_image(images, adapted=False), ref_img)
            assert torch.allclose(model.encode_text(PROMPTS, adapted=False), ref_txt, atol=1e-5)
            diffs[alpha] = (model.encode_image(images) - ref_img).abs().max().item()
        handle.detach()
    assert 0 < diffs[1e-3] < 0.1
    assert diffs[1e-5] < diffs[1e-3] / 50  # the change is proportional to alpha


def test_detach_restores_original_blocks(tiny_backbone):
    before = list(tiny_backbone.visual.transformer.resblocks)
    handle = attach(tiny_backbone, AdapterConfig())
    assert any(isinstance(b, AdaptedBlock) for b in tiny_backbone.visual.transformer.resblocks)
    handle.detach()
    assert list(tiny_backbone.visual.transformer.resblocks) == before


def test_only_adapter_parameters_change(tiny_backbone):
    frozen_before = {k: v.clone() for k, v in tiny_backbone.model.state_dict().items()}
    handle = attach(tiny_backbone, AdapterConfig())
    model = AdaptedCLIP(tiny_backbone, handle)
    adapters_before = {k: v.clone() for k, v in handle.adapters.state_dict().items()}
    opt = torch.optim.SGD(handle.adapters.parameters(), lr=0.1)
    images = torch.randn(4, 3, 32, 32)
    for _ in range(3):
        logits = model.logits(model.encode_image(images), model.encode_text(PROMPTS))
        loss = torch.nn.functional.cross_entropy(logits, torch.tensor([0, 1, 0, 1]))
        opt.zero_grad()
        loss.backward()
        opt.step()
    handle.detach()
    for k, v in tiny_backbone.model.state_dict().items():
        assert torch.equal(v, frozen_before[k]), k
    changed = [k for k, v in handle.adapters.state_dict().items() if not torch.equal(v, adapters_before[k])]
    assert any(".down." in k for k in changed) and any(".up." in k for k in changed)
    assert all(not p.requires_grad for p in tiny_backbone.model.parameters())


def test_reconstruction_gradient_stays_local(tiny_backbone):
    """The reconstruction loss of layer i reaches only layer i's down-projection and decoder."""
    handle = attach(tiny_backbone, AdapterConfig())
    model = AdaptedCLIP(tiny_backbone, handle)
    tokens = model.image_prefix(torch.randn(2, 3, 32, 32))
    blocks = handle.vision_blocks
    _, rec = model.image_suffix(tokens, recon=True)
    rec.backward()
    for blk in blocks.values():
        assert blk.adapter.rec1.weight.grad is not None and blk.adapter.down.weight.grad is not None
        assert blk.adapter.up.weight.grad is None       # the adaptation branch gets nothing from L_rec
    assert all(p.grad is None for p in handle.adapters.text.parameters())
    handle.detach()


def test_resnet_tower_is_refused(tmp_path):
    import json

    from rmadapter_app.core.model.backbone import load_backbone
    cfg = {"embed_dim": 32, "vision_cfg": {"image_size": 32, "layers": [1, 1, 1, 1], "width": 16},
           "text_cfg": {"context_length": 77, "vocab_size": 49408, "width": 32, "heads": 2, "layers": 2}}
    path = tmp_path / "tiny-rn.json"
    path.write_text(json.dumps(cfg))
    with pytest.raises(UnsupportedBackboneError, match="ViT"):
        load_backbone(model_config=path)
