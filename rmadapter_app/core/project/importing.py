"""Adding images to a project, the file side: checked copies into a class folder, and finding class folders.

Nothing here changes a :class:`rmadapter_app.core.project.project.Project`: :func:`copy_images` copies
files into the project folder and returns what it made; the project then takes the new entries in
(:meth:`Project.add_images`), records the change and the undo step, and saves.
"""
from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PIL import Image

from rmadapter_app.core.errors import ImageLoadError, ProjectError, RMAdapterError
from rmadapter_app.core.events import EventHook, ProgressEvent, StopHook
from rmadapter_app.core.fileio import atomic_write, atomic_write_bytes
from rmadapter_app.core.images import IMAGE_SUFFIXES, Problem, decode_bytes, iter_image_files, read_file_bytes
from rmadapter_app.core.project.files import IMAGES, AddResult, ClassEntry, ImageEntry, class_dir, inside, make_dirs


def copy_images(folder: Path, entry: ClassEntry, paths_in: Iterable[Path | str], known: dict[str, str],
                on_event: EventHook, should_stop: StopHook) -> AddResult:
    """Copy image files (and images inside folders, recursively) into ``entry``'s folder.

    Each file is read once (hashed, decoded at a reduced scale to check it, and written from the same
    bytes), several at a time on threads; broken or unsupported files, images of fewer than
    :data:`MIN_SIDE` pixels a side and fully transparent ones are rejected with a reason; images smaller
    than :data:`SMALL_SIDE` are added with a note in ``result.warnings``; files whose SHA-256 is in
    ``known`` (sha256 -> class name, updated here) are duplicates. A stop
    keeps what was copied so far (``result.stopped``). ``result.added`` holds the new entries, not
    yet part of ``entry``.

    Raises:
        ProjectError: the class folder is a symlink or a file (nothing is copied).
    """
    result = AddResult()
    files = list(iter_image_files([Path(p) for p in paths_in], True, result.rejected))
    dest_dir = class_dir(folder, entry.folder)          # ProjectError for a linked class folder
    workers = max(2, min(8, os.cpu_count() or 2))
    done = 0
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="image-add") as pool:
        for start in range(0, len(files), IMPORT_CHUNK):
            chunk = files[start:start + IMPORT_CHUNK]
            for src, read in zip(chunk, pool.map(_read_and_check, chunk)):
                if should_stop():                    # between two files, as before: the rest stay out
                    result.stopped = True
                    break
                on_event(ProgressEvent("Adding images", done, len(files)))
                _store_one(folder, src, read, entry, dest_dir, known, result)
                done += 1
            if result.stopped:
                break
    on_event(ProgressEvent("Adding images", done, len(files)))
    return result


IMPORT_CHUNK = 16      # files read and checked in parallel at a time (bounds the bytes held in memory)


def _read_and_check(src: Path) -> tuple[bytes | None, str, str] | Problem:
    """One read of the file: its bytes, SHA-256 and a note for the user ("" or why it may not help),
    after decoding them (reduced) to check it is an image worth learning from; or the Problem that
    keeps it out (not an image, fewer than :data:`MIN_SIDE` pixels a side, fully transparent).
    Runs on a worker thread."""
    try:
        data, digest = read_file_bytes(src)         # a huge (or sparse) file is refused before it is read
        image, (width, height) = decode_bytes(data, src, min_side=CHECK_SIDE)
    except ImageLoadError as exc:
        return Problem(src, str(exc).removeprefix(f"{src.name}: "))
    if min(width, height) < MIN_SIDE:
        return Problem(src, f"only {width}x{height} pixels: too small to learn from (at least {MIN_SIDE} "
                            f"pixels a side, {SMALL_SIDE} or more is better); not added")
    if _blank_white(image) and _fully_transparent(data, src):
        return Problem(src, "fully transparent: there is nothing to see in it; not added")
    note = ""
    if min(width, height) < SMALL_SIDE:
        note = (f"added, but only {width}x{height} pixels: it is enlarged to the model's size, so fine "
                f"detail is missing; a larger picture teaches more")
    return data, digest, note


CHECK_SIDE = 256       # decoding at this scale still reads (and so checks) every byte of a JPEG
MIN_SIDE = 8           # fewer pixels than this on a side: refused (a 1x1 "image" teaches nothing)
SMALL_SIDE = 32        # fewer than this: added with a note (CIFAR's 32 px is about the least CLIP reads well)


def _blank_white(image) -> bool:
    """Every pixel white: what a fully transparent image becomes once composited (cheap: reduced image)."""
    return all(lo == hi == 255 for lo, hi in image.getextrema())


def _fully_transparent(data: bytes | None, src: Path) -> bool:
    """True when the file has an alpha channel and every pixel of it is 0 (read only for blank images)."""
    try:
        with Image.open(io.BytesIO(data) if data is not None else src) as im:
            if im.mode == "P" and "transparency" not in im.info:
                return False
            if im.mode not in ("RGBA", "LA", "PA", "P") and "transparency" not in im.info:
                return False
            return im.convert("RGBA").getchannel("A").getextrema()[1] == 0
    except Exception:  # noqa: BLE001 - it decoded once already; any doubt means "not transparent"
        return False


def _store_one(folder: Path, src: Path, read, entry: ClassEntry, dest_dir: Path, known: dict[str, str],
               result: AddResult) -> None:
    """Copy one checked file in (the bytes already read), or record it as a duplicate or a problem."""
    if isinstance(read, Problem):
        result.rejected.append(read)
        return
    data, digest, note = read
    if digest in known:
        result.duplicates.append((src, known[digest]))
        return
    image_id = digest[:16]
    try:
        # checked again for each file: no link may have appeared on the way, or at the name itself
        dest = inside(folder, f"{IMAGES}/{entry.folder}/{image_id}{src.suffix.lower()}")
        make_dirs(folder, dest_dir)
        if data is not None:
            atomic_write_bytes(dest, data)
        else:                                        # a file too large to keep in memory: copy it
            atomic_write(dest, lambda tmp: shutil.copyfile(src, tmp))
    except (RMAdapterError, OSError) as exc:
        result.rejected.append(Problem(src, f"could not be copied into the project ({exc})"))
        return
    known[digest] = entry.name
    result.added.append(ImageEntry(image_id, dest.relative_to(folder).as_posix(), digest, src.name))
    if note:
        result.warnings.append(Problem(src, note))


def find_class_folders(root: Path) -> tuple[list[Path], list[Problem]]:
    """The visible subfolders of ``root`` (sorted by name), and the image files lying directly in it
    (reported: they belong to no class).

    Raises:
        ProjectError: ``root`` is not a readable folder, or has no subfolders.
    """
    root = Path(root)
    if not root.is_dir():
        raise ProjectError(f"{root} is not a folder.")
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError as exc:
        raise ProjectError(f"{root} cannot be read: {exc.strerror or exc}") from exc
    subdirs = [Path(e.path) for e in entries if e.is_dir() and not e.name.startswith(".")]
    if not subdirs:
        raise ProjectError(f"{root} has no class subfolders. Put each class's images in its own subfolder.")
    loose = [Problem(Path(e.path), "not inside a class folder") for e in entries
             if e.is_file() and not e.name.startswith(".") and Path(e.name).suffix.lower() in IMAGE_SUFFIXES]
    return subdirs, loose
