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
    """Hold the exclusive lock of ``path`` (creating its folder, owner-only) for the ``with`` block."""
    private_dir(path.parent)
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
