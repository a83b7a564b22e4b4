"""One exclusive lock per security file (API keys, audit log, access requests), across processes.

A kernel ``flock`` on ``<file>.lock`` beside the file: API workers and CLI commands share these
files, and a process killed mid-write releases its lock with it.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
