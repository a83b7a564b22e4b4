"""Which records of a load a held-apart item or another agency's placeholder refuses "held by".

Such an item answers as missing to an agency outside its audience, and a record of that agency
takes it over as an id nobody loaded (:func:`graphapi.ingest.relevel.taken_over`): no hit, no
budget. But a record that does not take it over (narrower than the item's audience, attack round
30c; of another label than a held-apart record's, round 31) is refused "restricted: ... held by"
as on an id held from the start: the same hit, so it must take a unit of the lookup budget before
the load writes, as that one does (issue 10, hit/no-hit: three such loads on a budget of one went
ok, ok, ok where on an id held from the start they went ok, exceeded, exceeded). This module makes
the writer's own decision (:func:`graphapi.ingest.take_over.take_over_steps`, ``taken_over``) on
the records before they are written, so the charge follows exactly what the writer will refuse.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graphapi.ingest.provenance import Provenance, stamp
from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.relevel import taken_over
from graphapi.ingest.take_over import take_over_steps
from graphapi.ontology import Model
from graphapi.store.base import GraphStore

#: Ids asked per read.
ID_BATCH = 5_000


def _node_records(model: Model, records: Iterable[NodeRecord], source: str,
                  prov: Provenance) -> dict[str, tuple[str, dict[str, Any]]]:
    """Each node id's label and stamped properties as the writer buffers them: the first record's,
    its label refined by a later record of a narrower one (another is refused as a label conflict)."""
    out: dict[str, tuple[str, dict[str, Any]]] = {}
    for rec in records:
        props = stamp(rec.properties, source, prov)
        if rec.id not in out:
            out[rec.id] = (rec.label, props)
        elif model.is_a(rec.label, out[rec.id][0]):
            out[rec.id] = (rec.label, out[rec.id][1])
    return out


async def held_refusals(store: GraphStore, model: Model, records: Iterable[NodeRecord | EdgeRecord], *,
                        source: str, provenance: Provenance) -> set[str]:
    """The ids of ``records`` (a load by ``provenance.owner``, from ``source``) naming a held-apart
    item or another agency's placeholder hidden from that agency that the record will not take
    over: the writer refuses them "held by", a hit. An id nobody holds, a visible item, and an item
    the record takes over are not among them (each answers as an id nobody loaded would)."""
    nodes: list[NodeRecord] = []
    edges: dict[str, dict[str, dict[str, Any]]] = {}  # type -> id -> stamped properties
    for rec in records:
        if rec.op == "delete":
            continue
        if isinstance(rec, NodeRecord):
            nodes.append(rec)
        else:
            edges.setdefault(rec.type, {}).setdefault(rec.id, stamp(rec.properties, source, provenance))
    agency = {"agency": provenance.owner}
    refused: set[str] = set()
    buffered = _node_records(model, (r for r in nodes if not r.unresolved), source, provenance)
    ids = sorted(buffered)
    for start in range(0, len(ids), ID_BATCH):
        for row in await store.read("security/lookup/held_nodes", {"ids": ids[start:start + ID_BATCH], **agency}):
            label, props = buffered[row["id"]]
            if take_over_steps(model, row, label, props) is None:
                refused.add(str(row["id"]))
    for rel_type, by_id in edges.items():
        rids = sorted(by_id)
        for start in range(0, len(rids), ID_BATCH):
            rows = await store.read("security/lookup/held_relationships",
                                    {"ids": rids[start:start + ID_BATCH], **agency}, type=rel_type)
            refused.update(str(r["id"]) for r in rows if not taken_over(r["props"] or {}, by_id[r["id"]]))
    return refused
