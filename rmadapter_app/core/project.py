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

import json
import logging
import os
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from . import paths
from .errors import ProjectError, RMAdapterError
from .fileio import atomic_write_json
from .project_files import (IMAGES, MANIFEST, TRASH, AddResult, ClassEntry, ImageEntry, empty_old_trash,
                            folder_name, non_empty_dir, slugify, trash, untrash)
from .project_import import ProjectImport
from .project_undo import MAX_UNDO, UndoHistory, put_back, take_out

__all__ = ["AddResult", "ClassEntry", "ImageEntry", "Project", "SCHEMA_VERSION", "MANIFEST", "TRASH",
           "folder_name", "slugify", "MAX_UNDO"]

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 1
DEFAULT_TEMPLATE = "a photo of a {}."


class Project(ProjectImport):
    """A project folder. Not thread-safe: one edit at a time (the GUI runs one job at a time).

    Adding images (:meth:`add_images`, :meth:`import_class_folders`) lives in :mod:`project_import`.
    """

    def __init__(self, folder: Path, name: str, classes: list[ClassEntry] | None = None,
                 settings: dict[str, Any] | None = None, created: str = ""):
        self.folder = Path(folder)
        self.name = name
        self.classes: list[ClassEntry] = classes or []
        self.settings: dict[str, Any] = settings or {}
        self.created = created or time.strftime("%Y-%m-%dT%H:%M:%S")
        self.missing: list[tuple[str, ImageEntry]] = []    # (class, entry) whose file is gone
        self._history = UndoHistory()
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
        return self._history.can_undo()

    def undo_description(self) -> str | None:
        return self._history.last_description()

    def undo(self) -> str | None:
        """Undo the last edit; returns what was undone, or None when there is nothing to undo."""
        with self._lock:
            step = self._history.pop()
            if step is None:
                return None
            try:
                step.undo()
            finally:
                self.save()
            return step.description

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
            self._history.push(f"Add class “{entry.name}”", lambda: self._drop_class(entry))
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
            self._history.push(f"Rename “{before}” to “{clean}”", lambda: self._set_name(entry, before))
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
            self._history.push(f"Change the description of “{entry.name}”", restore)
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
            self._history.push(f"Remove class “{entry.name}”", restore)
            self.save()

    # ------------------------------------------------------------------ image edits
    def remove_images(self, class_name: str, image_ids: Sequence[str]) -> int:
        """Remove images from a class (copies go to the trash; undo restores them). Returns the count."""
        with self._lock:
            entry = self.get_class(class_name)
            taken = take_out(self.folder, entry, image_ids, to_trash=True)
            if not taken:
                return 0

            def restore() -> None:
                untrash(self.folder, taken.trashed)
                put_back(entry, taken.positions)
            self._history.push(f"Remove {len(taken.positions)} image(s) from “{entry.name}”", restore)
            self.save()
            return len(taken.positions)

    def move_images(self, image_ids: Sequence[str], src_class: str, dst_class: str) -> int:
        """Move images to another class (their files move to its folder). Returns the count."""
        with self._lock:
            src, dst = self.get_class(src_class), self.get_class(dst_class)
            if src is dst:
                return 0
            taken = take_out(self.folder, src, image_ids, to_trash=False)
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
                put_back(src, taken.positions)
            self._history.push(f"Move {len(moved)} image(s) from “{src.name}” to “{dst.name}”", restore)
            self.save()
            return len(moved)

    # ------------------------------------------------------------------ file helpers
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


def _safe_relative(rel: str) -> bool:
    """True for a path like images/<folder>/<file> that stays inside the project."""
    parts = Path(rel).parts
    return (len(parts) >= 2 and parts[0] == IMAGES and ".." not in parts
            and not Path(rel).is_absolute() and ":" not in parts[0])
