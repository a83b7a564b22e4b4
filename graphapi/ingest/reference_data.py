"""The gazetteers' nodes (banks, border checkpoints, compounds) are public reference data, in the
store before any feed names them.

A feed that names a bank, checkpoint or compound meets the gazetteer's node by id
(``bank-th-ktb``, ``bcp-th-mm-mae-sot``); a feed's record writes that node too, so that its
links hold where the gazetteers were never loaded. But a node belongs to the first agency that
writes it: KH-NP's RED account at Krung Thai Bank made ``bank-th-ktb`` KH-NP's RED node, which
no other agency could see or link to, and a later gazetteer load could not widen it (attack
round 12, B1). So every path that makes a store ready for writes (``lintas init-db``, a CLI
load, the API's start) loads the gazetteers first, as ``public`` CLEAR data, whenever one of
their nodes is missing; a feed's record of such a node then only adds its sources to it.
"""

from __future__ import annotations

import asyncio
import logging
import os
from functools import lru_cache

from graphapi.ingest.records import NodeRecord
from graphapi.store import GraphStore

log = logging.getLogger(__name__)

#: Who owns the reference data, at which level (as `lintas load gazetteers` by default).
OWNER, TLP = "public", "CLEAR"


#: Id prefixes only the gazetteers' nodes take: an agency's load creates no node of such an id
#: (attack round 13, B1b: KH-NP's RED ingest of ``bank-mm-futurepay`` took the node of an entry
#: a deployment added later); it only merges into the public node once the gazetteer has it.
#: A checkpoint or compound no gazetteer knows is made by its feed under the feed's own code in
#: another namespace (``checkpoint-<code>``, ``compound-<code>``, flagged ``unresolvedPlace``:
#: seed/mappings/crossings.yaml, cases.yaml), so it never takes the id of an entry a deployment's
#: gazetteer adds later (attack rounds 14-15, C7 and B1c).
RESERVED_PREFIXES = ("bank-", "bcp-", "cmp-")


def is_reference_id(node_id: str) -> bool:
    """True if ``node_id`` has the form of a gazetteer's node id (a bank's, a checkpoint's, a
    compound's), which no agency's load makes."""
    return node_id.startswith(RESERVED_PREFIXES)


def reference_ids() -> list[str]:
    """The node ids the gazetteers' entries make (a bank's is ``bank-<entry id>``): those that
    clean only, so an entry the loader rejects does not send every load to load them again.
    Read once per process and deployment folder list: every load and ``ingest`` call asks."""
    return list(_reference_ids(os.environ.get("LINTAS_GAZETTEERS", "")))


@lru_cache(maxsize=4)
def _reference_ids(_deployment: str) -> tuple[str, ...]:
    from graphapi.ingest.readers.gazetteers import GazetteerReader

    return tuple(r.id for r in GazetteerReader().records() if isinstance(r, NodeRecord))


async def captured_reference_nodes(store: GraphStore) -> list[tuple[str, str, str]]:
    """``(id, owner, tlp)`` of the gazetteer nodes an agency's load made its own before they were
    reference data (a store written before the gazetteers were loaded first): not public CLEAR."""
    rows = await store.read("ingest/existing_nodes", {"ids": reference_ids()})
    out = []
    for row in rows:
        props = row.get("props") or {}
        if (props.get("owner"), props.get("tlp")) != (OWNER, TLP):
            out.append((str(row["id"]), str(props.get("owner") or ""), str(props.get("tlp") or "")))
    return sorted(out)


async def ensure_reference_data(store: GraphStore, ids: list[str] | None = None) -> int:
    """Load the gazetteers as public CLEAR data if any of their nodes is missing from ``store``;
    the number of nodes written (0 when all were there: one read). ``ids``: :func:`reference_ids`
    as another process of this deployment read them (a load job's process is handed the API's:
    reading them costs a new process ~0.04 s of CPU, ~6% of a small job's)."""
    from graphapi.ingest.pipeline import run_load
    from graphapi.ingest.readers.gazetteers import SOURCE, GazetteerReader
    from graphapi.ingest.writer import Provenance

    wanted = reference_ids() if ids is None else ids
    found = await store.read("ingest/existing_node_ids", {"ids": wanted})
    if len(found) >= len(set(wanted)):
        return 0
    summary = await run_load(store, GazetteerReader(), source=SOURCE, provenance=Provenance(owner=OWNER, tlp=TLP))
    if summary.rows_rejected:
        log.warning("%d gazetteer entries were rejected; see `lintas load gazetteers`", summary.rows_rejected)
    return summary.nodes_written


#: Seconds between two tries of the API's background load of the reference data, at most.
RETRY_MAX_S = 60.0


async def keep_ensuring_reference_data(store: GraphStore, first_pause_s: float = 5.0) -> int:
    """:func:`ensure_reference_data` until it succeeds, pausing between tries (doubling up to
    :data:`RETRY_MAX_S`): the API's start does it in the background, where one failure (another
    writer holding the lease past its wait, the store restarting) left a deployment's new
    gazetteer entries unloaded for the process's life (attack round 16, R1d)."""
    pause = first_pause_s
    while True:
        try:
            return await ensure_reference_data(store)
        except Exception as exc:  # the store cannot yet: try again later
            log.warning("could not load the gazetteers' reference data (%s); trying again in %.0f s", exc, pause)
        await asyncio.sleep(pause)
        pause = min(pause * 2, RETRY_MAX_S)
