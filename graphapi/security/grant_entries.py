"""A killed grant's share entries once the owner's own record has named its requester.

A grant shares, and so keeps ``'<requester agency>|AMBER'`` on each item it opened
(:mod:`graphapi.security.kept_shares`), which the owner's loads widen their records by. The
grant's take-back removes it; but once the owner's record of an item names the requester, the
take-back leaves the requester there (:func:`graphapi.security.access_notes.note_said`: the
owner's record outlives the refusal) and removed nothing, so the entry stayed, and the owner's
later narrowing record (RED, shared with nobody) was widened by it: the refused requester kept
reading the phone (attack round 43b, 2). Where a record names the requester of a killed grant
that noted the requester's place, that record speaks for the item's audience from then on: the
grant's entry goes, in the load's turn of the write lease, before the notes change (cut off
between the two, the load run again finds the places still noted and removes the entry again).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from graphapi.security.access_index import read_index
from graphapi.security.access_notes import note_said, places_named
from graphapi.security.grant_shares import GRANT_TLP
from graphapi.security.kept_shares import SEPARATOR
from graphapi.store import GraphStore

log = logging.getLogger("graphapi.security.access")

#: A load's statements, to the access requests: rows owner, item id, level, agencies.
Said = Sequence[tuple[str, str, str, Sequence[str]]]


async def drop_entries(store: GraphStore, rows: list[tuple[str, str, list[str], list[dict[str, str]]]]) -> bool:
    """Remove each grant's entry from the items of ``rows`` (owner, requester agency, node ids,
    relationship rows id, type, start, end); whether any item had one."""
    dropped = False
    for owner, requester, nodes, ties in rows:
        params = {"entry": requester + SEPARATOR + GRANT_TLP, "agency": owner}
        if nodes:
            dropped |= bool(await store.write("security/drop_grant_entry_nodes", {**params, "ids": nodes}))
        by_type: dict[str, list[dict[str, str]]] = {}
        for t in ties:
            by_type.setdefault(t["type"], []).append({k: t[k] for k in ("id", "start", "end")})
        for rel_type, tie_rows in sorted(by_type.items()):
            done = await store.write_batches("security/drop_grant_entry_relationships", tie_rows, params=params,
                                             type=rel_type)
            dropped |= bool(done.returned)
    return dropped


async def note_load_said(store: GraphStore, statements: Said) -> bool:
    """What an owner's load has just said, to the access requests of the process's settings
    (``LINTAS_ACCESS_FILE``): the grant entries its records settle removed, then the notes updated
    (:func:`note_said`). Called by the ingest writer in the load's turn, after its writes; whether
    an entry was removed (the writer's cache of those items is stale then). A file it cannot read
    changes nothing (the refusal then takes back more, never less)."""
    from graphapi.security.access import AccessRequestStore  # access imports access_notes
    from graphapi.security.runtime import access_path
    from graphapi.settings import get_settings

    requests = AccessRequestStore(access_path(get_settings()))
    try:  # one read of the side index a turn (no grant notes anything meanwhile: it waits for the turn)
        index = await asyncio.to_thread(read_index, requests)
    except (OSError, ValueError):
        log.exception("access requests: the notes of killed grants were not read after a load")
        return False
    if not index.noted:
        return False
    named = places_named(requests, statements, index)
    dropped = await drop_entries(store, named) if named else False
    await asyncio.to_thread(note_said, requests, statements, index)
    return dropped
