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

import logging

from graphapi.ingest.identity.banks import bank_node_id
from graphapi.ingest.identity.gazetteer import KINDS, gazetteer
from graphapi.store import GraphStore

log = logging.getLogger(__name__)

#: Who owns the reference data, at which level (as `lintas load gazetteers` by default).
OWNER, TLP = "public", "CLEAR"


def reference_ids() -> list[str]:
    """The node ids of every gazetteer entry (a bank's is ``bank-<entry id>``)."""
    ids: list[str] = []
    for kind in KINDS:
        for entry in gazetteer(kind).entries.values():
            ids.append(bank_node_id(entry) if kind == "banks" else entry.id)
    return ids


async def ensure_reference_data(store: GraphStore) -> int:
    """Load the gazetteers as public CLEAR data if any of their nodes is missing from ``store``;
    the number of nodes written (0 when all were there: one read)."""
    from graphapi.ingest.pipeline import run_load
    from graphapi.ingest.readers.gazetteers import SOURCE, GazetteerReader
    from graphapi.ingest.writer import Provenance

    wanted = reference_ids()
    found = await store.read("ingest/existing_node_ids", {"ids": wanted})
    if len(found) >= len(set(wanted)):
        return 0
    summary = await run_load(store, GazetteerReader(), source=SOURCE, provenance=Provenance(owner=OWNER, tlp=TLP))
    if summary.rows_rejected:
        log.warning("%d gazetteer entries were rejected; see `lintas load gazetteers`", summary.rows_rejected)
    return summary.nodes_written
