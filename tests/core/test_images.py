"""Odd images load as upright RGB; broken ones raise ImageLoadError naming the file."""
from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from rmadapter_app.core.errors import ImageLoadError
from rmadapter_app.core.images import Problem, iter_image_files, load_rgb


@pytest.mark.parametrize("mode,suffix", [("P", ".png"), ("RGBA", ".png"), ("LA", ".png"), ("L", ".jpg"),
                                         ("CMYK", ".jpg"), ("I;16", ".png"), ("1", ".bmp"), ("I", ".tif"),
                                         ("F", ".tif"), ("RGB", ".webp"), ("RGB", ".gif")])
def test_modes_become_rgb(tmp_path, mode, suffix):
    img = Image.new("RGB", (20, 10), (200, 50, 10)).convert(mode) if mode not in ("I;16", "I", "F") else \
        Image.fromarray((np.arange(200).reshape(10, 20) * 300).astype(np.uint16 if mode == "I;16" else np.int32
                                                                        if mode == "I" else np.float32))
    path = tmp_path / f"x{suffix}"
    img.save(path)
    out = load_rgb(path)
    assert out.mode == "RGB" and out.size == (20, 10)


def test_exif_orientation_is_applied(tmp_path):
    img = Image.new("RGB", (30, 10), (0, 0, 0))
    exif = Image.Exif()
    exif[0x0112] = 6   # rotate 90 degrees on display
    path = tmp_path / "rot.jpg"
    img.save(path, exif=exif.tobytes())
    assert load_rgb(path).size == (10, 30)


def test_transparency_on_white(tmp_path):
    path = tmp_path / "clear.png"
    Image.new("RGBA", (4, 4), (0, 0, 0, 0)).save(path)
    assert load_rgb(path).getpixel((0, 0)) == (255, 255, 255)


def test_broken_files_raise_with_the_name(tmp_path):
    cases = {"empty.png": b"", "text.jpg": b"hello", "trunc.png": None}
    good = tmp_path / "good.png"
    Image.new("RGB", (64, 64), (1, 2, 3)).save(good)
    for name, data in cases.items():
        p = tmp_path / name
        p.write_bytes(data if data is not None else good.read_bytes()[:60])
        with pytest.raises(ImageLoadError, match=name.replace(".", r"\.")):
            load_rgb(p)
    with pytest.raises(ImageLoadError, match="missing.png"):
        load_rgb(tmp_path / "missing.png")


def test_huge_images_are_refused(tmp_path, monkeypatch):
    import rmadapter_app.core.images as images
    monkeypatch.setattr(images, "MAX_PIXELS", 100)
    p = tmp_path / "big.png"
    Image.new("RGB", (20, 20)).save(p)
    with pytest.raises(ImageLoadError, match="megapixel"):
        load_rgb(p)


def test_iter_image_files_reports_problems(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    Image.new("RGB", (2, 2)).save(tmp_path / "a" / "1.png")
    Image.new("RGB", (2, 2)).save(tmp_path / "a" / "b" / "2.JPG")
    (tmp_path / "a" / "notes.txt").write_text("x")
    (tmp_path / "doc.pdf").write_text("x")
    problems: list[Problem] = []
    found = list(iter_image_files([tmp_path / "a", tmp_path / "doc.pdf", tmp_path / "nope"], problems=problems))
    assert [p.name for p in found] == ["1.png", "2.JPG"]
    assert sorted(p.path.name for p in problems) == ["doc.pdf", "nope"]
    assert [p.name for p in iter_image_files([tmp_path / "a"], recursive=False)] == ["1.png"]
