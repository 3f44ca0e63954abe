"""The file operations of labeling that never replace a file: copy to a new name, place, put back.

Shared by :mod:`write` (today's journals) and :mod:`journal_v1` (0.1's).
"""
from __future__ import annotations

import errno
import hashlib
import os
import shutil
import stat
from pathlib import Path

from rmadapter_app.core.images import MAX_IMAGE_FILE_BYTES

NO_HARD_LINKS = {errno.EPERM, errno.EMLINK, errno.ENOSYS, errno.EOPNOTSUPP, getattr(errno, "ENOTSUP", -1),
                  errno.EACCES}


class Skip(Exception):
    """One file is not copied or moved, for a reason a person can act on (not an error of the run)."""


def regular(path: Path, *, follow: bool) -> os.stat_result:
    st = os.stat(path) if follow else os.lstat(path)
    if stat.S_ISLNK(st.st_mode):
        raise Skip(f"{path.name} is a symbolic link; not moved (copy it instead)")
    if not stat.S_ISREG(st.st_mode):
        raise Skip(f"{path.name} is not a regular file")
    if st.st_size > MAX_IMAGE_FILE_BYTES:
        raise Skip(f"{path.name} is {st.st_size / 2**30:.1f} GB, far larger than any image; skipped")
    return st


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def copy_to_new(src: Path, dst: Path, *, durable: bool = False) -> str:
    """Copy ``src`` into a new file ``dst`` (never an existing one), keeping times; returns its SHA-256.

    ``durable``: flush the bytes to the disk before returning (needed before the source is deleted).
    """
    h = hashlib.sha256()
    with open(src, "rb") as fi, open(dst, "xb") as fo:
        for block in iter(lambda: fi.read(1 << 20), b""):
            h.update(block)
            fo.write(block)
        if durable:
            fo.flush()
            os.fsync(fo.fileno())
    try:
        shutil.copystat(src, dst)
    except OSError:
        pass
    return h.hexdigest()


def place(tmp: Path, dest: Path) -> bool:
    """Put ``tmp`` at ``dest`` without ever replacing a file there. True when it was hard-linked
    (``tmp`` still exists and must be unlinked after the journal says done), False when renamed."""
    try:
        os.link(tmp, dest)
        return True
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in NO_HARD_LINKS:
            raise
    if os.path.lexists(dest):        # no hard links here (FAT, some network shares): check, then rename
        raise FileExistsError(errno.EEXIST, "exists", str(dest))
    os.rename(tmp, dest)             # on Windows this fails rather than replace a file that appeared
    return False


def remove_own_tmp(tmp: Path) -> None:
    try:
        if stat.S_ISREG(os.lstat(tmp).st_mode):
            os.unlink(tmp)
    except OSError:
        pass


def put_back(dest: Path, src: Path) -> None:
    """Move ``dest`` back to the empty place ``src`` (never replacing a file there)."""
    try:
        if place(dest, src):
            os.unlink(dest)
        return
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
    tmp = src.with_name(f".{src.name}.undo.rmadapter-tmp")     # another disk: copy, then remove
    try:
        copy_to_new(dest, tmp, durable=True)
        if place(tmp, src):
            os.unlink(tmp)
    except BaseException:
        remove_own_tmp(tmp)
        raise
    os.unlink(dest)
