"""One load of a source at a time: a load of a source (by its owner) holds that source's turn,
a lease of its own beside the store's items lease (:mod:`graphapi.ingest.write_lease`), from its
first write to its last, so another load of the same source waits for it.

Batches of two loads take turns on the items lease, but a source's loads must not interleave:
a ``--replace`` load retracts, when it ends, what its source asserted and it did not, and so took
back what another load of the same source had written meanwhile, while that load still reported
every row loaded (attack round 16, N7: two replace loads of one source, both exit 0, left the
graph holding neither file whole). Loads of different sources, or of one source name by different
owners (a replace retracts its owner's statements only), still run side by side.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import AsyncIterator

from graphapi.ingest.write_lease import WriteLease
from graphapi.ontology.ids import MAX_ID_BYTES
from graphapi.store import GraphStore


def turn_name(source: str, owner: str) -> str:
    """The id of the lease node of ``source``'s loads by ``owner``; past the length an indexed
    string may have (the ids' :data:`~graphapi.ontology.ids.MAX_ID_BYTES`: a longer one kills the
    embedded FalkorDB), a digest of the two stands for them. Every entry point checks a source's
    name (64 characters); this holds for a caller of ``run_load`` that did not (attack round a-84, 13)."""
    name = f"load:{owner}:{source}"
    if len(name.encode("utf-8")) <= MAX_ID_BYTES:
        return name
    return f"load:{hashlib.sha256(name.encode('utf-8')).hexdigest()}"


@contextlib.asynccontextmanager
async def source_turn(store: GraphStore, source: str, owner: str) -> AsyncIterator[None]:
    """Hold ``source``'s turn (loads by ``owner``) for the block: wait while another load of it
    runs (then :class:`~graphapi.store.errors.WriteLeaseBusy` after the lease's wait), and raise
    :class:`~graphapi.store.errors.WriteLeaseLost` at the end if the turn lapsed meanwhile (a load
    paused past the lease) so that another load of it may have run in between."""
    lease = WriteLease(store, turn_name(source, owner), what=f"another load of source {source!r} ({owner})")
    async with lease.held():
        yield
