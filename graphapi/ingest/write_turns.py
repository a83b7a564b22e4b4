"""A writer's turns of the store's write lease (:mod:`graphapi.ingest.write_lease`), and what its
records said, told in the turn after its writes to whoever keeps notes of it: by default the access
requests of the settings (``LINTAS_ACCESS_FILE``), whose side index answers without parsing the file
(:mod:`graphapi.security.access_index`). An owner's record outlives a killed grant's take-back (attack
round 42a, 6) and settles the grant's share entries (43b, 2).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence

from graphapi.ingest.pending_retractions import finish_marks, stop_at_stuck_marks
from graphapi.ingest.pending_widenings import recount_left
from graphapi.store.base import GraphStore

#: What a turn's records said (rows owner, item id, level, agencies), told to ``(store, rows)``;
#: whether the items' stored shares changed (the writer's cache of them is stale then).
SaidHook = Callable[[GraphStore, list[tuple[str, str, str, Sequence[str]]]], Awaitable[bool]]


async def tell_access_requests(store: GraphStore, rows: list[tuple[str, str, str, Sequence[str]]]) -> bool:
    """The default :data:`SaidHook`: the access requests of the process's settings
    (:func:`graphapi.security.grant_entries.note_load_said`)."""
    from graphapi.security.grant_entries import note_load_said  # security imports ingest

    return await note_load_said(store, rows)


class WriteTurns:
    """:class:`graphapi.ingest.writer.Writer`'s turns of the write lease (runs on its state)."""

    @contextlib.asynccontextmanager
    async def _exclusively(self) -> AsyncIterator[None]:
        """Hold the store's write lease (graphapi.ingest.write_lease) for a read-and-write-back
        of items; what this writer cached goes if another wrote since it last held it."""
        async with self.lease.held() as stale:
            if stale:
                self._forget()
                self._forget_bounds()  # what another writer changed is not told them
                # a writer killed half-way through a DEL's batch left its mark: finished before
                # anything is written over those items (attack round 23, C5)
                finished = await finish_marks(self.store, self.model, self.batch_size)
                self._stuck = finished.stuck  # unchanged until another writer had the lease
                for batch, done in finished.done:
                    # its notes (quarantines at the ends of the links it deleted) are recounted at
                    # this writer's close, whoever's batch it was (attack round a-62, 4)
                    self._retracted = True
                    if batch.owner == self.prov.owner:  # its rerun, typically: counted as its own
                        self._count(done)
                # the widenings a killed writer made and did not check (attack round a-82, 4 and 5)
                await recount_left(self.store, *self._policy())
            # a mark it could not finish stops it before it writes what the mark's finish, later,
            # would take back or make wrong (attack rounds 39a, 1 and 42b, 2: StuckMark.blocks)
            stop_at_stuck_marks(self._stuck, self.source, self.prov.owner, self._named, self._retracting)
            self.statements.said, self.edge_statements.said = [], []
            yield
            said = [*self.statements.said, *self.edge_statements.said]
            # in the turn (no grant notes a level meanwhile): an owner's record outlives a killed
            # grant's take-back (round 42a, 6), and settles the grant's share entries (43b, 2)
            if said and await self.said_hook(self.store, said):
                self._forget()  # those items' shares changed since this writer read them
                self._forget_bounds()

    def _forget_bounds(self) -> None:
        """Drop the breaker's bounds on its identifiers' holders (:mod:`graphapi.ingest.holder_bounds`)."""
        if self._bounds is not None:
            self._bounds.forget()

    def _forget(self) -> None:
        """Drop what this writer cached of the stored items (another writer may have changed them)."""
        self._known.clear()
        self._known_edges.clear()
        self._allowed.clear()
        self._protection_read.clear()
        self.statements.forget()
        self.edge_statements.forget()
