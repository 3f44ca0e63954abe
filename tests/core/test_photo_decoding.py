"""Camera-sized photos: read once, decoded at the scale the model needs, same model input within a measured tolerance."""
from __future__ import annotations

import hashlib

import numpy as np
import pytest
from PIL import Image

from rmadapter_app.core.errors import ImageLoadError
from rmadapter_app.core.images import MAX_FULL_DECODE_PIXELS, load_rgb, read_image


def photo_like(path, size=(4000, 3000), seed=0, orientation=None, quality=90):
    """A photo-sized JPEG with texture at every scale (gradients, edges, noise), optionally EXIF-rotated."""
    rng = np.random.default_rng(seed)
    w, h = size
    small = rng.integers(0, 256, size=(h // 100 + 1, w // 100 + 1, 3), dtype=np.uint8)
    base = np.asarray(Image.fromarray(small).resize((w, h), Image.BICUBIC), dtype=np.int16)
    yy, xx = np.mgrid[0:h, 0:w]
    stripes = ((xx // 37 + yy // 53) % 2 * 40).astype(np.int16)[..., None]
    noise = rng.integers(-10, 11, size=(h, w, 3), dtype=np.int16)
    img = Image.fromarray((base + stripes + noise).clip(0, 255).astype(np.uint8))
    kwargs = {"quality": quality}
    if orientation:
        exif = Image.Exif()
        exif[0x0112] = orientation
        kwargs["exif"] = exif.tobytes()
    img.save(path, **kwargs)
    return path


def _clip_preprocess(size=224):
    import open_clip
    return open_clip.image_transform(size, is_train=False)


def test_read_image_hashes_the_bytes_it_decodes(tmp_path):
    path = photo_like(tmp_path / "p.jpg", (1200, 900))
    got = read_image(path)
    assert got.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert got.image.size == (1200, 900) and got.full_size == (1200, 900) and got.image.mode == "RGB"


@pytest.mark.parametrize("size,orientation", [((4000, 3000), None), ((3000, 4000), None), ((4000, 3000), 6),
                                              ((6000, 4000), 8), ((5184, 3456), None)])
def test_a_photo_decoded_at_the_model_scale_gives_the_same_model_input(tmp_path, size, orientation):
    """The measured tolerance: mean |difference| under 1.5/255 per pixel, 99th percentile under 8/255."""
    path = photo_like(tmp_path / "p.jpg", size, seed=sum(size), orientation=orientation)
    full = load_rgb(path)
    reduced = read_image(path, min_side=224)
    assert reduced.full_size == full.size
    assert min(reduced.image.size) >= 224 and reduced.image.width * reduced.image.height < full.width * full.height / 15
    assert (reduced.image.width > reduced.image.height) == (full.width > full.height)    # EXIF applied to both
    pre = _clip_preprocess()
    std = np.array([0.26862954, 0.26130258, 0.27577711]).reshape(3, 1, 1)
    diff = np.abs(pre(full).numpy() - pre(reduced.image).numpy()) * std * 255
    assert diff.mean() < 1.5 and np.quantile(diff, 0.99) < 8.0, (diff.mean(), np.quantile(diff, 0.99))


def test_small_and_non_jpeg_images_are_decoded_in_full(tmp_path):
    Image.new("RGB", (300, 200), (10, 200, 30)).save(tmp_path / "s.jpg")
    photo_like(tmp_path / "p.png", (1600, 1200))
    assert read_image(tmp_path / "s.jpg", min_side=224).image.size == (300, 200)
    assert read_image(tmp_path / "p.png", min_side=224).image.size == (1600, 1200)


@pytest.mark.slow
def test_a_huge_jpeg_is_reduced_not_refused_and_a_huge_png_is_refused_in_words(tmp_path):
    side = int((MAX_FULL_DECODE_PIXELS * 1.05) ** 0.5) + 1
    big = Image.new("RGB", (side, side), (120, 60, 200))
    big.save(tmp_path / "huge.jpg", quality=70)
    big.save(tmp_path / "huge.png", compress_level=1)
    del big
    got = read_image(tmp_path / "huge.jpg", min_side=224)
    assert got.full_size == (side, side) and max(got.image.size) <= side // 8 + 8
    with pytest.raises(ImageLoadError, match="too large to decode safely in this format"):
        read_image(tmp_path / "huge.png", min_side=224)
    with pytest.raises(ImageLoadError, match="too large"):
        load_rgb(tmp_path / "huge.jpg")                    # a full decode of it is refused, not attempted


def test_labeling_reads_each_photo_once_at_the_model_scale(tmp_path, tiny_backbone, monkeypatch):
    """One open() per image file for hash and decode together; JPEGs decoded at the model's input size."""
    import builtins

    from rmadapter_app.core import images
    from rmadapter_app.core.classifier import Classifier
    from rmadapter_app.core.label.embedding_cache import EmbeddingCache
    from rmadapter_app.core.label.engine import run_labeling

    folder = tmp_path / "card"
    folder.mkdir()
    files = [photo_like(folder / f"IMG_{i}.jpg", (1600, 1200), seed=i) for i in range(6)]
    opened, sides = [], []
    real_open, real_decode = builtins.open, images._decode

    def counting_open(file, *a, **k):
        if str(file).endswith(".jpg"):
            opened.append(str(file))
        return real_open(file, *a, **k)

    def recording_decode(source, path, min_side):
        sides.append(min_side)
        return real_decode(source, path, min_side)
    monkeypatch.setattr(builtins, "open", counting_open)
    monkeypatch.setattr(images, "_decode", recording_decode)
    with Classifier(tiny_backbone, None, ["red", "green"]) as clf:
        run = run_labeling(clf, [folder], cache=EmbeddingCache.for_classifier(clf, root=tmp_path / "cache"))
    assert run.n_errors == 0 and run.encoded == 6
    assert sorted(opened) == sorted(str(f) for f in files)               # each file opened exactly once
    assert sides == [tiny_backbone.info.image_size] * 6
