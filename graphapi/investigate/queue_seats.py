"""A principal's places in the search queue (``LINTAS_SEARCH_IN_FLIGHT``), one lock file each, and
the tickets this process holds (attack round a-92, 2).

Each join counted the principal's tickets by scanning the queue and probing every ticket's lock,
under the queue lock, on the event loop: 400 waiting tickets of one worker took 6 s of its loop in
their joins, and every other request of that worker (any agency, /healthz) waited as long. Now a
ticket holds a seat, ``seats/<principal>-<lanes>-<i>.lock`` for ``i`` below the limit, as long as
it lives (waiting, running or running on): a join probes at most that many locks, whatever waits.
Like the tickets, a seat is a ``flock`` its worker holds, so a worker killed with -9 gives its seats
back with it. A seat given back is unlinked by its holder before its lock is dropped (10,000
principals searching once each left 10,000 files: attack round a-93, 6), and a taker keeps a seat
only if the file it locked is still the one at its path: one that opened the file before it was
unlinked locks a file nobody else will, finds another (or none) at the path, and takes again. So two
never hold one place; a killed worker's seat files stay until a taker gives them back.

A look decides from every live ticket; this process's own are known live without a probe
(:data:`held`), so a worker's many waiting tickets cost its looks no syscall each.
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path
from typing import NamedTuple

from graphapi.security.filelock import try_lock

SEATS = "seats"

log = logging.getLogger(__name__)


class Seat(NamedTuple):
    """A seat held: its lock file's descriptor and path."""

    fd: int
    path: Path


#: This process's tickets, by name without their state (``wait-``, ``run-``, ``over-`` change as
#: it goes), and the seat each holds (None: its lane counts none).
held: dict[str, Seat | None] = {}


def take_seat(folder: Path, principal: str, lanes: str, places: int) -> Seat | None:
    """One of ``principal``'s ``places`` seats of ``lanes`` in the queue ``folder``, held, or None
    when every one is taken."""
    for i in range(places):
        path = folder / SEATS / f"{principal}-{lanes}-{i}.lock"
        while (fd := try_lock(path)) is not None:
            try:
                still = _still_at(fd, path)
            except BaseException:
                let_go(fd)  # a stat failing (EIO) kept the place locked for the worker's life (a-97, 2)
                raise
            if still:
                return Seat(fd, path)
            let_go(fd)  # given back (unlinked) between our open and our lock: take the path's own
    return None


def give_back(seat: Seat) -> None:
    """Free ``seat``: its file unlinked while its lock is held (a taker locking it after checks it is
    no longer at its path), then the lock dropped. A failed unlink (EIO) leaves the file for reuse."""
    try:
        with contextlib.suppress(OSError):
            os.unlink(seat.path)
    finally:
        let_go(seat.fd)


def let_go(fd: int) -> None:
    """Close a lock's ``fd`` (a seat's, a ticket's, a slot's, the queue lock's). A close reporting an
    error (EIO, as NFS may) released it all the same on Linux: logged, never the search's outcome
    (it was a raw OSError, a 500, in place of a finished search's answer: attack round a-97, 3), nor
    a reason to skip the closes after it (a-101)."""
    try:
        os.close(fd)
    except OSError as e:
        log.warning("search queue: closing a lock's descriptor reported %s", e)


def _still_at(fd: int, path: Path) -> bool:
    """Whether the file ``fd`` holds is the one at ``path`` (not unlinked, nor replaced, since it was opened)."""
    try:
        at_path = os.stat(path)
    except FileNotFoundError:
        return False
    opened = os.fstat(fd)
    return (opened.st_dev, opened.st_ino) == (at_path.st_dev, at_path.st_ino)


def key(name: str) -> str:
    """A ticket's name without its state: the same while it waits, runs and runs on."""
    return name.split("-", 1)[1]
