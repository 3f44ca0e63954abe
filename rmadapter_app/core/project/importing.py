"""Adding images to a project: checked copies into a class, and whole folders of class folders.

:class:`ProjectImport` is a base of :class:`rmadapter_app.core.project.project.Project`; it uses the project's
lock, classes, undo history and save.
"""
from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterable
from pathlib import Path

from rmadapter_app.core.errors import ImageLoadError, ProjectError, RMAdapterError
from rmadapter_app.core.naming import class_name_from_folder
from rmadapter_app.core.events import EventHook, ProgressEvent, StatusEvent, StopHook, never_stop, no_event
from rmadapter_app.core.fileio import atomic_write
from rmadapter_app.core.images import IMAGE_SUFFIXES, Problem, check_image_file, iter_image_files, load_rgb
from rmadapter_app.core.fileio import sha256_of_file
from rmadapter_app.core.project.files import IMAGES, AddResult, ClassEntry, ImageEntry, class_dir, inside, make_dirs
from rmadapter_app.core.project.undo import UndoHistory, take_out


class ProjectImport:
    """The image-adding methods of a project (uses its get_class, has_class, add_class and save)."""

    folder: Path
    classes: list[ClassEntry]
    _history: UndoHistory
    _lock: threading.RLock

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
            dest_dir = class_dir(self.folder, entry.folder)   # ProjectError for a linked class folder
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
                self._history.push(f"Add {len(added)} image(s) to “{entry.name}”",
                                   lambda: take_out(self.folder, entry, [e.id for e in added], to_trash=True))
                self.save()
            for p in result.rejected:
                on_event(StatusEvent(f"Skipped {p.path.name}: {p.reason}", "warning"))
            return result

    def _add_one(self, src: Path, entry: ClassEntry, dest_dir: Path, known: dict[str, str],
                 result: AddResult) -> None:
        try:
            check_image_file(src)              # a huge (or sparse) file is refused before it is read
            digest = sha256_of_file(src)
        except ImageLoadError as exc:
            result.rejected.append(Problem(src, str(exc).removeprefix(f"{src.name}: ")))
            return
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
        try:
            # checked again for each file: no link may have appeared on the way, or at the name itself
            dest = inside(self.folder, f"{IMAGES}/{entry.folder}/{image_id}{src.suffix.lower()}")
            make_dirs(self.folder, dest_dir)
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
        with self._lock, self._history.grouped(
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
