"""A checkpoint's architecture from its tensor shapes (core/model/architecture.py): the matching open_clip
model found, other files named in words, and loading a misfit explained without PyTorch's shapes."""
from __future__ import annotations

import json

import pytest
import torch
from safetensors.torch import save_file

from rmadapter_app.core.errors import BackboneUnavailableError
from rmadapter_app.core.model.architecture import architecture_of, identify_checkpoint
from tests.conftest import TINY_CONFIG


def _save(path, backbone):
    save_file({k: v.contiguous() for k, v in backbone.model.state_dict().items()}, str(path))
    return path


def _b32_shapes():
    """The tensor table of an open_clip ViT-B-32 (shapes only: no 600 MB file)."""
    import open_clip
    model = open_clip.create_model("ViT-B-32", pretrained=None)
    return {k: tuple(v.shape) for k, v in model.state_dict().items()}


def test_vit_b32_shapes_are_recognised_as_vit_b32():
    from rmadapter_app.core.model.architecture import match_model
    arch = architecture_of(_b32_shapes())
    assert (arch.patch_size, arch.image_size, arch.vision_width, arch.vision_layers, arch.embed_dim) == \
        (32, 224, 768, 12, 512)
    assert match_model(arch, prefer=["ViT-B-16"]) == "ViT-B-32"           # not the one preferred: the one it is
    assert "ViT-B/32" in arch.describe()


def test_checkpoint_fits_its_config_or_is_told_apart(tmp_path, tiny_backbone):
    ckpt = _save(tmp_path / "tiny.safetensors", tiny_backbone)
    found = identify_checkpoint(ckpt, prefer=["tiny-vit"])
    assert found.model_name == "tiny-vit" and "tiny.safetensors is a CLIP" in found.text
    assert identify_checkpoint(ckpt, config=("tiny-vit", TINY_CONFIG)).model_name == "tiny-vit"
    # a config of another shape: both named, what differs said in words
    wide = dict(TINY_CONFIG, vision_cfg=dict(TINY_CONFIG["vision_cfg"], width=48))
    found = identify_checkpoint(ckpt, config=("wide-vit", wide))
    assert found.model_name is None
    assert "wide-vit" in found.text and "vision width 32, not 48" in found.text
    # a PyTorch state dict (.bin) is read with weights_only and recognised the same way
    torch.save(tiny_backbone.model.state_dict(), tmp_path / "tiny.bin")
    assert identify_checkpoint(tmp_path / "tiny.bin", prefer=["tiny-vit"]).model_name == "tiny-vit"


@pytest.mark.parametrize("tensors, words", [
    ({"visual.layer5.down.weight": (32, 768)}, "RMAdapter adapter"),
    ({"visual.layer1.0.conv1.weight": (64, 64, 1, 1), "visual.attnpool.c_proj.weight": (1024, 2048)}, "ResNet"),
    ({"vision_model.embeddings.patch_embedding.weight": (768, 3, 32, 32),
      "text_model.embeddings.token_embedding.weight": (49408, 512)}, "Hugging Face transformers CLIP"),
    ({"patch_embed.proj.weight": (768, 3, 16, 16), "blocks.0.attn.qkv.weight": (2304, 768)}, "image-only"),
    ({"foo": (3,)}, "not a CLIP checkpoint"),
])
def test_other_files_are_named_in_words(tmp_path, tensors, words):
    path = tmp_path / "file.safetensors"
    save_file({k: torch.zeros(s) for k, s in tensors.items()}, str(path))
    found = identify_checkpoint(path)
    assert found.model_name is None and words in found.text and found.text.startswith("file.safetensors is ")


def test_loading_a_checkpoint_of_another_architecture_says_which_it_is(tmp_path, tiny_config):
    """The issue's case: a ViT-B/32 file while ViT-B/16 is chosen gives words, not torch.Size([768, 3, 32, 32])."""
    from rmadapter_app.core.model.backbone import load_backbone

    wide = tmp_path / "wide-vit.json"
    wide.write_text(json.dumps(dict(TINY_CONFIG, vision_cfg=dict(TINY_CONFIG["vision_cfg"], patch_size=8))))
    torch.manual_seed(0)
    ckpt = _save(tmp_path / "tiny.safetensors", load_backbone(model_config=tiny_config))
    with pytest.raises(BackboneUnavailableError) as info:
        load_backbone(model_config=wide, weights=ckpt)
    text = str(info.value)
    assert "size mismatch" not in text and "torch.Size" not in text
    assert "tiny.safetensors does not fit 'wide-vit'" in text and "patch size 16, not 8" in text
    assert "Choose tiny-vit" in text


def test_unreadable_files_are_refused_in_words(tmp_path):
    empty = tmp_path / "empty.bin"
    empty.write_bytes(b"")
    with pytest.raises(BackboneUnavailableError, match="empty"):
        identify_checkpoint(empty)
    with pytest.raises(BackboneUnavailableError, match="not found"):
        identify_checkpoint(tmp_path / "missing.safetensors")
