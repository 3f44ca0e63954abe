"""Exception types the core raises; each message says what went wrong and what to do."""
from __future__ import annotations


class RMAdapterError(Exception):
    """Base class of every error the core raises on purpose."""


class UnsupportedBackboneError(RMAdapterError, ValueError):
    """The open_clip model cannot carry RMAdapter (not a ViT, unknown layout, ...)."""


class BackboneUnavailableError(RMAdapterError, OSError):
    """Backbone weights are not on disk and could not be downloaded."""


class AdapterFileError(RMAdapterError, ValueError):
    """An adapter file is damaged, foreign, too new, or does not fit the backbone."""


class ImageLoadError(RMAdapterError, OSError):
    """An image file could not be read; the message names the file and the reason."""


class DatasetError(RMAdapterError, ValueError):
    """Training data is missing or unusable (no classes, no readable images, ...)."""


class ProjectError(RMAdapterError, OSError):
    """A project folder or manifest is missing, damaged or not writable."""


class CancelledError(RMAdapterError):
    """A job was cancelled before it produced anything usable."""
