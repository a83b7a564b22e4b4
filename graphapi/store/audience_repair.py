"""The one-off repair of ``searchAudience`` on a graph written before it was derived after a WITH
(attack round 31, item 1; commit 89070b2).

FalkorDB evaluates ``SET n.tlp = .. SET n.searchAudience = f(n.tlp)`` on the values of before both
SETs, so nine write statements stored a node's audience from its OLD levels: a partner never found
a node shared with it by reload, and a narrowed node stayed in another audience's prefilter (search
still checks visibility after the index, but that defence in depth was lost). The writes are fixed;
a graph written before keeps its stale values until each node is written again.

So ``init_schema`` repairs every graph once: unless the graph bears the mark (an index on
:data:`MARK_LABEL`. :data:`MARK_PROPERTY`, found in the index list start-up reads anyway, so a
later start costs nothing), it derives the field again wherever it differs from what the stored
levels give (``schema/repair_search_audience``, the writes' own fragment), a window of the graph
per statement, then makes the mark (``schema/mark_repaired``). A new graph is marked at its first
start (nothing to scan). Neo4j never had the bug; the same path finds nothing there. A start that
fails part-way leaves no mark and the next start repairs again from the beginning (idempotent).
"""

from __future__ import annotations

import logging

from graphapi.store.base import GraphStore

log = logging.getLogger(__name__)

#: The mark of a repaired graph: a range index on this label and property (no node bears the label).
MARK_LABEL, MARK_PROPERTY = "SchemaRepair", "searchAudienceFromStoredLevels"
#: The first cursor of each dialect's statement: FalkorDB's windows are of internal node ids (a
#: label-and-id seek), Neo4j's follow the entity ids in the order its id index gives them.
FIRST = {"falkordb": 0, "neo4j": ""}


async def repair_search_audience(store: GraphStore, batch: int = 5000) -> int:
    """Derive ``searchAudience`` again wherever it is not what the entity's stored levels give,
    ``batch`` entities (internal ids on FalkorDB) a statement. Returns how many it changed. The
    caller makes the mark once this returns (the store's schema call)."""
    repaired, after = 0, FIRST[store.dialect]
    while after is not None:
        (row,) = await store.write("schema/repair_search_audience", {"after": after, "limit": batch})
        repaired, after = repaired + row["repaired"], row["next"]
    if repaired:
        log.warning("searchAudience of %d entities had been derived from their old levels (stored before "
                    "attack round 31's fix): derived again from their stored levels", repaired)
    return repaired
