"""A principal's places in the search queue (``LINTAS_SEARCH_IN_FLIGHT``), one lock file each, and
the tickets this process holds (attack round a-92, 2).

Each join counted the principal's tickets by scanning the queue and probing every ticket's lock,
under the queue lock, on the event loop: 400 waiting tickets of one worker took 6 s of its loop in
their joins, and every other request of that worker (any agency, /healthz) waited as long. Now a
ticket holds a seat, ``seats/<principal>-<lanes>-<i>.lock`` for ``i`` below the limit, as long as
it lives (waiting, running or running on): a join probes at most that many locks, whatever waits.
Like the tickets, a seat is a ``flock`` its worker holds, so a worker killed with -9 gives its seats
back with it. Seat files are never removed: one small file per principal and place, and unlinking a
lock file another worker may be opening would let two hold the same place.

A look decides from every live ticket; this process's own are known live without a probe
(:data:`held`), so a worker's many waiting tickets cost its looks no syscall each.
"""

from __future__ import annotations

from pathlib import Path

from graphapi.security.filelock import try_lock

SEATS = "seats"
#: This process's tickets, by name without their state (``wait-``, ``run-``, ``over-`` change as
#: it goes), and the descriptor of the seat each holds (None: its lane counts none).
held: dict[str, int | None] = {}


def take_seat(folder: Path, principal: str, lanes: str, places: int) -> int | None:
    """The descriptor holding one of ``principal``'s ``places`` seats of ``lanes`` in the queue
    ``folder``, or None when every one is taken."""
    for i in range(places):
        if (fd := try_lock(folder / SEATS / f"{principal}-{lanes}-{i}.lock")) is not None:
            return fd
    return None


def key(name: str) -> str:
    """A ticket's name without its state: the same while it waits, runs and runs on."""
    return name.split("-", 1)[1]
