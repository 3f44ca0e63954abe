"""A project: classes (name, description, images) in a folder the user can see.

Layout::

    <folder>/project.json                      # versioned manifest, written atomically after every edit
    <folder>/images/<class-folder>/<id><ext>   # copies of the user's images (originals never touched)
    <folder>/.trash/<stamp>/...                # removed copies, kept so undo can bring them back
    <folder>/adapters/                         # saved adapter files (created on demand)

Every edit saves the manifest, pushes an undo step and tells the subscribers what changed
(:meth:`Project.subscribe`, events in :mod:`rmadapter_app.core.project.changes`); an undo tells them
the inverse changes. Image ids are the first 16 hex digits of the file's SHA-256, so a picture is in
a project at most once. Copying image files in is :mod:`rmadapter_app.core.project.importing`.

Safety: the project writes, moves and deletes only below its folder. project.json is checked on
open (:mod:`rmadapter_app.core.project.manifest`), and every path an edit uses is checked again when
it is used (:func:`files.inside`, :func:`files.class_dir`): no ``..``, no absolute path, and no
symlink below the project folder, so a link unpacked from a zip never leads an edit elsewhere.
"""
from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from rmadapter_app.core import paths
from rmadapter_app.core.errors import ProjectError, RMAdapterError
from rmadapter_app.core.events import EventHook, StatusEvent, StopHook, never_stop, no_event
from rmadapter_app.core.fileio import atomic_write_json
from rmadapter_app.core.naming import DEFAULT_TEMPLATE, class_name_from_folder, fill_template
from rmadapter_app.core.project import edits
from rmadapter_app.core.project.changes import ChangeCallback, ChangeHub
from rmadapter_app.core.project.files import (
    IMAGES,
    MANIFEST,
    TRASH,
    AddResult,
    ClassEntry,
    ImageEntry,
    check_class_name,
    class_dir,
    empty_old_trash,
    free_class_folder,
    inside,
    is_file,
    make_dirs,
    move_class_folder,
    project_folder_name,
    relocate,
    slugify,
    trash,
    untrash,
)
from rmadapter_app.core.project.importing import copy_images, find_class_folders
from rmadapter_app.core.project.manifest import ADAPTERS, SCHEMA_VERSION, read_manifest
from rmadapter_app.core.project.undo import MAX_UNDO, UndoHistory, take_out

__all__ = ["AddResult", "ClassEntry", "ImageEntry", "Project", "SCHEMA_VERSION", "MANIFEST", "TRASH",
           "project_folder_name", "slugify", "MAX_UNDO"]

logger = logging.getLogger(__name__)

MAX_NAME = 120       # characters in a project's display name


class Project:
    """A project folder. Edits are serialised by a lock (an add may run on a worker thread).

    Observers: :meth:`subscribe` gets one batch of change events per edit, on the editing thread.
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
        self._lock = threading.RLock()                   # one edit at a time (held for a whole add)
        self._changes = ChangeHub()                      # subscribers, change counter, current batch

    # ------------------------------------------------------------------ create / open / save
    @classmethod
    def create(cls, name: str, parent: Path | None = None) -> Project:
        """Make a new project folder ``parent/<name>`` (default parent: the app's projects folder).

        Raises:
            ProjectError: the folder exists and is not empty, or cannot be written.
        """
        name = " ".join(str(name).split()) or "Untitled"
        parent = Path(parent) if parent is not None else paths.projects_dir()
        folder = parent / project_folder_name(name)
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
            folder = parent / project_folder_name(candidate)
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
                           if not is_file(folder / e.file)]
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

    def rename(self, name: str) -> str:
        """Give the project another display name (saved in project.json); returns the name kept.

        The folder keeps its name, so nothing on disk moves and paths to it keep working. Not an undo
        step (like the settings): renaming again is the way back.

        Raises:
            ProjectError: the name is empty or longer than :data:`MAX_NAME`.
        """
        clean = " ".join(str(name).split())
        if not clean:
            raise ProjectError("A project needs a name.")
        if len(clean) > MAX_NAME:
            raise ProjectError(f"That name is {len(clean)} characters long; keep it under {MAX_NAME}.")
        with self._lock:
            if clean != self.name:
                before, self.name = self.name, clean
                try:
                    self.save()
                except ProjectError:
                    self.name = before
                    raise
        return self.name

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
        prompt = fill_template(template, c.name)          # "a photo of an apple."
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

    def try_update_settings(self, **kv: Any) -> bool:
        """Like :meth:`update_settings`, unless an edit is running (an add on a worker holds the
        project for its whole length): then nothing changes and False is returned, without waiting."""
        if not self._lock.acquire(blocking=False):
            return False
        try:
            self.update_settings(**kv)
            return True
        finally:
            self._lock.release()

    # ------------------------------------------------------------------ observers
    def subscribe(self, callback: ChangeCallback) -> Callable[[], None]:
        """Call ``callback(batch)`` after every edit and undo with what changed (a tuple of events
        from :mod:`rmadapter_app.core.project.changes`), on the thread that made the edit.

        Returns a function that unsubscribes ``callback``.
        """
        return self._changes.subscribe(callback)

    @property
    def change_seq(self) -> int:
        """The change counter: the ``seq`` of the last change recorded (0 before any)."""
        return self._changes.seq

    def snapshot_class_names(self) -> tuple[int, list[str]]:
        """(change counter, class names), taken together: later events have a higher ``seq``."""
        with self._changes.lock:
            return self._changes.seq, self.class_names()

    def snapshot_images(self, class_name: str) -> tuple[int, list[ImageEntry]]:
        """(change counter, the images of ``class_name``, or [] when there is no such class)."""
        with self._changes.lock:
            images = list(self.get_class(class_name).images) if self.has_class(class_name) else []
            return self._changes.seq, images

    @contextlib.contextmanager
    def _editing(self) -> Iterator[None]:
        """Hold the edit lock; when the outermost edit ends (even by an error), deliver its changes.

        Delivery happens before the lock is let go, so batches reach subscribers in ``seq`` order.
        """
        with self._lock:
            self._changes.begin()
            try:
                yield
            finally:
                batch = self._changes.end()
                if batch:
                    self._changes.deliver(batch)

    # ------------------------------------------------------------------ undo
    def can_undo(self) -> bool:
        return self._history.can_undo()

    def undo_description(self) -> str | None:
        return self._history.last_description()

    def undo(self) -> str | None:
        """Undo the last edit; returns what was undone, or None when there is nothing to undo.

        Subscribers get the inverse changes; when the undo fails part-way they get one ProjectReset.
        """
        with self._editing():
            step = self._history.pop()
            if step is None:
                return None
            mark = self._changes.mark()
            try:
                step.undo()
            except BaseException:
                self._changes.reset_since(mark)
                raise
            finally:
                self.save()
            return step.description

    # ------------------------------------------------------------------ class edits
    def add_class(self, name: str, description: str = "") -> ClassEntry:
        """Add an empty class. Raises ProjectError for an empty or taken name."""
        with self._editing():
            entry = ClassEntry(check_class_name(self.classes, name), description.strip())
            entry.folder = free_class_folder(self.folder, self.classes, entry.name)
            edits.insert_class(self._changes, self.classes, entry, len(self.classes))
            self._history.push(f"Add class “{entry.name}”", lambda: self._drop_class(entry))
            self.save()
            return entry

    def _drop_class(self, entry: ClassEntry) -> None:
        """Take a class out (its image copies go to the trash)."""
        trash(self.folder, [e.file for e in entry.images])
        edits.remove_class(self._changes, self.classes, entry)

    def rename_class(self, old: str, new: str) -> None:
        with self._editing():
            entry = self.get_class(old)
            clean = check_class_name(self.classes, new, ignore=entry)
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
        new_folder = free_class_folder(self.folder, self.classes, name, ignore=entry)
        moved = new_folder != entry.folder and move_class_folder(self.folder, entry.folder, new_folder)
        edits.rename_class(self._changes, self.classes, entry, name, new_folder if moved else None)

    def set_description(self, name: str, text: str) -> None:
        with self._editing():
            entry = self.get_class(name)
            text = " ".join(str(text).split())
            if text == entry.description:
                return
            before = entry.description
            edits.set_description(self._changes, self.classes, entry, text)
            self._history.push(f"Change the description of “{entry.name}”",
                               lambda: edits.set_description(self._changes, self.classes, entry, before))
            self.save()

    def remove_class(self, name: str) -> None:
        """Remove a class; its image copies go to the project's trash so undo can restore them."""
        with self._editing():
            entry = self.get_class(name)
            index = self.classes.index(entry)
            moved = trash(self.folder, [e.file for e in entry.images])
            edits.remove_class(self._changes, self.classes, entry)

            def restore() -> None:
                # the class comes back first: a file that cannot be restored is then only "missing"
                edits.insert_class(self._changes, self.classes, entry, index)
                untrash(self.folder, moved)
            self._history.push(f"Remove class “{entry.name}”", restore)
            self.save()

    # ------------------------------------------------------------------ image edits
    def remove_images(self, class_name: str, image_ids: Sequence[str]) -> int:
        """Remove images from a class (copies go to the trash; undo restores them). Returns the count."""
        with self._editing():
            entry = self.get_class(class_name)
            taken = take_out(self.folder, entry, image_ids, to_trash=True)
            if not taken:
                return 0
            edits.remove_images(self._changes, entry, taken)

            def restore() -> None:
                edits.put_images_back(self._changes, entry, taken)
                untrash(self.folder, taken.trashed)
            self._history.push(f"Remove {len(taken.positions)} image(s) from “{entry.name}”", restore)
            self.save()
            return len(taken.positions)

    def move_images(self, image_ids: Sequence[str], src_class: str, dst_class: str) -> int:
        """Move images to another class (their files move to its folder). Returns the count."""
        with self._editing():
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
                e.file = relocate(self.folder, e.file, dst.folder)
            edits.move_images(self._changes, src, dst, taken)

            def restore() -> None:
                for e in moved:
                    e.file = relocate(self.folder, e.file, src.folder, name=Path(originals[e.id]).name)
                edits.move_images_back(self._changes, src, dst, taken)
            self._history.push(f"Move {len(moved)} image(s) from “{src.name}” to “{dst.name}”", restore)
            self.save()
            return len(moved)

    # ------------------------------------------------------------------ adding images
    def add_images(self, class_name: str, paths_in: Iterable[Path | str], on_event: EventHook | None = None,
                   should_stop: StopHook | None = None) -> AddResult:
        """Copy image files (and images inside folders, recursively) into a class.

        Each file is decoded once to check it; broken or unsupported files are rejected with a
        reason, files already in the project are reported as duplicates (with the class holding
        them). A stop keeps what was copied so far (``result.stopped``). May run on a worker thread.
        """
        on_event = on_event or no_event
        should_stop = should_stop or never_stop
        with self._editing():
            entry = self.get_class(class_name)
            known = {e.sha256: c.name for c in self.classes for e in c.images}
            result = copy_images(self.folder, entry, paths_in, known, on_event, should_stop)
            if result.added:
                added = list(result.added)
                edits.append_images(self._changes, entry, added)

                def undo_add() -> None:
                    edits.remove_images(self._changes, entry, take_out(self.folder, entry, [e.id for e in added], True))
                self._history.push(f"Add {len(added)} image(s) to “{entry.name}”", undo_add)
                self.save()
            for p in result.rejected:
                on_event(StatusEvent(f"Skipped {p.path.name}: {p.reason}", "warning"))
            return result

    def import_class_folders(self, root: Path, on_event: EventHook | None = None,
                             should_stop: StopHook | None = None) -> AddResult:
        """One class per subfolder of ``root`` (underscores become spaces), with its images.

        Existing classes of the same name get the images added. Image files lying directly in
        ``root`` are reported as rejected (they belong to no class). One undo step undoes it all.
        """
        root = Path(root)
        subdirs, loose = find_class_folders(root)
        result = AddResult()
        result.rejected += loose
        with self._editing(), self._history.grouped(
                lambda: f"Import {len(subdirs)} class folder(s) from “{root.name}”"):
            for sub in subdirs:
                if should_stop and should_stop():
                    result.stopped = True
                    break
                name = class_name_from_folder(sub.name)
                if not name.strip():
                    continue
                if not self.has_class(name):
                    self.add_class(name)
                    result.classes_created.append(name)
                if on_event:
                    on_event(StatusEvent(f"Adding images to “{name}”"))
                result.merge(self.add_images(name, [sub], on_event, should_stop))
        return result
