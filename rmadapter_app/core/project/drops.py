"""What a drop of files and folders onto a project means, decided before anything is copied.

Onto a class: everything goes into that class. Elsewhere: a folder holding only subfolders is a
folder of class folders (each becomes a class), a folder with images becomes a class named after
it, loose files go to the selected class (or are reported when there is none). The GUI plans a
drop with :func:`plan_drop` and carries it out with :func:`run_drop_plan` (on a worker thread for
big drops); the project tells its subscribers what changed.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from rmadapter_app.core.events import EventHook, StopHook
from rmadapter_app.core.images import is_image_name
from rmadapter_app.core.naming import class_name_from_folder
from rmadapter_app.core.project.project import AddResult, Project


@dataclass
class DropPlan:
    """Where each dropped path goes; nothing has been copied yet."""

    files_class: str | None = None                                 # where ``files`` go
    files: list[Path] = field(default_factory=list)
    import_roots: list[Path] = field(default_factory=list)         # folders of class folders
    folder_classes: list[Path] = field(default_factory=list)       # folders that become one class each
    unplaced: list[Path] = field(default_factory=list)             # loose files with no class to go to

    def empty(self) -> bool:
        return not (self.files or self.import_roots or self.folder_classes)


def _scan(folder: Path) -> tuple[bool, bool]:
    """(has visible subfolders, has image files directly inside)."""
    subdirs = images = False
    try:
        with os.scandir(folder) as it:
            for e in it:
                if e.name.startswith("."):
                    continue
                if e.is_dir():
                    subdirs = True
                elif e.is_file() and is_image_name(Path(e.name)):
                    images = True
    except OSError:
        pass
    return subdirs, images


def plan_drop(paths: list[Path], target: str | None, current: str | None = None) -> DropPlan:
    """Decide what to do with dropped ``paths`` (``target``: the class they were dropped on)."""
    if target:
        return DropPlan(files_class=target, files=list(paths))
    plan = DropPlan(files_class=current)
    for p in paths:
        if p.is_dir():
            subdirs, images = _scan(p)
            (plan.import_roots if subdirs and not images else plan.folder_classes).append(p)
        else:
            plan.files.append(p)
    if plan.files and current is None:
        plan.unplaced, plan.files = plan.files, []
    return plan


def run_drop_plan(project: Project, plan: DropPlan, on_event: EventHook, should_stop: StopHook) -> AddResult:
    """Carry out a plan (in a worker thread for big drops); one AddResult for all of it."""
    result = AddResult()
    if plan.files and plan.files_class:
        result.merge(project.add_images(plan.files_class, plan.files, on_event, should_stop))
    for root in plan.import_roots:
        if should_stop():
            result.stopped = True
            break
        result.merge(project.import_class_folders(root, on_event, should_stop))
    for folder in plan.folder_classes:
        if should_stop():
            result.stopped = True
            break
        name = class_name_from_folder(folder.name)
        if not project.has_class(name):
            project.add_class(name)
            result.classes_created.append(project.get_class(name).name)
        result.merge(project.add_images(name, [folder], on_event, should_stop))
    return result
