"""The one-off derivation of ``victimMarkOwners`` on a graph written before it existed (attack
round a-75, 5b; :mod:`graphapi.ingest.victim_marks` says what it is).

``init_schema`` runs it once per graph, as :mod:`graphapi.store.audience_repair` runs its repair:
unless the graph bears the mark (an index on :data:`MARK_LABEL`. :data:`MARK_PROPERTY`, found in
the index list start-up reads anyway), it derives the field on every INVOLVED_IN / HELD_AT link
lacking it from the link's statements (``schema/repair_victim_mark_owners``), then makes the mark
(``schema/mark_victim_marks_repaired``). Idempotent: a start that fails part-way repairs again.
Until then the victim rule still reads the stored ``role`` as before, so nothing is unmarked by
the upgrade.
"""

from __future__ import annotations

import logging

from graphapi.store.base import GraphStore

log = logging.getLogger(__name__)

#: The mark of a repaired graph: a range index on this label and property (no node bears the label).
MARK_LABEL, MARK_PROPERTY = "VictimMarkRepair", "victimMarkOwnersFromStatements"


async def repair_victim_mark_owners(store: GraphStore) -> int:
    """Derive ``victimMarkOwners`` on the links lacking it; returns how many it set. The caller
    makes the mark once this returns (the store's schema call)."""
    (row,) = await store.write("schema/repair_victim_mark_owners")
    if row["repaired"]:
        log.warning("victimMarkOwners derived on %d victim-marked links stored before it existed", row["repaired"])
    return row["repaired"]
