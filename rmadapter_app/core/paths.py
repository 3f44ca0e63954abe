"""Where the app keeps its files: platformdirs folders, overridable with RMADAPTER_HOME.

Setting ``RMADAPTER_HOME`` (tests do) puts every folder below that one directory.
"""
from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "RMAdapterStudio"
APP_AUTHOR = "RMAdapterStudio"


def _home() -> Path | None:
    value = os.environ.get("RMADAPTER_HOME")
    return Path(value) if value else None


def _dir(kind: str) -> Path:
    home = _home()
    if home is not None:
        path = home / kind
    else:
        getter = {
            "data": platformdirs.user_data_path,
            "cache": platformdirs.user_cache_path,
            "config": platformdirs.user_config_path,
            "logs": platformdirs.user_log_path,
        }[kind]
        path = Path(getter(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir() -> Path:
    """User data folder (projects live below it)."""
    return _dir("data")


def cache_dir() -> Path:
    """Cache folder (downloaded backbone weights, embedding caches)."""
    return _dir("cache")


def config_dir() -> Path:
    """Settings folder (recent projects, preferences)."""
    return _dir("config")


def log_dir() -> Path:
    """Log folder; the GUI writes error details here."""
    return _dir("logs")


def weights_dir() -> Path:
    """Where downloaded or imported backbone checkpoints are kept."""
    path = cache_dir() / "weights"
    path.mkdir(parents=True, exist_ok=True)
    return path


def projects_dir() -> Path:
    """Default parent folder for new projects."""
    path = data_dir() / "projects"
    path.mkdir(parents=True, exist_ok=True)
    return path
