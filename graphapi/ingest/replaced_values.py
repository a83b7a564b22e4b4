"""A MOD takes the phones and documents its record's old version made of its values and its new
version does not (attack round 33, 3: a MOD of her nationality th -> la left her TH passport, and
its link, behind; a DEL takes them with :func:`graphapi.ingest.retraction.withdraw_made`).

:class:`ReplacedValues` follows a load's records in the order they are read: a replace record (an
FtM MOD) of a node starts its new version, and the value links (``USES_PHONE``,
``HOLDS_DOCUMENT``) from that node read after it are the new version's. Once the load has
written them, the node's stored value links of the same source that the new version did not make
are retracted as their DELs would be, and the nodes at their ends that no link of the source holds
any more are withdrawn (only nodes made of their links' records: ``cypher/ingest/values_made``).
A link another line of the source draws too (a Passport line's ``HOLDS_DOCUMENT``, a Call line's
``USES_PHONE``: line statements) stays, only her line's statement about it deleted: her MOD replaces
what her line said (attack round a-69, F1). A link read before the MOD (its ADD earlier in the same
file) is the old version's, as it would be loaded in a load of its own. A MOD refused (a label
conflict, "would disclose", "held by") loads nothing, so it takes nothing either. Each link's
retraction names the nodes at its end on its pending mark, so a kill after the links went still
withdraws them (:mod:`graphapi.ingest.pending_retractions`).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from typing import Any

from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.retraction import VALUE_LINKS, Batch, Retractions, retract_relationship_batch, values_made
from graphapi.ontology import Model
from graphapi.store.base import GraphStore


class ReplacedValues:
    """The nodes a load replaced (MOD) and the value links each new version made, by source."""

    def __init__(self) -> None:
        self._kept: dict[tuple[str, str], set[str]] = {}  # (source, node id) -> link ids made since its MOD

    def __bool__(self) -> bool:
        return bool(self._kept)

    def note(self, record: NodeRecord | EdgeRecord, source: str) -> None:
        """Follow one record as the load reads it (``source``: the source it writes under)."""
        if isinstance(record, NodeRecord):
            if record.op == "replace":
                self._kept[(source, record.id)] = set()  # a second MOD starts again
        elif record.op != "delete" and record.type in VALUE_LINKS and (source, record.start) in self._kept:
            self._kept[(source, record.start)].add(record.id)

    async def retract(self, store: GraphStore, model: Model, *, owner: str, scoped: bool, batch_size: int,
                      refused: Collection[str] = ()) -> Retractions:
        """Retract what the replaced nodes' old versions made of their values and the new ones did
        not (see the module docstring), but for the nodes whose record was ``refused``; returns
        the counts."""
        out = Retractions()
        by_source: dict[str, list[str]] = {}
        for source, nid in self._kept:
            if nid not in refused:  # a refused record loads nothing: its old version stands
                by_source.setdefault(source, []).append(nid)
        for source, holders in by_source.items():
            for i in range(0, len(holders), batch_size):
                batch = Batch(uuid.uuid4().hex, "", source, owner, scoped, [])
                stale: dict[str, set[str]] = {}
                made: dict[str, set[str]] = {}  # by link type: the nodes at the stale links' ends
                rows = [row for row in await values_made(store, batch, holders[i:i + batch_size])
                        if row["id"] not in self._kept[(source, row["holder"])]]
                drawn = await _drawn_by_other_lines(store, batch, rows, out)
                for row in rows:
                    if row["id"] not in drawn:
                        stale.setdefault(str(row["type"]), set()).add(str(row["id"]))
                        made.setdefault(str(row["type"]), set()).add(str(row["end"]))
                for rel_type, ids in stale.items():
                    # the ends are withdrawn by the links' batch, named on its mark
                    links = Batch(uuid.uuid4().hex, rel_type, source, owner, scoped, sorted(ids),
                                  made=tuple(sorted(made[rel_type])))
                    await retract_relationship_batch(store, model, out, links, batch_size)
        self._kept.clear()
        return out


async def _drawn_by_other_lines(store: GraphStore, batch: Batch, rows: list[dict[str, Any]],
                                out: Retractions) -> set[str]:
    """Of the links ``rows`` (:func:`values_made`'s, from the replaced holders) those another line
    of the source draws too (a Passport line's ``HOLDS_DOCUMENT``, a Call line's ``USES_PHONE``:
    line statements): they stay, with the holder's own line's statement about them deleted. Her
    MOD replaces what her line said only (attack round a-69, F1: a name-only MOD of her took the
    links her Passport and Call lines drew, and the document with them)."""
    said = [{"entity": str(r["id"]), "lines": ["", str(r["holder"])]} for r in rows]
    if not said:
        return set()
    params = {"source": batch.source, "owner": batch.owner, "scoped": batch.scoped}
    drawn = {str(r["entity"]) for r in await store.read("provenance/source_states", {**params, "rows": said})}
    own = [{"entity": str(r["id"]), "line": str(r["holder"])} for r in rows if str(r["id"]) in drawn]
    if own:
        out.statements_retracted += len(await store.write("provenance/retract_line_statements",
                                                          {**params, "rows": own}))
    return drawn
