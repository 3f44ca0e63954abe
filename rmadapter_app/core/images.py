"""Reading user images robustly and fast: one read, EXIF orientation, any mode to RGB, clear errors.

Every image the app touches goes through :func:`read_image` (or :func:`load_rgb`), so a palette PNG,
a CMYK JPEG, a 16-bit TIFF or a truncated file behaves the same in training, classifying and labeling.

Camera photos are big (8-24 MP) and the model looks at 224 pixels: with ``min_side`` a JPEG is decoded
at the smallest DCT scale (1/2, 1/4, 1/8) whose short side is still at least ``min_side`` (Pillow's
draft mode), 2-4x faster than a full decode; the model's own preprocessing then resizes as before.
The file is read once: the same bytes are hashed (the cache key) and decoded. Pillow releases the
GIL while decoding and resizing, so threads decode in parallel.
"""
from __future__ import annotations

import hashlib
import io
import logging
import os
import stat
import threading
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from rmadapter_app.core.errors import ImageLoadError

logger = logging.getLogger(__name__)

IMAGE_SUFFIXES = frozenset({
    ".jpg", ".jpeg", ".jpe", ".png", ".bmp", ".gif", ".tif", ".tiff", ".webp",
    ".ppm", ".pgm", ".pbm", ".pnm", ".tga", ".ico", ".dib", ".jfif",
})
MAX_PIXELS = 20_000 * 20_000  # 400 MP: larger images are refused instead of exhausting memory
# A full decode holds 3 bytes per pixel: beyond this many pixels an image is decoded only at a reduced
# scale (JPEG draft), which needs 1/4 to 1/64 of that, or refused when its format cannot be reduced.
MAX_FULL_DECODE_PIXELS = 150_000_000
# Training's random-resized crops take as little as 8 % of an image: decode at 3x the model's input so
# that even those crops keep about the model's resolution (JPEG draft then stops at 1/4 for 12 MP).
AUGMENT_DECODE_FACTOR = 3
# Files up to this size are read into memory once (hashed and decoded from the same bytes); larger
# ones (rare: big scans, TIFF stacks) are hashed in blocks and decoded from the file.
READ_ONCE_MAX_BYTES = 64 * 2**20
Image.MAX_IMAGE_PIXELS = MAX_PIXELS   # Pillow's own bomb guard: warns above, refuses above twice this
# No image file is this large (a 24 MP 16-bit TIFF is ~150 MB, a 200 MP JPEG ~100 MB): a bigger file is
# refused from its size alone, before it is read, hashed or copied (a sparse 10 GB ".jpg" costs nothing).
MAX_IMAGE_FILE_BYTES = 512 * 2**20

# warnings.catch_warnings swaps a process-wide filter list: two decode threads inside it at once can
# leave the "error" filter behind for good. Only the header parse runs under this lock (decoding does not).
_OPEN_LOCK = threading.Lock()

ImageFile.LOAD_TRUNCATED_IMAGES = False


@dataclass(frozen=True)
class Problem:
    """A file that was skipped, with a reason a person can act on."""

    path: Path
    reason: str


def is_image_name(path: Path) -> bool:
    """True when the file name has an image suffix Pillow reads."""
    return Path(path).suffix.lower() in IMAGE_SUFFIXES


def _to_rgb(img: Image.Image) -> Image.Image:
    """Convert any Pillow mode to 8-bit RGB; transparency is composited on white."""
    if img.mode == "P":
        img = img.convert("RGBA") if "transparency" in img.info else img.convert("RGB")
    if img.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        arr = np.asarray(img, dtype=np.float64)
        lo, hi = float(np.nanmin(arr)), float(np.nanmax(arr))
        scale = 255.0 / (hi - lo) if hi > lo else 0.0
        arr = np.nan_to_num((arr - lo) * scale).clip(0, 255).astype(np.uint8)
        img = Image.fromarray(arr, mode="L")
    if img.mode in ("RGBA", "LA", "PA"):
        rgba = img.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = Image.alpha_composite(background, rgba)
    if img.mode != "RGB":
        img = img.convert("RGB")
    return img


def _size_text(n: int) -> str:
    return f"{n / 2**30:.1f} GB" if n >= 2**30 else f"{n / 2**20:.0f} MB"


def check_image_file(path: Path | str) -> os.stat_result:
    """The file's stat, after refusing what cannot be an image; call it before reading a byte.

    Raises:
        ImageLoadError: the file is missing or unreadable, not a regular file (a FIFO, a device),
            empty, or larger than :data:`MAX_IMAGE_FILE_BYTES`; the message names the file.
    """
    path = Path(path)
    try:
        st = path.stat()
    except OSError as exc:
        raise ImageLoadError(f"{path.name}: cannot be read ({exc.strerror or exc})") from exc
    if not stat.S_ISREG(st.st_mode):
        raise ImageLoadError(f"{path.name}: not a regular file; skipped")
    if st.st_size == 0:
        raise ImageLoadError(f"{path.name}: the file is empty (0 bytes)")
    if st.st_size > MAX_IMAGE_FILE_BYTES:
        raise ImageLoadError(f"{path.name}: the file is {_size_text(st.st_size)}, far larger than any image "
                             f"(limit {_size_text(MAX_IMAGE_FILE_BYTES)}); skipped")
    return st


def _too_many_pixels(path: Path, width: int, height: int) -> ImageLoadError:
    return ImageLoadError(f"{path.name}: {width}x{height} pixels is larger than the "
                          f"{MAX_PIXELS // 1_000_000} megapixel limit")


def load_rgb(path: Path | str, *, min_side: int | None = None) -> Image.Image:
    """Open an image file as an upright 8-bit RGB image (fully decoded unless ``min_side`` is given).

    Raises:
        ImageLoadError: the file is missing, empty, far too large (:func:`check_image_file`), not
            an image, truncated or has too many pixels; the message names the file.
    """
    path = Path(path)
    check_image_file(path)
    return _decode(path, path, min_side)[0]


def _decode(source, path: Path, min_side: int | None) -> tuple[Image.Image, tuple[int, int]]:
    """Decode ``source`` (a path or a file object) to upright RGB; errors name ``path``."""
    try:
        with _OPEN_LOCK, warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(source)             # reads the header only
        with img:
            full_size = img.size
            pixels = img.width * img.height
            if pixels > MAX_PIXELS:
                raise _too_many_pixels(path, img.width, img.height)
            if min_side and img.format == "JPEG":
                img.draft("RGB", (min_side, min_side))   # both sides stay >= min_side
                pixels = img.width * img.height
            if pixels > MAX_FULL_DECODE_PIXELS:
                raise ImageLoadError(f"{path.name}: {full_size[0]}x{full_size[1]} pixels is too large to decode "
                                     f"safely in this format (limit {MAX_FULL_DECODE_PIXELS // 1_000_000} "
                                     "megapixels; a JPEG of any size up to the limit above works)")
            img.load()
            oriented = ImageOps.exif_transpose(img) or img
            if oriented.size != img.size:
                full_size = full_size[::-1]
            return _to_rgb(oriented), full_size
    except ImageLoadError:
        raise
    except UnidentifiedImageError as exc:
        raise ImageLoadError(f"{path.name}: not an image Pillow can read") from exc
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageLoadError(f"{path.name}: image too large to decode safely ({exc})") from exc
    except OSError as exc:
        if exc.errno is not None:  # the system refused (permissions, I/O), not a decoding problem
            raise ImageLoadError(f"{path.name}: cannot be read ({exc.strerror or exc})") from exc
        raise ImageLoadError(f"{path.name}: damaged or truncated image ({exc})") from exc
    except (ValueError, SyntaxError, MemoryError, Exception) as exc:  # Pillow plugins raise odd types
        raise ImageLoadError(f"{path.name}: could not decode ({type(exc).__name__}: {exc})") from exc


@dataclass(frozen=True)
class DecodedImage:
    """An image read once: its upright RGB pixels (maybe at a reduced scale), the SHA-256 of the file's
    bytes, and the size of the full image."""

    image: Image.Image
    sha256: str
    full_size: tuple[int, int]


def decode_side(image_size: int, augment: bool = False) -> int:
    """The short side to decode at for a model whose input is ``image_size`` (3x for augmented views)."""
    return int(image_size) * (AUGMENT_DECODE_FACTOR if augment else 1)


def read_file_bytes(path: Path | str) -> tuple[bytes | None, str]:
    """A file's bytes and their SHA-256, after :func:`check_image_file` (one read of the file).

    A file over :data:`READ_ONCE_MAX_BYTES` is hashed in blocks instead and its bytes are not kept
    (None): with a decode thread per core, whole 500 MB scans in memory would add up.

    Raises:
        ImageLoadError: as :func:`check_image_file`, or the file could not be read.
    """
    path = Path(path)
    st = check_image_file(path)
    try:
        with open(path, "rb") as fh:
            if st.st_size > READ_ONCE_MAX_BYTES:
                h, read = hashlib.sha256(), 0
                for block in iter(lambda: fh.read(1 << 20), b""):
                    h.update(block)
                    read += len(block)
                    if read > MAX_IMAGE_FILE_BYTES:
                        break
                data, digest = None, h.hexdigest()
            else:
                data = fh.read(MAX_IMAGE_FILE_BYTES + 1)
                read, digest = len(data), hashlib.sha256(data).hexdigest()
    except OSError as exc:
        raise ImageLoadError(f"{path.name}: cannot be read ({exc.strerror or exc})") from exc
    if read > MAX_IMAGE_FILE_BYTES:      # it grew after the size check
        raise ImageLoadError(f"{path.name}: the file is far larger than any image; skipped")
    return data, digest


def decode_bytes(data: bytes | None, path: Path | str, *,
                 min_side: int | None = None) -> tuple[Image.Image, tuple[int, int]]:
    """(upright RGB image, full size) from a file's bytes (None: read ``path`` again); errors name
    ``path``. See ``min_side`` in the module docstring."""
    return _decode(Path(path) if data is None else io.BytesIO(data), Path(path), min_side)


def read_image(path: Path | str, *, min_side: int | None = None) -> DecodedImage:
    """Read a file once, hash its bytes and decode them (see the module docstring for ``min_side``).

    Raises:
        ImageLoadError: as :func:`load_rgb`.
    """
    data, digest = read_file_bytes(path)
    image, full_size = decode_bytes(data, path, min_side=min_side)
    return DecodedImage(image, digest, full_size)


def iter_image_files(paths: Iterable[Path | str], recursive: bool = True,
                     problems: list[Problem] | None = None) -> Iterator[Path]:
    """Yield image files from files and folders, sorted within each folder.

    Non-image files inside folders are skipped silently (a folder holds other things);
    a non-image file named explicitly, or an unreadable folder, is added to ``problems``.
    Each folder is read once: a link back to a parent folder (a loop) or to a folder
    already read is skipped and reported.
    """
    yield from _walk(paths, recursive, problems, set())


def _walk(paths: Iterable[Path | str], recursive: bool, problems: list[Problem] | None,
          seen: set[str]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            real = os.path.realpath(path)
            if real in seen:
                if problems is not None:
                    problems.append(Problem(path, "same folder as one already read (a link), not read twice"))
                continue
            seen.add(real)
            try:
                entries = sorted(os.scandir(path), key=lambda e: e.name)
            except OSError as exc:
                if problems is not None:
                    problems.append(Problem(path, f"folder cannot be read ({exc.strerror or exc})"))
                continue
            subdirs = []
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                try:
                    if entry.is_dir():
                        target = os.path.realpath(entry.path)
                        if entry.is_symlink() and Path(real).is_relative_to(target):
                            if problems is not None:
                                problems.append(Problem(Path(entry.path),
                                                        "links back to a parent folder (a loop), not followed"))
                            continue
                        subdirs.append(Path(entry.path))
                    elif entry.is_file() and is_image_name(Path(entry.name)):
                        yield Path(entry.path)
                except OSError:
                    continue
            if recursive:
                yield from _walk(subdirs, recursive, problems, seen)
        elif path.is_file():
            if is_image_name(path):
                yield path
            elif problems is not None:
                problems.append(Problem(path, f"unsupported file type '{path.suffix or 'none'}'"))
        elif problems is not None:
            problems.append(Problem(path, "does not exist"))
