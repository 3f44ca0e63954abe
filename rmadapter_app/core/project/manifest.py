"""Reading project.json without trusting it: size, JSON, types, and every path confined to the project.

A project folder may come from anywhere (a zip, a colleague, a damaged disk), so its manifest is
checked before the project uses it:

* a manifest over :data:`MAX_MANIFEST_BYTES` is refused before it is read; JSON that is not JSON,
  nested too deeply (``RecursionError``) or too big for memory is "damaged";
* every field has the type the app writes (names and image fields are strings, classes and images
  are lists of objects); anything else is "damaged", with the class named;
* a class ``folder`` must be one plain folder name; an unsafe one (absolute, ``..``, ``a/b``) or one
  another class already uses gets a fresh slug instead (nothing is lost: the images keep their own
  paths); an image ``file`` must be ``images/<folder>/<name>`` with no symlink on the way;
* the folders the app writes in (``images``, each class folder, ``.trash``, ``adapters``) must be
  real folders, not symlinks: a project with a link there is refused with the link named.
"""
from __future__ import annotations

import json
import logging
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rmadapter_app.core.errors import ProjectError
from rmadapter_app.core.project.files import (
    IMAGES,
    MANIFEST,
    TRASH,
    ClassEntry,
    ImageEntry,
    folder_is_free,
    inside,
    is_safe_folder_name,
    slugify,
)
from rmadapter_app.core.safepath import real_folder

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 1
MAX_MANIFEST_BYTES = 64 * 1024 * 1024       # a real manifest of 100,000 images is about 20 MB
ADAPTERS = "adapters"
_IMAGE_FIELDS = ("id", "file", "sha256", "original_name")


@dataclass
class Manifest:
    """The checked contents of a project.json."""

    name: str
    created: str
    settings: dict[str, Any]
    classes: list[ClassEntry]
    renamed_folders: list[tuple[str, str, str]] = field(default_factory=list)   # (class, bad, new)


def read_manifest(folder: Path) -> Manifest:
    """Read and check ``folder/project.json``.

    Raises:
        ProjectError: no manifest, too large, damaged, newer schema, a path leaving the project, or a
            symlink where the app writes.
    """
    folder = Path(folder)
    path = folder / MANIFEST
    data = _load_json(folder, path)
    if not isinstance(data, dict) or type(data.get("schema_version")) is not int:
        raise ProjectError(f"{path} is damaged: it has no schema_version.")
    version = data["schema_version"]
    if version > SCHEMA_VERSION:
        raise ProjectError(f"{path} was written by a newer RMAdapter Studio (schema "
                           f"{str(version)[:20]}, this version reads {SCHEMA_VERSION}). Update the app to open it.")
    if version < 1:
        raise ProjectError(f"{path} is damaged: schema_version {str(version)[:20]} is not a valid version.")
    name = data.get("name")
    if name is not None and not isinstance(name, str):
        raise _damaged(path, "the project name is not text")
    settings = data.get("settings")
    if settings is None:
        settings = {}
    if not isinstance(settings, dict):
        raise _damaged(path, "settings is not an object")
    created = data.get("created")
    manifest = Manifest(name or folder.name, created if isinstance(created, str) else "", dict(settings),
                        _classes(path, data.get("classes")))
    _check_folders(folder, path, manifest)
    return manifest


def _load_json(folder: Path, path: Path) -> Any:
    """The parsed JSON of ``path`` (a regular file of at most MAX_MANIFEST_BYTES)."""
    not_project = ProjectError(f"{folder} is not an RMAdapter Studio project (no {MANIFEST} inside).")
    try:
        # O_NONBLOCK: a FIFO named project.json must not hang the app; fstat then refuses it
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except (OSError, ValueError):
        raise not_project from None
    with os.fdopen(fd, "rb") as fh:
        try:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode):
                raise not_project
            if st.st_size > MAX_MANIFEST_BYTES:
                raise ProjectError(_too_large(path, st.st_size))
            raw = _read_at_most(fh, path)
        except ProjectError:
            raise
        except OSError as exc:
            raise ProjectError(f"{path} cannot be read: {exc.strerror or exc}.") from exc
    try:
        data = json.loads(raw.decode("utf-8"))
        # json accepts lone surrogates (\ud800) that could never be saved again as UTF-8
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except (UnicodeError, ValueError, RecursionError, MemoryError) as exc:
        what = "nested too deeply" if isinstance(exc, RecursionError) else \
            "too big to read" if isinstance(exc, MemoryError) else str(exc)[:200]
        raise ProjectError(f"{path} is damaged and cannot be read ({what}). "
                           "Restore it from a backup, or create a new project.") from None
    return data


def _read_at_most(fh: Any, path: Path) -> bytes:
    """The file's bytes, read in blocks (no buffer the size of the limit), refusing one that grew too large."""
    chunks, total = [], 0
    while block := fh.read(1 << 20):
        total += len(block)
        if total > MAX_MANIFEST_BYTES:                      # it grew while we read it
            raise ProjectError(_too_large(path, total))
        chunks.append(block)
    return b"".join(chunks)


def _classes(path: Path, raw: Any) -> list[ClassEntry]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise _damaged(path, "classes is not a list")
    classes = []
    for i, c in enumerate(raw, 1):
        if not isinstance(c, dict):
            raise _damaged(path, f"class {i} is not an object")
        name = c.get("name")
        if not isinstance(name, str) or not name.strip():
            raise _damaged(path, f"class {i} has no name")
        description = c.get("description")
        if description is not None and not isinstance(description, str):
            raise _damaged(path, f"the description of class {name!r} is not text")
        folder = c.get("folder")
        if folder is not None and not isinstance(folder, str):
            raise _damaged(path, f"the folder of class {name!r} is not text")
        classes.append(ClassEntry(name=name, description=description or "", folder=folder or "",
                                  images=_images(path, name, c.get("images"))))
    return classes


def _images(path: Path, class_name: str, raw: Any) -> list[ImageEntry]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise _damaged(path, f"the images of class {class_name!r} are not a list")
    images = []
    for i in raw:
        if not isinstance(i, dict) or not all(isinstance(i.get(k), str) for k in _IMAGE_FIELDS):
            raise _damaged(path, f"an image of class {class_name!r} lacks its id, file, sha256 or original_name")
        images.append(ImageEntry(**{k: i[k] for k in _IMAGE_FIELDS}))
    return images


def _check_folders(folder: Path, path: Path, manifest: Manifest) -> None:
    """Confine class folders and image files; refuse symlinks where the app writes."""
    for name in (IMAGES, TRASH, ADAPTERS):
        _real_or_absent(folder / name)
    images_dir = folder / IMAGES
    # pass 1: keep every safe, unique folder name; pass 2: give the others a fresh slug
    used: set[str] = set()
    bad: list[ClassEntry] = []
    for c in manifest.classes:
        if c.folder and is_safe_folder_name(c.folder) and c.folder.casefold() not in used:
            used.add(c.folder.casefold())
            _real_or_absent(images_dir / c.folder)
        else:
            bad.append(c)
    for c in bad:
        base = slugify(c.name)
        slug, n = base, 2
        while slug.casefold() in used or not folder_is_free(images_dir, slug):
            slug, n = f"{base}-{n}", n + 1
        if c.folder:
            logger.warning("%s: class %r had the folder %r; using %r", path, c.name, c.folder, slug)
            manifest.renamed_folders.append((c.name, c.folder, slug))
        used.add(slug.casefold())
        c.folder = slug
    for c in manifest.classes:
        for e in c.images:
            e.file = _image_file(folder, c.name, e.file)


def _image_file(folder: Path, class_name: str, file: str) -> str:
    """``file`` normalised to images/<folder>/<name>, or ProjectError when it would leave the project."""
    why = ""
    try:
        full = inside(folder, file)
        parts = full.relative_to(folder).parts
        if len(parts) != 3 or parts[0] != IMAGES or not all(map(is_safe_folder_name, parts[1:])):
            why = "it is not images/<class folder>/<file name>"
    except ProjectError as exc:
        why = str(exc).split(". RMAdapter Studio")[0]
    if why:
        raise ProjectError(f"The project's class {class_name[:80]!r} has an image path {file[:300]!r} that "
                           f"points outside the project's images folder ({why}). "
                           "Fix or remove that entry in project.json.")
    return "/".join(parts)


def _real_or_absent(path: Path) -> None:
    """Refuse ``path`` when it exists but is a symlink (or junction) or not a folder."""
    if os.path.lexists(path) and not real_folder(path):
        what = "a symbolic link" if os.path.islink(path) else "not a real folder"
        raise ProjectError(f"{path} is {what}. RMAdapter Studio never writes through links out of a "
                           "project folder: replace it by a real folder (copy what it points to) and "
                           "open the project again.")


def _damaged(path: Path, what: str) -> ProjectError:
    return ProjectError(f"{path} is damaged: {what}. Restore it from a backup, or fix project.json.")


def _too_large(path: Path, size: int) -> str:
    return (f"{path} is too large to be a project manifest ({size // (1024 * 1024)} MB; at most "
            f"{MAX_MANIFEST_BYTES // (1024 * 1024)} MB). It is probably damaged.")
