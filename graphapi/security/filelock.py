"""One exclusive lock per security file (API keys, audit log, access requests), across processes.

A kernel ``flock`` on ``<file>.lock`` beside the file: API workers and CLI commands share these
files, and a process killed mid-write releases its lock with it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from graphapi.private_files import private_dir


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the exclusive lock of ``path`` (creating its folder, owner-only, when it is missing)
    for the ``with`` block. The folder is checked only when the lock file cannot be opened: the
    audit log takes this lock twice per GraphQL request, and a walk of every parent folder each
    time was a measurable part of a point lookup (issue 14)."""
    lock_path = path.with_name(path.name + ".lock")
    try:
        lock = open(lock_path, "a")
    except FileNotFoundError:
        private_dir(path.parent)
        lock = open(lock_path, "a")
    with lock, _flocked(lock):
        yield


@contextmanager
def locked_for_reading(path: Path) -> Iterator[None]:
    """:func:`locked`, on the lock file opened for reading (``flock`` needs no write access: an
    auditor who may only read the folder still holds writers off); without a lock file to open
    (a copy, a read-only mount: nothing writes there) the block runs unlocked. Creates nothing."""
    try:
        lock = open(path.with_name(path.name + ".lock"), "rb")
    except OSError:
        yield
        return
    with lock, _flocked(lock):
        yield


def try_lock(lock_path: Path) -> int | None:
    """The open descriptor of ``lock_path`` holding its exclusive lock, or None while another
    opening holds it (never waits; closing the descriptor releases the lock). The folder is made,
    owner-only, only when the file cannot be opened, as :func:`locked` does. The lock failing
    otherwise (ENOLCK) raises with the descriptor closed: lost, it leaked one per call (a-93, 4)."""
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    except FileNotFoundError:
        private_dir(lock_path.parent)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    except BaseException:
        os.close(fd)
        raise
    return fd


@contextmanager
def _flocked(lock: IO[Any]) -> Iterator[None]:
    fcntl.flock(lock, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)


class HeldLock:
    """The exclusive lock of ``path`` (as :func:`locked`) with its lock file kept open between
    acquisitions, for a file locked on every request (the audit log: twice per GraphQL request).

    ``with lock.held():`` takes it. A lock file removed or replaced while it was open is opened
    again (a lock on a file no longer at the path would exclude nobody), and so is one inherited
    from the parent of a forked process (an inherited descriptor shares its ``flock``). Threads of
    one process exclude each other too: they share the descriptor, and ``flock`` is per
    descriptor, so a thread lock is taken first."""

    def __init__(self, path: Path) -> None:
        self.lock_path = path.with_name(path.name + ".lock")
        self._threads = threading.Lock()
        self._fd: int | None = None
        self._identity: tuple[int, int, int] | None = None  # (pid, st_dev, st_ino)

    def _open(self) -> int:
        if self._fd is not None and self._identity is not None and self._identity[0] != os.getpid():
            self._fd = self._identity = None  # the parent's: leave it open for the parent
        if self._fd is None:
            try:
                fd = os.open(self.lock_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            except FileNotFoundError:
                private_dir(self.lock_path.parent)
                fd = os.open(self.lock_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            opened = os.fstat(fd)
            self._fd, self._identity = fd, (os.getpid(), opened.st_dev, opened.st_ino)
        return self._fd

    def _still_at_path(self) -> bool:
        try:
            now = os.stat(self.lock_path)
        except FileNotFoundError:
            return False
        return self._identity == (os.getpid(), now.st_dev, now.st_ino)

    def __del__(self) -> None:
        if self._identity is not None and self._identity[0] == os.getpid():
            self._drop()

    def _drop(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
        self._fd = self._identity = None

    @contextmanager
    def held(self) -> Iterator[None]:
        with self._threads:
            while True:
                fd = self._open()
                fcntl.flock(fd, fcntl.LOCK_EX)
                if self._still_at_path():
                    break
                fcntl.flock(fd, fcntl.LOCK_UN)
                self._drop()
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
