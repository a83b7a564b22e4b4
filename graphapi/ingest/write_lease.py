"""One writer at a time: the store-wide lease a writer holds while it reads items and writes
them back (a flush, a retraction, a share).

Each of those reads an item's level and fields, works out the new ones and writes them: two at
once on the same items (two loads, a load and an ``ingest``, a load and a share) each write what
they worked out from the state before the other's, and a widening lost that way left an owner's
narrower statement following a node its next share opened (attack round 8, R2). The lease is a
node in the store (``cypher/ingest/*_write_lease.cypher``), so every process and host writing to
the store takes turns: the embedded server's CLI loads and API workers, or Neo4j's API workers.

- Held for :data:`LEASE_S` on the store's own clock (never a caller's: attack round 9, clock
  skew). Each fenced write renews it in its own query (the fence below); a holder that has not
  written for a third of it renews it with a statement of its own. A holder killed outright lets
  it lapse; one on this host (and pid namespace) whose process is gone is taken over at once.
- Fenced: every write of a holder goes through :meth:`WriteLease.fenced`. Each statement runs
  behind the lease's fence in the same query (``cypher/ingest/write_fence.cypher``), which fails
  the query once another writer holds the lease: it writes nothing, and the holder asks the store
  and raises :class:`WriteLeaseLost`. A write that comes back therefore passed the fence, which
  renewed the lease: the holder trusts it for :data:`TRUSTED_S` from when it sent that
  write, and asks the store again before a write only once more time has passed than that covers
  (after one, never: a write that came back was written). Trust no longer guards a write (the
  fence does); it only spares a holder that lost the lease sending its next write. A holder that
  stalled (a pause, a stopped process) and lost the lease raises :class:`WriteLeaseLost` instead
  of writing what it read before another writer's turn (attack rounds 9 and 10). Renewing in the
  fence spares a load a transaction and commit of its own every few seconds (issue 14: a third
  of a warm Neo4j's store time went to the lease's own statements).
- Writers waiting queue in the order they asked, so a stream of writers cannot keep another out
  (attack round 9: another agency's flood of ``ingest`` calls held TH-DSI's past its timeout).
- A writer that gets the lease after someone else held it drops what it cached of the store
  (``stale``), a takeover of a dead or lapsed holder included.
- Waiting is bounded: :data:`WAIT_S`, then :class:`WriteLeaseBusy`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from typing import Any, TypeVar

from graphapi.store.base import DEFAULT_BATCH_SIZE, BatchSummary, GraphStore
from graphapi.store.embedded_server import pid_alive
from graphapi.store.errors import StoreError, WriteLeaseBusy, WriteLeaseLost

log = logging.getLogger(__name__)
T = TypeVar("T")

#: Seconds a lease lasts unless renewed (a holder killed outright blocks writers this long).
LEASE_S = 30.0
#: How long a holder trusts its last renewal (its acquiring, a renewal, a fenced write that came
#: back: each lasts LEASE_S from when the store ran it, no earlier than it was sent) before it asks
#: the store again ahead of a write; a third of the lease is kept as a margin. It was 5 s while a
#: writer stalled between that check and its write could write after another's turn; the fence
#: now fails such a write, so trust only spares a holder that lost the lease sending one more.
TRUSTED_S = LEASE_S * 2 / 3
#: Seconds a writer waits for the lease before giving up.
WAIT_S = 600.0
#: Longest pause between two asks of a waiting writer; its place in line lasts several of them.
POLL_S = 0.25
PLACE_MS = 5_000
#: A writer that has waited this long says so in the log (a CLI load showed only its progress line).
SAY_WAITING_S = 2.0
NAME = "items"
#: The lease node's label and properties (the Cypher linter's schema: tests/test_cypher_lint.py).
LEASE_LABEL = "WriteLease"
LEASE_PROPERTIES = ("id", "holder", "until", "last", "touched", "queue", "queueUntil")


#: A clock that runs on while the host sleeps (Linux); elsewhere time.monotonic().
_BOOTTIME = getattr(time, "CLOCK_BOOTTIME", None)


def _clock() -> float:
    """Seconds on a clock that also runs while the host sleeps (CLOCK_BOOTTIME where there is
    one): time.monotonic() stands still through a suspend, and a holder resumed from one would
    trust a renewal whose lease had long lapsed (attack round 11)."""
    return time.clock_gettime(_BOOTTIME) if _BOOTTIME is not None else time.monotonic()


def _host() -> str:
    """This host (its name and boot id) and pid namespace: pids are only comparable within one.
    Containers that share a host name each have their own namespace; two machines of one name
    have the same initial namespace (inode 4026531836 on every Linux), so the boot id tells
    them apart (attack round 12, F7: a writer on the other took a live holder's lease as dead)."""
    try:
        ns = os.readlink("/proc/self/ns/pid").removeprefix("pid:[").removesuffix("]")
    except OSError:
        ns = "?"
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as fh:
            boot = fh.read().strip().replace("-", "")[:12]
    except OSError:
        boot = "?"
    return f"{socket.gethostname()}/{boot}/{ns}"


def _alive_here(holder: str) -> bool:
    """False if ``holder`` ("<host>/<boot>/<ns>:<pid>:<random>") was a process of this host and
    pid namespace that is gone."""
    host, _, rest = holder.rpartition(":")[0].rpartition(":")
    if host != _host() or not rest.isdigit():
        return True
    return int(rest) == os.getpid() or pid_alive(int(rest))  # this process: another writer of it


class WriteLease:
    """The store's write lease as one writer takes it; see the module docstring."""

    def __init__(self, store: GraphStore, name: str = NAME, what: str = "another writer") -> None:
        """``name``: the lease node's id (:data:`NAME`, the items lease, unless another turn is
        taken, as :mod:`graphapi.ingest.source_turns` does); ``what`` holds it, in messages."""
        self.store = store
        self.name, self.what = name, what
        self.holder = f"{_host()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
        self._depth = 0  # held by this writer already (a flush inside a close): not taken again
        self._trusted_until = 0.0  # _clock() up to which the lease is surely still held
        self._renewed_at = 0.0  # _clock() when the last renewal (a statement's or a fence's) was sent
        self._writing = 0  # fenced writes in flight: each renews the lease when the store runs it

    def fenced(self, store: GraphStore | None = None) -> FencedStore:
        """``store`` (default: the lease's) with each write made only while this lease is held."""
        return FencedStore(store if store is not None else self.store, self)

    @contextlib.asynccontextmanager
    async def held(self) -> AsyncIterator[bool]:
        """Hold the lease for the block; yields True if another writer held it since this one
        last did (or this one never did), so what it cached may be stale."""
        if self._depth:
            self._depth += 1
            try:
                yield False
            finally:
                self._depth -= 1
            return
        try:
            stale = await self._acquire()
        except BaseException:  # cancelled while the store may have given it the lease (attack round 10, Q5)
            await asyncio.shield(self._release())
            raise
        self._depth = 1
        beat = asyncio.ensure_future(self._beat())
        try:
            yield stale
        finally:  # given back whatever the block did; only a block that ended well is told below
            self._depth = 0
            beat.cancel()
            released = await asyncio.shield(self._release())
        if not released:
            # Another writer held the lease at some point of the block: a write the fence dropped
            # returns as if written, so the block cannot tell which (attack round 12, F7).
            raise WriteLeaseLost(f"{self.what} took the graph store's write lease {self.name!r} during this load's "
                                 "turn, or the store could not say it did not; some of what it sent may not be "
                                 "written: run it again")

    async def assure(self) -> None:
        """Before a write while held: raise :class:`WriteLeaseLost` if the lease is no longer
        this writer's (asked of the store only once the last renewal is too old to trust)."""
        if not self._depth or _clock() < self._trusted_until:
            return
        if not await self._renew():
            raise WriteLeaseLost("the store's write lease lapsed while this load paused and another writer took "
                                 "it; the load stops here, part of what it sent may be written and part not: "
                                 "run it again")

    def passed(self, asked: float) -> None:
        """A fenced write sent at ``asked`` (:func:`_clock`) came back: it passed the fence, which
        renewed the lease when the store ran it, no earlier than ``asked``."""
        self._trusted_until = max(self._trusted_until, asked + TRUSTED_S)
        self._renewed_at = max(self._renewed_at, asked)

    async def refused(self, error: BaseException) -> None:
        """A fenced write failed with ``error``: raise :class:`WriteLeaseLost` if the fence
        refused it (the lease is another writer's, or no longer exists); return if the lease is
        still this writer's, so that the caller raises ``error`` itself."""
        try:
            held = await self._renew()
        except Exception:  # the store cannot answer: the write's own error says more
            return
        if not held:
            raise WriteLeaseLost(f"{self.what} took the graph store's write lease {self.name!r} during this "
                                 "load's turn; the store refused this load's next write, and some of what it "
                                 "sent may not be written: run it again") from error

    async def _acquire(self) -> bool:
        waited, pause, dead = 0.0, 0.02, ""
        while True:
            asked = _clock()
            [row] = await self.store.write("ingest/acquire_write_lease", {
                "name": self.name, "holder": self.holder, "dead": dead, "lease_ms": int(LEASE_S * 1000),
                "wait_ms": PLACE_MS})
            if row["acquired"]:
                self._trusted_until, self._renewed_at = asked + TRUSTED_S, asked
                return row["last"] != self.holder or str(row["previous"] or "") not in ("", self.holder)
            holder = str(row["holder"] or "")
            if holder != dead and not _alive_here(holder):
                dead = holder  # its process is gone: take it over once first in line
                continue
            if waited >= WAIT_S:
                raise WriteLeaseBusy(f"{self.what} has held the store's write lease for over {WAIT_S:.0f} s "
                                     f"({holder}); try again later")
            if waited < SAY_WAITING_S <= waited + pause:  # a load that waits says why (attack round 16)
                log.warning("waiting for %s to end (%s holds the store's write lease %r)", self.what, holder, self.name)
            await asyncio.sleep(pause)
            waited += pause
            pause = min(pause * 2, POLL_S)

    async def _renew(self) -> bool:
        asked = _clock()
        rows = await self.store.write("ingest/renew_write_lease", {
            "name": self.name, "holder": self.holder, "lease_ms": int(LEASE_S * 1000)})
        held = bool(rows and rows[0]["held"])  # no row: the store was cleared under the writer
        if held:
            self._trusted_until = asked + TRUSTED_S
            self._renewed_at = max(self._renewed_at, asked)
        return held

    @property
    def fence(self) -> dict[str, Any]:
        """The params of ``cypher/ingest/write_fence.cypher`` for this writer."""
        return {"fence_name": self.name, "fence_holder": self.holder, "fence_lease_ms": int(LEASE_S * 1000)}

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(LEASE_S / 3)
            if self._writing or _clock() - self._renewed_at < LEASE_S / 3:
                # a fenced write renewed it meanwhile, or will: a renewal beside a running write
                # would wait for it anyway (the write holds the lease node's lock, or the store's
                # one write thread)
                continue
            try:
                if not await self._renew():
                    log.error("write lease %s lapsed while held: this writer's next write is refused", self.name)
                    return
            except Exception:  # the writer's next statement reports a store failure itself
                log.warning("could not renew the write lease", exc_info=True)

    async def _release(self) -> bool:
        """Give the lease back; False if this writer no longer held it (its own release, whose
        answer was lost, being the last thing the lease saw counts as held), or if the store could not
        say so twice running: a write the fence dropped is told only here, so an unknown answer
        fails the load rather than passing it (attack round 13, F7b). A lease not given back
        lapses after LEASE_S."""
        for attempt in (1, 2):
            try:
                rows = await self.store.write("ingest/release_write_lease", {"name": self.name, "holder": self.holder})
            except Exception as exc:  # said in a line, not a traceback: the load's own error follows
                if attempt == 2:
                    log.warning("could not give the write lease %r back: %s", self.name, exc)
                    return False
                await asyncio.sleep(POLL_S)
                continue
            return bool(rows and rows[0]["released"])
        return False


@contextlib.asynccontextmanager
async def exclusively(store: GraphStore) -> AsyncIterator[FencedStore]:
    """Hold ``store``'s write lease for the block and write through the store it yields (a
    share or an unshare: one read-and-write-back of items that caches nothing). Given a store
    that is one already (a share within an access request's grant), the turn is the same one."""
    if isinstance(store, FencedStore):
        async with store.lease.held():
            yield store
        return
    lease = WriteLease(store)
    async with lease.held():
        yield lease.fenced(store)


class FencedStore:
    """A store whose writes are made only while ``lease`` is held: each runs behind the lease's
    fence, which fails it once the lease is another writer's (then :class:`WriteLeaseLost`) and
    renews the lease otherwise; :meth:`WriteLease.assure` before it asks the store only when no
    renewal is recent enough to trust. Reads and everything else pass through."""

    def __init__(self, store: GraphStore, lease: WriteLease) -> None:
        self._store, self._lease = store, lease

    @property
    def lease(self) -> WriteLease:
        return self._lease

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    async def _fenced(self, write: Callable[[], Awaitable[T]]) -> T:
        """``write()`` (one fenced store write) once the lease is made sure of; a write that came
        back passed the fence, so the lease is trusted from when it was asked (a refused one failed)."""
        await self._lease.assure()
        asked = _clock()
        self._lease._writing += 1
        try:
            done = await write()
        except WriteLeaseLost:
            raise
        except StoreError as exc:
            await self._lease.refused(exc)
            raise
        finally:
            self._lease._writing -= 1
        self._lease.passed(asked)
        return done

    async def write(self, name: str, params: Mapping[str, Any] | None = None, **placeholders: str) -> list:
        return await self._fenced(lambda: self._store.write(name, params, fence=self._lease.fence, **placeholders))

    async def write_batches(self, name: str, rows: Iterable[Any], batch_size: int = DEFAULT_BATCH_SIZE,
                            params: Mapping[str, Any] | None = None, **placeholders: str) -> BatchSummary:
        """As the store's, each batch fenced and the lease made sure of before it (attack round
        10, F1: one check for all of them let a writer stalled between two batches write the rest
        after another had taken the lease)."""
        rows = list(rows)
        size = max(1, batch_size)
        done = BatchSummary(0, 0, [])
        extra = {"params": params} if params is not None else {}
        for start in range(0, len(rows), size):
            part = await self._fenced(lambda start=start: self._store.write_batches(
                name, rows[start:start + size], size, **extra, fence=self._lease.fence, **placeholders))
            done = BatchSummary(done.batches + part.batches, done.rows + part.rows, done.returned + part.returned)
        return done


async def write_one(store: GraphStore, name: str, params: Mapping[str, Any], **placeholders: str) -> dict[str, Any]:
    """The one row of a write statement that always answers one row. Through a :class:`FencedStore`
    none means the fence found no lease node (the store cleared under the writer): nothing was
    written, and the writer raises :class:`WriteLeaseLost` as for a lease another took, not the
    ValueError of unpacking no row (an internal error)."""
    rows = await store.write(name, params, **placeholders)
    if len(rows) == 1:
        return rows[0]
    if isinstance(store, FencedStore) and not rows:
        raise WriteLeaseLost(f"the graph store's write lease {store.lease.name!r} is gone (the store was cleared "
                             f"during this load's turn); {name} wrote nothing: run it again")
    raise StoreError(f"{name} answered {len(rows)} rows where it answers one")
