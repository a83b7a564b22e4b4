"""Whose search runs in the store next: one fair queue shared by every API worker on the data
directory (issue 10, attack round 29 H1, M2).

A search for a word with tens of thousands of visible matches holds one of the store's query
threads for seconds (the embedded store has two). Bounds per principal or per agency did not cap
them all: two agencies each searching broadly put a third agency's entity read at 2.6 s median,
eight at 13-18 s. So at most ``LINTAS_SEARCH_SLOTS`` searches run in the store at once, below its
query threads (embedded: 1 of 2, so other reads always keep one), and the others wait their turn:

* a waiting search is a ticket file in ``<data dir>/search-queue``, locked (``flock``) by its worker
  for as long as it waits or runs: a worker killed with -9 drops its locks with it, and a ticket
  whose lock anyone can take is a dead worker's and is removed;
* a running search also holds a slot file's lock (``slot-<i>.lock``), released by the kernel likewise;
* when a slot is free the next turn is decided from the tickets alone, under one lock file: the
  agency served longest ago goes first, inside it the principal served longest ago, inside that the
  oldest ticket. An agency flooding the queue takes no turn from one that asks rarely (its last turn
  is always older), and one analyst searching back to back takes none from a colleague. Whose
  worker happens to look first (polling luck) decides nothing: a waiter only takes a free slot when
  the queue says the turn is its own.

A principal may have ``LINTAS_SEARCH_IN_FLIGHT`` searches waiting or running at once (a fourth
browser tab of the demo waits with the others instead of failing); past that, or after waiting
``LINTAS_SEARCH_WAIT_S`` for its turn, a search fails with RATE_LIMITED before the store. A search
whose client hung up leaves the queue and never reaches the store.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import json
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from itertools import count
from pathlib import Path

from graphapi.errors import LintasError
from graphapi.security import Principal
from graphapi.security.filelock import try_lock

#: How often a waiting search looks whether its turn came (turns are decided by the queue, not by
#: who looks first; a search lasts from milliseconds to seconds).
POLL_S = 0.02
#: A principal or agency not served for this long is forgotten (it counts as never served: first).
_FORGET_NS = 3_600 * 10**9
_tickets = count()


class SearchesInFlight(LintasError):
    """The principal already has its limit of searches waiting or running."""

    code = "RATE_LIMITED"

    def __init__(self, limit: int) -> None:
        super().__init__(f"you already have {limit} search{'es' if limit > 1 else ''} waiting or running (at most "
                         f"{limit} at once, LINTAS_SEARCH_IN_FLIGHT); retry when one ends")


class SearchQueueBusy(LintasError):
    """The search's turn did not come within LINTAS_SEARCH_WAIT_S."""

    code = "RATE_LIMITED"

    def __init__(self, wait_s: float) -> None:
        super().__init__(f"the searches ahead of yours did not end within {wait_s:g} s (LINTAS_SEARCH_WAIT_S); "
                         "retry later")


class ClientGone(LintasError):
    """The client hung up while its search waited: nobody would read the answer."""

    code = "CLIENT_CLOSED_REQUEST"

    def __init__(self) -> None:
        super().__init__("the client closed the request before its search ran")


def _hashed(*parts: str | None) -> str:
    """A short file-name-safe stand-in for an agency or principal id."""
    return hashlib.sha256("\0".join(p or "" for p in parts).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Ticket:
    """One search waiting (``wait-``) or running (``run-``), read from its file name."""

    name: str
    running: bool
    joined: int  # time.time_ns() when it joined the queue
    agency: str
    principal: str

    @classmethod
    def parse(cls, name: str) -> Ticket | None:
        parts = name.removesuffix(".lock").split("-")
        if len(parts) != 6 or parts[0] not in ("wait", "run") or not parts[1].isdigit():
            return None
        return cls(name, parts[0] == "run", int(parts[1]), parts[4], parts[5])


def next_turns(waiting: list[Ticket], served: dict[str, int], turns: int) -> list[Ticket]:
    """The ``turns`` tickets of ``waiting`` that run next: the agency served longest ago (never: first),
    inside it the principal served longest ago, then the oldest ticket; each turn given counts as
    served for the next."""
    served, left, chosen = dict(served), sorted(waiting, key=lambda t: t.joined), []
    while left and len(chosen) < turns:
        agency = min(left, key=lambda t: (served.get("a" + t.agency, 0), t.joined)).agency
        mine = [t for t in left if t.agency == agency]
        ticket = min(mine, key=lambda t: (served.get("p" + t.principal, 0), t.joined))
        chosen.append(ticket)
        left.remove(ticket)
        served["a" + ticket.agency] = served["p" + ticket.principal] = time.time_ns() + len(chosen)
    return chosen


class SearchQueue:
    """The search queue of one data directory (every API worker on it opens the same files)."""

    def __init__(self, folder: Path, slots: int, per_principal: int, wait_s: float) -> None:
        self.folder, self.slots, self.per_principal, self.wait_s = Path(folder), slots, per_principal, wait_s

    @asynccontextmanager
    async def turn(self, principal: Principal,
                   client_gone: Callable[[], Awaitable[bool]] | None = None) -> AsyncIterator[None]:
        """Run the body as one of the at most ``slots`` searches in the store, once the queue says it is
        this search's turn (0 slots: at once). SearchesInFlight, SearchQueueBusy or ClientGone before it."""
        if not self.slots:
            yield
            return
        fd, name = self._join(principal)
        try:
            slot = await self._wait_for_turn(name, client_gone)
            try:
                if client_gone is not None and await client_gone():
                    raise ClientGone
                yield
            finally:
                os.close(slot)
        finally:
            with contextlib.suppress(FileNotFoundError):  # a ticket is unlinked before its lock is dropped
                os.unlink(self.folder / name.replace("wait-", "run-", 1))
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.folder / name)
            os.close(fd)

    def _join(self, principal: Principal) -> tuple[int, str]:
        """A new waiting ticket of ``principal`` (its descriptor, holding its lock, and file name)."""
        agency, who = _hashed(principal.agency), _hashed(principal.agency, principal.subject)
        with self._decided():
            if self.per_principal:
                mine = [t for t in self._live() if t.principal == who]
                if len(mine) >= self.per_principal:
                    raise SearchesInFlight(self.per_principal)
            name = f"wait-{time.time_ns():020d}-{os.getpid()}-{next(_tickets)}-{agency}-{who}.lock"
            fd = os.open(self.folder / name, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # new, and under the queue lock: always free
        return fd, name

    async def _wait_for_turn(self, name: str, client_gone: Callable[[], Awaitable[bool]] | None) -> int:
        """The descriptor of the slot this ticket got once its turn came."""
        deadline = time.monotonic() + self.wait_s
        while True:
            if client_gone is not None and await client_gone():
                raise ClientGone
            with self._decided():
                slot = self._take_turn(name)
            if slot is not None:
                return slot
            if time.monotonic() >= deadline:
                raise SearchQueueBusy(self.wait_s)
            await asyncio.sleep(POLL_S)

    def _take_turn(self, name: str) -> int | None:
        """A free slot's descriptor if one is free and the queue gives it to ``name`` (the ticket then
        runs); None otherwise. Under the queue lock."""
        free = [fd for i in range(self.slots) if (fd := try_lock(self.folder / f"slot-{i}.lock")) is not None]
        try:
            if not free:
                return None
            served = self._served()
            chosen = next_turns([t for t in self._live() if not t.running], served, len(free))
            if name not in {t.name for t in chosen}:
                return None
            ticket = Ticket.parse(name)
            assert ticket is not None
            os.rename(self.folder / name, self.folder / name.replace("wait-", "run-", 1))
            now = time.time_ns()
            served.update({"a" + ticket.agency: now, "p" + ticket.principal: now})
            self._write_served({k: v for k, v in served.items() if now - v < _FORGET_NS})
            return free.pop()
        finally:
            for fd in free:
                os.close(fd)

    def _live(self) -> list[Ticket]:
        """The tickets whose worker still holds them; a dead worker's are removed. Under the queue lock."""
        live = []
        for entry in os.scandir(self.folder):
            if (ticket := Ticket.parse(entry.name)) is None:
                continue
            if (fd := try_lock(Path(entry.path))) is not None:  # nobody holds it: its worker died
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)
                os.close(fd)
            else:
                live.append(ticket)
        return live

    def _served(self) -> dict[str, int]:
        try:
            return json.loads((self.folder / "served.json").read_text())
        except (FileNotFoundError, ValueError):  # none yet, or a worker died mid-write: all equal
            return {}

    def _write_served(self, served: dict[str, int]) -> None:
        (self.folder / "served.json").write_text(json.dumps(served))

    @contextlib.contextmanager
    def _decided(self):  # noqa: ANN202
        """Hold the queue lock (milliseconds: file names only) for one decision."""
        fd = try_lock(self.folder / "queue.lock")  # makes the folder (owner-only) on first use
        if fd is None:  # another worker is deciding: wait for it (milliseconds)
            fd = os.open(self.folder / "queue.lock", os.O_RDWR)
            fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            os.close(fd)
