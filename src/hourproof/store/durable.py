"""Durable, atomic file writes: the one temp-then-rename pattern of the program.

A file is written under a temporary name in its own folder, fsynced, renamed over
the final name and the folder fsynced, so after a crash the final name holds the
old file or the whole new one, never a part. A write that fails midway removes its
temporary file and leaves the final name untouched.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

#: ``mode`` for ``atomic_write``: the mode a plain new file gets (0666 less the umask).
UMASK = -1


def fsync_path(path: Path) -> None:
    """Flush ``path`` to the disk: for a folder, make a rename inside it durable; for a
    file someone else wrote (SQLite's backup API), its bytes."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_durably(tmp: Path, final: Path) -> None:
    """Put the complete file ``tmp`` in place as ``final`` (same folder), durably:
    fsync the file, rename, fsync the folder."""
    fsync_path(tmp)
    os.replace(tmp, final)
    fsync_path(final.parent)


def temp_name(path: Path) -> Path:
    """A fresh hidden temporary name next to ``path`` (unique per process and call)."""
    return path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")


def atomic_write(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write ``data`` to ``path`` atomically and durably. ``mode`` is the file's exact
    permission bits (0600 by default); ``UMASK`` gives it a plain new file's mode."""
    tmp = temp_name(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666 if mode == UMASK else 0o600)
    try:
        try:
            if mode != UMASK:
                os.fchmod(fd, mode)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_path(path.parent)
