"""File descriptors kept open between uses, opened again when their path names another file.

The audit log opened its lock, head and log files about seven times per append (issue 14). A
:class:`KeptFile` keeps one descriptor and, before each use, ``stat``\\ s the path: when the path
is gone, or names another file than the one open (replaced by a rename, removed and made again,
rotated, or repaired by a copy), the old descriptor is closed and the path opened again. A forked
child opens its own: a descriptor inherited across ``fork`` shares its file offset and its
``flock`` with the parent.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from graphapi.private_files import FILE_MODE


class KeptFile:
    """``path`` kept open with ``flags`` (``os.O_*``, without ``O_CREAT``): :meth:`current` for a
    file that must exist, :meth:`create` to make it (``0600``) when it does not."""

    def __init__(self, path: Path, flags: int) -> None:
        self.path = Path(path)
        self.flags = flags
        self._fd: int | None = None
        self._identity: tuple[int, int, int] | None = None  # (pid, st_dev, st_ino)

    def __del__(self) -> None:
        self.close()

    def close(self) -> None:
        if self._fd is not None and self._identity is not None and self._identity[0] == os.getpid():
            with contextlib.suppress(OSError):
                os.close(self._fd)
        self._fd = self._identity = None

    def current(self) -> tuple[int, os.stat_result] | None:
        """``(fd, stat of the path)`` of the file the path names now; None when there is none."""
        try:
            now = os.stat(self.path)
        except FileNotFoundError:
            self.close()
            return None
        if self._fd is not None and self._identity == (os.getpid(), now.st_dev, now.st_ino):
            return self._fd, now
        self.close()
        try:
            fd = os.open(self.path, self.flags)
        except FileNotFoundError:
            return None
        except PermissionError:  # someone else's file we may only read: its writes fail, and say so
            if self.flags & os.O_ACCMODE == os.O_RDONLY:
                raise
            try:
                fd = os.open(self.path, self.flags & ~os.O_ACCMODE & ~os.O_APPEND | os.O_RDONLY)
            except FileNotFoundError:
                return None
        return self._keep(fd)

    def create(self) -> tuple[int, os.stat_result]:
        """:meth:`current`, the file created owner-only first when the path names none; a file we
        own that exists is narrowed to ``0600`` when it is opened (as ``open_private`` does)."""
        kept = self.current()
        if kept is not None:
            return kept
        return self._keep(os.open(self.path, self.flags | os.O_CREAT, FILE_MODE))

    def _keep(self, fd: int) -> tuple[int, os.stat_result]:
        try:
            opened = os.fstat(fd)
            if stat.S_ISREG(opened.st_mode) and stat.S_IMODE(opened.st_mode) != FILE_MODE:
                with contextlib.suppress(PermissionError):  # someone else's file: theirs to set
                    os.fchmod(fd, FILE_MODE)
        except BaseException:
            os.close(fd)
            raise
        self._fd, self._identity = fd, (os.getpid(), opened.st_dev, opened.st_ino)
        return fd, opened
