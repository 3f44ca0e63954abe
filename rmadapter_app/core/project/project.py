"""A project: classes (name, description, images) in a folder the user can see.

Layout::

    <folder>/project.json                      # versioned manifest, written atomically after every edit
    <folder>/images/<class-folder>/<id><ext>   # copies of the user's images (originals never touched)
    <folder>/.trash/<stamp>/...                # removed copies, kept so undo can bring them back
    <folder>/adapters/                         # saved adapter files (created on demand)

Every edit saves the manifest and pushes an undo step. Image ids are the first 16 hex digits of
the file's SHA-256, so a picture is in a project at most once.

Safety: the project writes, moves and deletes only below its folder. project.json is checked on
open (:mod:`project_manifest`), and every path an edit uses is checked again when it is used
(:func:`project_files.inside`, :func:`project_files.class_dir`): no ``..``, no absolute path, and no
symlink below the project folder, so a link unpacked from a zip never leads an edit elsewhere.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from rmadapter_app.core import paths
from rmadapter_app.core.errors import ProjectError, RMAdapterError
from rmadapter_app.core.naming import DEFAULT_TEMPLATE
from rmadapter_app.core.fileio import atomic_write_json
from rmadapter_app.core.project.files import (IMAGES, MANIFEST, TRASH, AddResult, ClassEntry, ImageEntry, class_dir,
                            empty_old_trash, folder_is_free, folder_name, inside, make_dirs, slugify, trash,
                            untrash)
from rmadapter_app.core.project.importing import ProjectImport
from rmadapter_app.core.project.manifest import ADAPTERS, SCHEMA_VERSION, read_manifest
from rmadapter_app.core.project.undo import MAX_UNDO, UndoHistory, put_back, take_out

__all__ = ["AddResult", "ClassEntry", "ImageEntry", "Project", "SCHEMA_VERSION", "MANIFEST", "TRASH",
           "folder_name", "slugify", "MAX_UNDO"]

logger = logging.getLogger(__name__)



class Project(ProjectImport):
    """A project folder. Not thread-safe: one edit at a time (the GUI runs one job at a time).

    Adding images (:meth:`add_images`, :meth:`import_class_folders`) lives in :mod:`project_import`.
    """

    def __init__(self, folder: Path, name: str, classes: list[ClassEntry] | None = None,
                 settings: dict[str, Any] | None = None, created: str = ""):
        self.folder = Path(os.path.abspath(folder))      # absolute: paths below it are checked lexically
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
        """Open a project folder (its project.json is checked first: see :mod:`project_manifest`).

        Raises:
            ProjectError: no or damaged project.json, one written by a newer version, a path in it
                that leaves the folder, or a symlink where the project writes.
        """
        folder = Path(os.path.abspath(folder))
        manifest = read_manifest(folder)
        project = cls(folder, manifest.name, manifest.classes, manifest.settings, manifest.created)
        project.missing = [(c.name, e) for c in manifest.classes for e in c.images
                           if not _is_file(folder / e.file)]
        if project.missing:
            logger.warning("%s: %d image files are missing", folder, len(project.missing))
        empty_old_trash(folder)
        return project

    def to_dict(self) -> dict[str, Any]:
        from rmadapter_app import __version__
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
        """The project's adapters folder, created on demand.

        Raises:
            ProjectError: ``adapters`` is a symlink or a file (adapters are never written through a link).
        """
        path = inside(self.folder, ADAPTERS)
        make_dirs(self.folder, path)
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
        """A folder name for a class: its slug, numbered when another class has it or images/<slug>
        is not free (a non-empty folder, a file or a symlink)."""
        if ignore is not None and ignore.folder.casefold() == slugify(name).casefold():
            return ignore.folder
        used = {c.folder.casefold() for c in self.classes if c is not ignore}
        base = slugify(name)
        slug, i = base, 2
        while slug.casefold() in used or not folder_is_free(self.folder / IMAGES, slug):
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
        """Rename a class and its image folder (the folder keeps its name if it cannot move).

        Raises:
            ProjectError: the class folder (or the new one) is a symlink or not a folder; nothing changed.
        """
        new_folder = self._free_folder(name, ignore=entry)
        if new_folder == entry.folder:
            entry.name = name
            return
        src, dst = class_dir(self.folder, entry.folder), class_dir(self.folder, new_folder)
        entry.name = name
        if os.path.lexists(src):
            try:
                if os.path.lexists(dst):
                    dst.rmdir()            # a real, empty folder (a non-empty one or a link is never chosen)
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
                # the class comes back first: a file that cannot be restored is then only "missing"
                self.classes.insert(min(index, len(self.classes)), entry)
                untrash(self.folder, moved)
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
                put_back(entry, taken.positions)
                untrash(self.folder, taken.trashed)
            self._history.push(f"Remove {len(taken.positions)} image(s) from “{entry.name}”", restore)
            self.save()
            return len(taken.positions)

    def move_images(self, image_ids: Sequence[str], src_class: str, dst_class: str) -> int:
        """Move images to another class (their files move to its folder). Returns the count."""
        with self._lock:
            src, dst = self.get_class(src_class), self.get_class(dst_class)
            if src is dst:
                return 0
            class_dir(self.folder, src.folder)     # refuse linked class folders before anything moves
            class_dir(self.folder, dst.folder)
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
        """Move a project file into images/<folder>/ and return its new relative path.

        The file stays where it is (and its old path is returned) when it cannot move: a path through
        a symlink, a name already taken in the target folder, or a file-system error.
        """
        dst_rel = f"{IMAGES}/{folder}/{name or Path(rel).name}"
        try:
            src, dst = inside(self.folder, rel), inside(self.folder, dst_rel)
            class_dir(self.folder, folder)
            if not os.path.lexists(src):
                return dst_rel
            if os.path.lexists(dst):
                raise ProjectError(f"{dst} already exists")
            make_dirs(self.folder, dst.parent)
            os.replace(src, dst)
        except OSError as exc:                  # ProjectError is an OSError too
            logger.warning("could not move %s: %s", rel, exc)
            return rel
        return dst_rel


def _is_file(path: Path) -> bool:
    """True for an existing regular file (an unreadable or over-long path counts as missing)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False
