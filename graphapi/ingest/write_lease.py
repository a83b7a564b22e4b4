"""One writer at a time: the store-wide lease a writer holds while it reads items and writes
them back (a flush, a retraction, a share).

Each of those reads an item's level and fields, works out the new ones and writes them: two at
once on the same items (two loads, a load and an ``ingest``, a load and a share) each write what
they worked out from the state before the other's, and a widening lost that way left an owner's
narrower statement following a node its next share opened (attack round 8, R2). The lease is a
node in the store (``cypher/ingest/*_write_lease.cypher``), so every process and host writing to
the store takes turns: the embedded server's CLI loads and API workers, or Neo4j's API workers.

- Held for :data:`LEASE_S` and renewed every third of it while held; a holder killed outright
  lets it lapse. A holder on this host whose process is gone is taken over at once (a load
  killed with kill -9 and run again does not wait).
- A writer that gets the lease after someone else wrote drops what it cached of the store
  (``stale``), as the other may have changed those items.
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
from collections.abc import AsyncIterator

from graphapi.store.base import GraphStore
from graphapi.store.errors import StoreTimeout

log = logging.getLogger(__name__)

#: Seconds a lease lasts unless renewed (a holder killed outright blocks writers this long).
LEASE_S = 30.0
#: Seconds a writer waits for the lease before giving up.
WAIT_S = 600.0
NAME = "items"
#: The lease node's label and properties (the Cypher linter's schema: tests/test_cypher_lint.py).
LEASE_LABEL = "WriteLease"
LEASE_PROPERTIES = ("id", "holder", "until", "last", "touched")


class WriteLeaseBusy(StoreTimeout):
    """Another writer held the store's write lease for longer than a writer may wait."""


def _alive_here(holder: str) -> bool:
    """False if ``holder`` ("<host>:<pid>:<random>") was a process of this host that is gone."""
    host, _, rest = holder.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return True
    pid = int(pid_text)
    if pid == os.getpid():
        return True  # another writer of this process: alive
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class WriteLease:
    """The store's write lease as one writer takes it; see the module docstring."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
        self._depth = 0  # held by this writer already (a flush inside a close): not taken again

    @contextlib.asynccontextmanager
    async def held(self) -> AsyncIterator[bool]:
        """Hold the lease for the block; yields True if another writer wrote since this one last
        held it (or this one never did), so what it cached may be stale."""
        if self._depth:
            self._depth += 1
            try:
                yield False
            finally:
                self._depth -= 1
            return
        stale = await self._acquire()
        self._depth = 1
        beat = asyncio.ensure_future(self._renew())
        try:
            yield stale
        finally:
            self._depth = 0
            beat.cancel()
            await asyncio.shield(self._release())

    async def _acquire(self) -> bool:
        waited, pause, dead = 0.0, 0.02, ""
        while True:
            now = time.time()
            [row] = await self.store.write("ingest/acquire_write_lease", {
                "name": NAME, "holder": self.holder, "dead": dead, "now": now, "until": now + LEASE_S})
            if row["acquired"]:
                return row["last"] != self.holder
            holder = str(row["holder"] or "")
            if holder != dead and not _alive_here(holder):
                dead = holder  # its process is gone: take it over at once
                continue
            if waited >= WAIT_S:
                raise WriteLeaseBusy(f"another load has held the store's write lease for over {WAIT_S:.0f} s "
                                     f"({holder}); try again later")
            await asyncio.sleep(pause)
            waited += pause
            pause = min(pause * 2, 0.5)

    async def _renew(self) -> None:
        while True:
            await asyncio.sleep(LEASE_S / 3)
            try:
                [row] = await self.store.write("ingest/renew_write_lease", {
                    "name": NAME, "holder": self.holder, "until": time.time() + LEASE_S})
                if not row["held"]:
                    log.error("write lease %s lapsed while held: a stalled writer; another may have written", NAME)
            except Exception:  # the next statement of the writer reports a store failure itself
                log.warning("could not renew the write lease", exc_info=True)

    async def _release(self) -> None:
        with contextlib.suppress(Exception):  # a lease not given back lapses after LEASE_S
            await self.store.write("ingest/release_write_lease", {"name": NAME, "holder": self.holder})
