"""Content hashes of files remembered by path, size and times: a resume check that reads no image.

The embedding cache is keyed by the SHA-256 of a file's bytes, so knowing whether an image was
labeled before means hashing it, which means reading it. A local run does that anyway (it reads
each file once to hash and decode it), but a cluster driver does not read images at all: on shared
storage, hashing a million 4 MB photos to find they are all cached would move 4 TB over the network
(``benchmarks/bench_ray.py`` measures hashing against a stat per file). So the cluster's workers
hash, and the driver records each answer here: ``path -> (size, mtime_ns, ctime_ns, sha256)``.
On a rerun the driver stats each listed file and trusts the remembered hash only when all three
numbers are unchanged (``ctime`` cannot be set back by ``touch``, so a rewritten file is always
noticed); anything else is sent to the workers again.

One SQLite file in the app's cache folder (``paths.cache_dir()/file-hashes.sqlite3``). The index is
a hint, never the truth: a damaged file is deleted and started afresh (with a warning), and a
cache folder that cannot be written only costs re-reading those files next time.
"""
from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

from rmadapter_app.core import paths

logger = logging.getLogger(__name__)

FILE_NAME = "file-hashes.sqlite3"
Stamp = tuple[int, int, int]          # (size, mtime_ns, ctime_ns)
_QUERY_ROWS = 500                     # SQLite's variable limit is 999 on old builds


def stamp_of(path: Path | str) -> Stamp | None:
    """(size, mtime_ns, ctime_ns) of a file, or None when it cannot be stat'ed."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return int(st.st_size), int(st.st_mtime_ns), int(st.st_ctime_ns)


class HashIndex:
    """Remembered content hashes by absolute path (thread-safe; see the module docstring)."""

    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path is not None else paths.cache_dir() / FILE_NAME
        self._lock = threading.Lock()
        self._warnings: list[str] = []
        self._write_failed = False
        self._db: sqlite3.Connection | None = None
        try:
            self._db = self._open()
        except sqlite3.DatabaseError as exc:       # not a database, or damaged: start afresh
            self._warn(f"The file-hash index {self.path} was damaged ({exc}); it was started afresh.")
            self._remove_files()
            try:
                self._db = self._open()
            except sqlite3.Error as again:
                self._warn(f"The file-hash index {self.path} cannot be used ({again}); every file is read again.")
        except sqlite3.Error as exc:               # e.g. a read-only cache folder
            self._warn(f"The file-hash index {self.path} cannot be opened ({exc}); every file is read again.")

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(str(self.path), timeout=30.0, check_same_thread=False)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER NOT NULL, "
                       "mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL, sha256 TEXT NOT NULL) WITHOUT ROWID")
            db.execute("SELECT count(*) FROM (SELECT 1 FROM files LIMIT 1)").fetchone()
            db.commit()
        except BaseException:
            db.close()
            raise
        return db

    def _remove_files(self) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            try:
                os.remove(f"{self.path}{suffix}")
            except OSError:
                pass

    def _warn(self, text: str) -> None:
        logger.warning("%s", text)
        self._warnings.append(text)

    def take_warnings(self) -> list[str]:
        """Sentences about damage dropped or writes that failed since the last call."""
        with self._lock:
            out, self._warnings = self._warnings, []
            return out

    def lookup(self, entries: Sequence[tuple[str, Stamp | None]]) -> list[str | None]:
        """The remembered hash for each (absolute path, stamp) whose stamp is unchanged, else None."""
        out: list[str | None] = [None] * len(entries)
        if self._db is None:
            return out
        where: dict[str, list[int]] = {}
        for i, (path, stamp) in enumerate(entries):
            if stamp is not None:
                where.setdefault(path, []).append(i)
        names = list(where)
        with self._lock:
            try:
                for s in range(0, len(names), _QUERY_ROWS):
                    part = names[s:s + _QUERY_ROWS]
                    rows = self._db.execute(
                        f"SELECT path, size, mtime_ns, ctime_ns, sha256 FROM files WHERE path IN "
                        f"({','.join('?' * len(part))})", part).fetchall()
                    for path, size, mtime, ctime, digest in rows:
                        for i in where.get(path, ()):
                            if entries[i][1] == (size, mtime, ctime) and _is_sha256(digest):
                                out[i] = digest
            except sqlite3.Error as exc:
                self._warn(f"The file-hash index {self.path} could not be read ({exc}); those files are read again.")
                return [None] * len(entries)
        return out

    def record(self, rows: Iterable[tuple[str, Stamp | None, str]]) -> None:
        """Remember (absolute path, stamp taken before the file was read, sha256); rows without a stamp are skipped."""
        data = [(p, s[0], s[1], s[2], k) for p, s, k in rows if s is not None and k]
        if not data or self._db is None or self._write_failed:
            return
        with self._lock:
            try:
                self._db.executemany("INSERT OR REPLACE INTO files (path, size, mtime_ns, ctime_ns, sha256) "
                                     "VALUES (?, ?, ?, ?, ?)", data)
                self._db.commit()
            except sqlite3.Error as exc:
                self._write_failed = True
                self._warn(f"The file-hash index {self.path} could not be written ({exc}); labeling goes on, "
                           "but a rerun reads these files again.")

    def __len__(self) -> int:
        if self._db is None:
            return 0
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM files").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def __enter__(self) -> HashIndex:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _is_sha256(value) -> bool:
    return isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)
