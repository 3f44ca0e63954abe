"""Names: a class name from a folder name, and the default prompt template. One rule each, used everywhere."""
from __future__ import annotations

DEFAULT_TEMPLATE = "a photo of a {}."


def class_name_from_folder(name: str) -> str:
    """Folder name to class name: underscores become spaces, runs of spaces one (CoOp's convention).

    A name made only of underscores and spaces stays as it is, so it still names a class.
    """
    return " ".join(str(name).replace("_", " ").split()) or str(name)
