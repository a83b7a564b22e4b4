"""Writes to the embedded store, marked where the search queue sees them (issue 10, round 30a M1).

FalkorDB's graph write lock waits for the reads running: a load's batch waited behind each broad
search (an HTTP load of 3,000 rows: 3.3 s alone, 34.6 s with one agency searching broadly, 51.5 s
with four). So while a process writes it holds a mark, a locked file ``writer-<pid>-<n>.lock`` in
the search queue's folder, and the queue starts no new broad search while a mark is held
(:mod:`graphapi.investigate.search_queue`; running ones finish, and a broad search that waited
``LINTAS_SEARCH_YIELD_TO_WRITES_S`` starts anyway, so a long load does not starve searches).

A mark is held from a write's start until ``LINGER_S`` after the process's last write ends: a load
prepares its next batch between two writes (deriving names, reading rows), and a broad search that
started in that gap would hold the next batch for its whole run. A killed process's mark goes with
its lock (``flock``); a mark file nobody holds is removed by the next look.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import count
from pathlib import Path

from graphapi.private_files import private_dir

#: The search queue's folder under the data directory (its tickets, slots and write marks).
QUEUE_FOLDER = "search-queue"
#: A mark outlives the process's last write this long: the gap a load takes between two batches.
LINGER_S = 0.5
_PREFIX = "writer-"
_marks = count()


class WriteMark:
    """This process's mark for the writes of one store on ``folder`` (the search queue's folder)."""

    def __init__(self, folder: Path, linger_s: float = LINGER_S) -> None:
        self.folder, self.linger_s = Path(folder), linger_s
        self._fd: int | None = None
        self._path: Path | None = None
        self._writing = 0
        self._drop_later: asyncio.TimerHandle | None = None

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the mark for the ``with`` block (a write statement) and ``linger_s`` after the last."""
        if self._drop_later is not None:
            self._drop_later.cancel()
            self._drop_later = None
        if self._fd is None:
            self._take()
        # counted once the mark is held: a mark that could not be made (no descriptor, a full disk)
        # refuses its write and leaves no count behind that would hold every later mark (round 31c)
        self._writing += 1
        try:
            yield
        finally:
            self._writing -= 1
            if not self._writing:
                try:
                    self._drop_later = asyncio.get_running_loop().call_later(self.linger_s, self.drop)
                except RuntimeError:  # no event loop (a synchronous caller): drop at once
                    self.drop()

    def _take(self) -> None:
        """Lock a new file, then give it the name a look finds: a look never sees it unlocked (it
        would remove it as a dead process's)."""
        n = f"{os.getpid()}-{next(_marks)}"
        temp, path = self.folder / f".{_PREFIX}{n}", self.folder / f"{_PREFIX}{n}.lock"
        try:
            fd = os.open(temp, os.O_RDWR | os.O_CREAT, 0o600)
        except FileNotFoundError:
            private_dir(self.folder)
            fd = os.open(temp, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a new name: always free
        os.rename(temp, path)
        self._fd, self._path = fd, path

    def drop(self) -> None:
        """Give the mark up (the file first, then its lock), unless a write is running."""
        self._drop_later = None
        if self._writing or self._fd is None:
            return
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self._path)  # type: ignore[arg-type]
        os.close(self._fd)
        self._fd = self._path = None


def writes_waiting(folder: Path) -> bool:
    """True while some process holds a write mark in ``folder``; a mark nobody holds (its process
    died) is removed."""
    try:
        entries = [e for e in os.scandir(folder) if e.name.startswith(_PREFIX)]
    except FileNotFoundError:
        return False
    held = False
    for entry in entries:
        try:
            fd = os.open(entry.path, os.O_RDWR)
        except FileNotFoundError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            held = True
        else:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(entry.path)
        finally:
            os.close(fd)
    return held
