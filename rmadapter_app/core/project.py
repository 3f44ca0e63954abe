"""A project: classes (name, description, images) in a folder the user can see.

Layout::

    <folder>/project.json                      # versioned manifest, written atomically after every edit
    <folder>/images/<class-folder>/<id><ext>   # copies of the user's images (originals never touched)
    <folder>/.trash/<stamp>/...                # removed copies, kept so undo can bring them back
    <folder>/adapters/                         # saved adapter files (created on demand)

Every edit saves the manifest and pushes an undo step. Image ids are the first 16 hex digits of
the file's SHA-256, so a picture is in a project at most once.
"""
from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from . import paths
from .errors import ImageLoadError, ProjectError, RMAdapterError
from .events import EventHook, ProgressEvent, StatusEvent, StopHook, never_stop, no_event
from .fileio import atomic_write, atomic_write_json
from .images import IMAGE_SUFFIXES, Problem, iter_image_files, load_rgb
from .project_files import (IMAGES, MANIFEST, TRASH, AddResult, ClassEntry, ImageEntry, empty_old_trash,
                            file_sha256, folder_name, non_empty_dir, slugify, trash, untrash)

__all__ = ["AddResult", "ClassEntry", "ImageEntry", "Project", "SCHEMA_VERSION", "MANIFEST", "TRASH",
           "folder_name", "slugify"]

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 1
MAX_UNDO = 200
DEFAULT_TEMPLATE = "a photo of a {}."


@dataclass
class _Step:
    description: str
    undo: Callable[[], None]


class Project:
    """A project folder. Not thread-safe: one edit at a time (the GUI runs one job at a time)."""

    def __init__(self, folder: Path, name: str, classes: list[ClassEntry] | None = None,
                 settings: dict[str, Any] | None = None, created: str = ""):
        self.folder = Path(folder)
        self.name = name
        self.classes: list[ClassEntry] = classes or []
        self.settings: dict[str, Any] = settings or {}
        self.created = created or time.strftime("%Y-%m-%dT%H:%M:%S")
        self.missing: list[tuple[str, ImageEntry]] = []    # (class, entry) whose file is gone
        self._undo: list[_Step] = []
        self._group: list[_Step] | None = None
        self._lock = threading.RLock()

    # ------------------------------------------------------------------ create / open / save
    @classmethod
    def create(cls, name: str, parent: Path | None = None) -> Project:
        """Make a new project folder ``parent/<name>`` (default parent: the app's projects folder).

        Raises:
            ProjectError: the folder exists and is not empty, or cannot be written.
        """
        name = " ".join(str(name).split()) or "Untitled"
        parent = Path(parent) if parent is not None else paths.projects_dir()
        folder = parent / folder_name(name)
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            raise ProjectError(f"{folder} already exists and is not empty. Choose another name or folder.")
        try:
            (folder / IMAGES).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ProjectError(f"Could not create {folder}: {exc.strerror or exc}") from exc
        project = cls(folder, name)
        project.save()
        return project

    @classmethod
    def create_unique(cls, name: str = "Untitled", parent: Path | None = None) -> Project:
        """Like :meth:`create`, adding " 2", " 3", ... to the name until the folder is free."""
        parent = Path(parent) if parent is not None else paths.projects_dir()
        for i in range(1, 10_000):
            candidate = name if i == 1 else f"{name} {i}"
            folder = parent / folder_name(candidate)
            if not folder.exists() or (folder.is_dir() and not any(folder.iterdir())):
                return cls.create(candidate, parent)
        raise ProjectError(f"Could not find a free folder name for {name!r} in {parent}.")

    @classmethod
    def open(cls, folder: Path) -> Project:
        """Open a project folder.

        Raises:
            ProjectError: no or damaged project.json, or one written by a newer version.
        """
        folder = Path(folder)
        manifest = folder / MANIFEST
        if not manifest.is_file():
            raise ProjectError(f"{folder} is not an RMAdapter Studio project (no {MANIFEST} inside).")
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ProjectError(f"{manifest} is damaged and cannot be read ({exc}). "
                               "Restore it from a backup, or create a new project.") from exc
        if not isinstance(data, dict) or not isinstance(data.get("schema_version"), int):
            raise ProjectError(f"{manifest} is damaged: it has no schema_version.")
        if data["schema_version"] > SCHEMA_VERSION:
            raise ProjectError(f"{manifest} was written by a newer RMAdapter Studio (schema "
                               f"{data['schema_version']}, this version reads {SCHEMA_VERSION}). "
                               "Update the app to open it.")
        try:
            classes = [ClassEntry(name=str(c["name"]), description=str(c.get("description", "")),
                                  folder=str(c.get("folder") or slugify(c["name"])),
                                  images=[ImageEntry(**{k: str(i[k]) for k in
                                                        ("id", "file", "sha256", "original_name")})
                                          for i in c.get("images", [])])
                       for c in data.get("classes", [])]
            settings = dict(data.get("settings") or {})
            bad = [e.file for c in classes for e in c.images if not _safe_relative(e.file)]
            if bad:
                raise ValueError(f"image path {bad[0]!r} points outside the project's images folder")
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            raise ProjectError(f"{manifest} is damaged: {type(exc).__name__}: {exc}.") from exc
        project = cls(folder, str(data.get("name") or folder.name), classes, settings,
                      str(data.get("created", "")))
        project.missing = [(c.name, e) for c in classes for e in c.images
                           if not (folder / e.file).is_file()]
        if project.missing:
            logger.warning("%s: %d image files are missing", folder, len(project.missing))
        empty_old_trash(folder)
        return project

    def to_dict(self) -> dict[str, Any]:
        from .. import __version__
        return {"schema_version": SCHEMA_VERSION, "app_version": __version__, "name": self.name,
                "created": self.created, "settings": self.settings,
                "classes": [{"name": c.name, "description": c.description, "folder": c.folder,
                             "images": [asdict(e) for e in c.images]} for c in self.classes]}

    def save(self) -> None:
        """Write project.json atomically (called after every edit)."""
        try:
            atomic_write_json(self.folder / MANIFEST, self.to_dict())
        except RMAdapterError as exc:
            raise ProjectError(str(exc)) from exc

    # ------------------------------------------------------------------ queries
    def class_names(self) -> list[str]:
        return [c.name for c in self.classes]

    def get_class(self, name: str) -> ClassEntry:
        """The class called ``name`` (case-insensitive). Raises ProjectError when there is none."""
        key = str(name).strip().casefold()
        for c in self.classes:
            if c.name.casefold() == key:
                return c
        raise ProjectError(f"There is no class called {name!r}.")

    def has_class(self, name: str) -> bool:
        key = str(name).strip().casefold()
        return any(c.name.casefold() == key for c in self.classes)

    def prompt_for(self, name: str, template: str = DEFAULT_TEMPLATE) -> str:
        """The text prompt of a class: the template with its name, plus its description if any."""
        c = self.get_class(name)
        prompt = template.format(c.name)
        desc = c.description.strip().rstrip(".").strip()
        if desc:
            prompt = f"{prompt.rstrip().rstrip('.')}, {desc}."
        return prompt

    def image_path(self, entry: ImageEntry) -> Path:
        return self.folder / entry.file

    def find_image(self, image_id: str) -> tuple[ClassEntry, ImageEntry]:
        for c in self.classes:
            for e in c.images:
                if e.id == image_id:
                    return c, e
        raise ProjectError(f"No image with id {image_id} in the project.")

    def image_count(self) -> int:
        return sum(len(c.images) for c in self.classes)

    def training_data(self, template: str = DEFAULT_TEMPLATE
                      ) -> tuple[list[tuple[Path, int]], list[str], list[str]]:
        """(samples, class_names, prompts); classes without images stay in (zero-shot from the name).

        Image files missing from disk are left out of the samples.
        """
        samples = [(self.image_path(e), label) for label, c in enumerate(self.classes)
                   for e in c.images if self.image_path(e).is_file()]
        names = self.class_names()
        return samples, names, [self.prompt_for(n, template) for n in names]

    @property
    def adapters_dir(self) -> Path:
        path = self.folder / "adapters"
        path.mkdir(parents=True, exist_ok=True)
        return path

    def update_settings(self, **kv: Any) -> None:
        """Merge ``kv`` into the project settings and save (not undoable: settings are not data)."""
        self.settings.update(kv)
        self.save()

    # ------------------------------------------------------------------ undo
    def can_undo(self) -> bool:
        return bool(self._undo)

    def undo_description(self) -> str | None:
        return self._undo[-1].description if self._undo else None

    def undo(self) -> str | None:
        """Undo the last edit; returns what was undone, or None when there is nothing to undo."""
        with self._lock:
            if not self._undo:
                return None
            step = self._undo.pop()
            try:
                step.undo()
            finally:
                self.save()
            return step.description

    def _push(self, description: str, undo: Callable[[], None]) -> None:
        step = _Step(description, undo)
        if self._group is not None:
            self._group.append(step)
            return
        self._undo.append(step)
        del self._undo[:-MAX_UNDO]

    @contextlib.contextmanager
    def _grouped(self, description: Callable[[], str]) -> Iterator[None]:
        """Collect the steps pushed inside into one undo step."""
        outer, self._group = self._group, []
        try:
            yield
        finally:
            steps, self._group = self._group, outer
            if steps:
                def undo_all() -> None:
                    for s in reversed(steps):
                        s.undo()
                self._push(description(), undo_all)

    # ------------------------------------------------------------------ class edits
    def _check_name(self, name: str, ignore: ClassEntry | None = None) -> str:
        clean = " ".join(str(name).split())
        if not clean:
            raise ProjectError("A class needs a name.")
        if len(clean) > 200:
            raise ProjectError("A class name can be at most 200 characters long.")
        for c in self.classes:
            if c is not ignore and c.name.casefold() == clean.casefold():
                raise ProjectError(f"There is already a class called {c.name!r}.")
        return clean

    def _free_folder(self, name: str, ignore: ClassEntry | None = None) -> str:
        """A folder name for a class: its slug, numbered when another class or a non-empty folder has it."""
        if ignore is not None and ignore.folder.casefold() == slugify(name).casefold():
            return ignore.folder
        used = {c.folder.casefold() for c in self.classes if c is not ignore}
        base = slugify(name)
        slug, i = base, 2
        while slug.casefold() in used or non_empty_dir(self.folder / IMAGES / slug):
            slug, i = f"{base}-{i}", i + 1
        return slug

    def add_class(self, name: str, description: str = "") -> ClassEntry:
        """Add an empty class. Raises ProjectError for an empty or taken name."""
        with self._lock:
            entry = ClassEntry(self._check_name(name), description.strip())
            entry.folder = self._free_folder(entry.name)
            self.classes.append(entry)
            self._push(f"Add class “{entry.name}”", lambda: self._drop_class(entry))
            self.save()
            return entry

    def _drop_class(self, entry: ClassEntry) -> None:
        """Take a class out (its image copies go to the trash)."""
        trash(self.folder, [e.file for e in entry.images])
        self.classes.remove(entry)

    def rename_class(self, old: str, new: str) -> None:
        with self._lock:
            entry = self.get_class(old)
            clean = self._check_name(new, ignore=entry)
            if clean == entry.name:
                return
            before = entry.name
            self._set_name(entry, clean)
            self._push(f"Rename “{before}” to “{clean}”", lambda: self._set_name(entry, before))
            self.save()

    def _set_name(self, entry: ClassEntry, name: str) -> None:
        """Rename a class and its image folder (the folder keeps its name if it cannot move)."""
        entry.name = name
        new_folder = self._free_folder(name, ignore=entry)
        if new_folder == entry.folder:
            return
        src, dst = self.folder / IMAGES / entry.folder, self.folder / IMAGES / new_folder
        if src.exists():
            try:
                if dst.is_dir():
                    dst.rmdir()            # empty (a non-empty one is never chosen)
                os.replace(src, dst)
            except OSError as exc:
                logger.warning("could not rename %s: %s", src, exc)
                return
        prefix = f"{IMAGES}/{entry.folder}/"
        for e in entry.images:
            if e.file.startswith(prefix):
                e.file = f"{IMAGES}/{new_folder}/" + e.file[len(prefix):]
        entry.folder = new_folder

    def set_description(self, name: str, text: str) -> None:
        with self._lock:
            entry = self.get_class(name)
            text = " ".join(str(text).split())
            if text == entry.description:
                return
            before = entry.description

            def restore() -> None:
                entry.description = before
            entry.description = text
            self._push(f"Change the description of “{entry.name}”", restore)
            self.save()

    def remove_class(self, name: str) -> None:
        """Remove a class; its image copies go to the project's trash so undo can restore them."""
        with self._lock:
            entry = self.get_class(name)
            index = self.classes.index(entry)
            moved = trash(self.folder, [e.file for e in entry.images])
            self.classes.remove(entry)

            def restore() -> None:
                untrash(self.folder, moved)
                self.classes.insert(min(index, len(self.classes)), entry)
            self._push(f"Remove class “{entry.name}”", restore)
            self.save()

    # ------------------------------------------------------------------ image edits
    def add_images(self, class_name: str, paths_in: Iterable[Path | str], on_event: EventHook | None = None,
                   should_stop: StopHook | None = None) -> AddResult:
        """Copy image files (and images inside folders, recursively) into a class.

        Each file is decoded once to check it; broken or unsupported files are rejected with a
        reason, files already in the project are reported as duplicates (with the class holding
        them). A stop keeps what was copied so far (``result.stopped``).
        """
        on_event = on_event or no_event
        should_stop = should_stop or never_stop
        with self._lock:
            entry = self.get_class(class_name)
            result = AddResult()
            files = list(iter_image_files([Path(p) for p in paths_in], True, result.rejected))
            known = {e.sha256: c.name for c in self.classes for e in c.images}
            dest_dir = self.folder / IMAGES / entry.folder
            for i, src in enumerate(files):
                if should_stop():
                    result.stopped = True
                    break
                on_event(ProgressEvent("Adding images", i, len(files)))
                self._add_one(src, entry, dest_dir, known, result)
            on_event(ProgressEvent("Adding images", len(files), len(files)))
            if result.added:
                added = list(result.added)
                entry.images += added
                self._push(f"Add {len(added)} image(s) to “{entry.name}”",
                           lambda: self._take_out(entry, [e.id for e in added], to_trash=True))
                self.save()
            for p in result.rejected:
                on_event(StatusEvent(f"Skipped {p.path.name}: {p.reason}", "warning"))
            return result

    def _add_one(self, src: Path, entry: ClassEntry, dest_dir: Path, known: dict[str, str],
                 result: AddResult) -> None:
        try:
            digest = file_sha256(src)
        except OSError as exc:
            result.rejected.append(Problem(src, f"cannot be read ({exc.strerror or exc})"))
            return
        if digest in known:
            result.duplicates.append((src, known[digest]))
            return
        try:
            load_rgb(src)
        except ImageLoadError as exc:
            reason = str(exc)
            prefix = f"{src.name}: "
            result.rejected.append(Problem(src, reason[len(prefix):] if reason.startswith(prefix) else reason))
            return
        image_id = digest[:16]
        dest = dest_dir / f"{image_id}{src.suffix.lower()}"
        try:
            atomic_write(dest, lambda tmp: shutil.copyfile(src, tmp))
        except (RMAdapterError, OSError) as exc:
            result.rejected.append(Problem(src, f"could not be copied into the project ({exc})"))
            return
        known[digest] = entry.name
        result.added.append(ImageEntry(image_id, dest.relative_to(self.folder).as_posix(), digest, src.name))

    def import_class_folders(self, root: Path, on_event: EventHook | None = None,
                             should_stop: StopHook | None = None) -> AddResult:
        """One class per subfolder of ``root`` (underscores become spaces), with its images.

        Existing classes of the same name get the images added. Image files lying directly in
        ``root`` are reported as rejected (they belong to no class). One undo step undoes it all.
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
        result = AddResult()
        result.rejected += [Problem(Path(e.path), "not inside a class folder") for e in entries
                            if e.is_file() and not e.name.startswith(".") and Path(e.name).suffix.lower()
                            in IMAGE_SUFFIXES]
        with self._lock, self._grouped(lambda: f"Import {len(subdirs)} class folder(s) from “{root.name}”"):
            for sub in subdirs:
                if should_stop and should_stop():
                    result.stopped = True
                    break
                name = " ".join(sub.name.replace("_", " ").split())
                if not name:
                    continue
                if not self.has_class(name):
                    self.add_class(name)
                    result.classes_created.append(name)
                if on_event:
                    on_event(StatusEvent(f"Adding images to “{name}”"))
                result.merge(self.add_images(name, [sub], on_event, should_stop))
        return result

    def remove_images(self, class_name: str, image_ids: Sequence[str]) -> int:
        """Remove images from a class (copies go to the trash; undo restores them). Returns the count."""
        with self._lock:
            entry = self.get_class(class_name)
            taken = self._take_out(entry, image_ids, to_trash=True)
            if not taken:
                return 0

            def restore() -> None:
                untrash(self.folder, taken.trashed)
                self._put_back(entry, taken.positions)
            self._push(f"Remove {len(taken.positions)} image(s) from “{entry.name}”", restore)
            self.save()
            return len(taken.positions)

    def move_images(self, image_ids: Sequence[str], src_class: str, dst_class: str) -> int:
        """Move images to another class (their files move to its folder). Returns the count."""
        with self._lock:
            src, dst = self.get_class(src_class), self.get_class(dst_class)
            if src is dst:
                return 0
            taken = self._take_out(src, image_ids, to_trash=False)
            if not taken:
                return 0
            moved = [e for _, e in taken.positions]
            originals = {e.id: e.file for e in moved}
            for e in moved:
                e.file = self._relocate(e.file, dst.folder)
            dst.images += moved

            def restore() -> None:
                for e in moved:
                    dst.images.remove(e)
                    e.file = self._relocate(e.file, src.folder, name=Path(originals[e.id]).name)
                self._put_back(src, taken.positions)
            self._push(f"Move {len(moved)} image(s) from “{src.name}” to “{dst.name}”", restore)
            self.save()
            return len(moved)

    # ------------------------------------------------------------------ file helpers
    def _take_out(self, entry: ClassEntry, image_ids: Sequence[str], to_trash: bool) -> _Taken:
        wanted = set(image_ids)
        positions = [(i, e) for i, e in enumerate(entry.images) if e.id in wanted]
        ids = {e.id for _, e in positions}
        entry.images[:] = [e for e in entry.images if e.id not in ids]
        trashed = trash(self.folder, [e.file for _, e in positions]) if to_trash else []
        return _Taken(positions, trashed)

    @staticmethod
    def _put_back(entry: ClassEntry, positions: list[tuple[int, ImageEntry]]) -> None:
        for i, e in sorted(positions, key=lambda p: p[0]):
            entry.images.insert(min(i, len(entry.images)), e)

    def _relocate(self, rel: str, folder: str, name: str | None = None) -> str:
        """Move a project file into images/<folder>/ and return its new relative path."""
        src = self.folder / rel
        dst_rel = f"{IMAGES}/{folder}/{name or Path(rel).name}"
        dst = self.folder / dst_rel
        if src.exists():
            dst.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.replace(src, dst)
            except OSError as exc:
                logger.warning("could not move %s: %s", src, exc)
                return rel
        return dst_rel

@dataclass
class _Taken:
    positions: list[tuple[int, ImageEntry]]
    trashed: list[tuple[str, Path]]

    def __bool__(self) -> bool:
        return bool(self.positions)


def _safe_relative(rel: str) -> bool:
    """True for a path like images/<folder>/<file> that stays inside the project."""
    parts = Path(rel).parts
    return (len(parts) >= 2 and parts[0] == IMAGES and ".." not in parts
            and not Path(rel).is_absolute() and ":" not in parts[0])
