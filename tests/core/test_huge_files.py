"""Files far larger than any image are refused from their size alone, before a byte is read."""
from __future__ import annotations

import builtins
import os
import struct
import warnings
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PIL import Image

from rmadapter_app.core.errors import ImageLoadError

CLASSES = ["red", "green", "blue"]


def _sparse(path: Path, size: int = 10 * 2**30) -> Path:
    """A file of ``size`` bytes that takes no disk space (a hole); made without builtins.open."""
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o644))
    os.truncate(path, size)
    return path


@pytest.fixture
def opened(monkeypatch) -> list[str]:
    """Every path opened through builtins.open (Pillow, hashing and copying all use it)."""
    seen: list[str] = []
    real_open = builtins.open

    def recording_open(file, *args, **kwargs):
        if isinstance(file, (str, bytes, os.PathLike)):
            seen.append(os.fsdecode(file))
        return real_open(file, *args, **kwargs)
    monkeypatch.setattr(builtins, "open", recording_open)
    return seen


def _png_with_size(path: Path, width: int, height: int) -> Path:
    """A PNG whose header claims width x height (no real pixel data)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 16))
                     + chunk(b"IEND", b""))
    return path


def test_check_image_file_refuses_a_sparse_10_gb_file_unread(tmp_path, opened):
    from rmadapter_app.core.images import MAX_IMAGE_FILE_BYTES, check_image_file, load_rgb

    huge = _sparse(tmp_path / "huge.jpg")
    assert MAX_IMAGE_FILE_BYTES < 10 * 2**30
    with pytest.raises(ImageLoadError, match=r"huge\.jpg.*10\.0 GB.*far larger than any image"):
        check_image_file(huge)
    with pytest.raises(ImageLoadError, match=r"10\.0 GB"):
        load_rgb(huge)
    assert str(huge) not in opened
    small = tmp_path / "small.png"
    Image.new("RGB", (4, 4)).save(small)
    assert check_image_file(small).st_size == small.stat().st_size
    with pytest.raises(ImageLoadError, match="empty"):
        check_image_file(_sparse(tmp_path / "empty.png", 0))
    with pytest.raises(ImageLoadError, match="cannot be read"):
        check_image_file(tmp_path / "missing.png")


def test_labeling_skips_a_huge_file_without_hashing_it(tiny_backbone, tmp_path, opened):
    from rmadapter_app.core.classifier import Classifier
    from rmadapter_app.core.label.engine import run_labeling

    folder = tmp_path / "card"
    folder.mkdir()
    Image.new("RGB", (40, 40), (200, 20, 20)).save(folder / "fine.png")
    huge = _sparse(folder / "huge.jpg")
    with Classifier(tiny_backbone, None, CLASSES) as clf:
        run = run_labeling(clf, [folder])
    reasons = {r.path.name: r.error for r in run.results()}
    assert reasons["fine.png"] is None
    assert "10.0 GB" in reasons["huge.jpg"] and "far larger than any image" in reasons["huge.jpg"]
    assert run.encoded == 1 and str(huge) not in opened


def test_adding_a_huge_file_to_a_project_is_refused_unread_and_uncopied(tmp_path, opened):
    from rmadapter_app.core.project.project import Project

    p = Project.create("Big files")
    p.add_class("cat")
    fine = tmp_path / "fine.png"
    Image.new("RGB", (8, 8), (1, 2, 3)).save(fine)
    huge = _sparse(tmp_path / "sparse.jpg", 2 * 2**30)
    result = p.add_images("cat", [fine, huge])
    assert [e.original_name for e in result.added] == ["fine.png"]
    reasons = {prob.path.name: prob.reason for prob in result.rejected}
    assert "2.0 GB" in reasons["sparse.jpg"] and "far larger than any image" in reasons["sparse.jpg"]
    assert str(huge) not in opened
    copied = sum(f.stat().st_size for f in p.folder.rglob("*") if f.is_file())
    assert copied < 10 * 2**20


def test_decompression_bombs_are_a_clear_per_file_error(tiny_backbone, tmp_path):
    from rmadapter_app.core.images import load_rgb
    from rmadapter_app.core.classifier import Classifier
    from rmadapter_app.core.label.engine import run_labeling

    folder = tmp_path / "bombs"
    folder.mkdir()
    for i in range(6):       # above Pillow's own limit and above the app's limit
        _png_with_size(folder / f"bomb{i}.png", 30_000 + i, 30_000)
    Image.new("RGB", (40, 40), (20, 200, 20)).save(folder / "fine.png")
    with pytest.raises(ImageLoadError, match=r"bomb0\.png.*pixels"):
        load_rgb(folder / "bomb0.png")
    filters = list(warnings.filters)
    with ThreadPoolExecutor(4) as pool:      # the decode pool loads several at once
        errors = list(pool.map(lambda p: pytest.raises(ImageLoadError, load_rgb, p).value,
                               sorted(folder.glob("bomb*.png")) * 4))
    assert all("pixels" in str(e) for e in errors)
    assert list(warnings.filters) == filters           # no warning filter left behind by a thread
    with Classifier(tiny_backbone, None, CLASSES) as clf:
        run = run_labeling(clf, [folder], batch_size=3)
    reasons = {r.path.name: r.error for r in run.results()}
    assert reasons.pop("fine.png") is None
    assert len(reasons) == 6 and all("pixels" in why for why in reasons.values())
