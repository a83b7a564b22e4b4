"""A MOD of a link record retracts the pairs its old version drew and its new version does not
(attack round 39a, 3: Payment a->[b, c] modified to a->[b] left a->c with amount 100 and
sharedBy 2, a transfer the payment no longer makes).

A link record (an FtM Payment, Ownership, Membership, Sanction, Call or Trip) draws one relationship
per pair of its parties, each naming the record's id as ``recordId``
(:mod:`graphapi.ingest.readers.ftm_links`). :class:`ReplacedLinks` follows a load's relationship
records in the order they are read: a replace record (an FtM MOD) starts its record's new
version, and the pairs of that record read after it (a second MOD, an ADD) are the new version's;
a DEL is a new version that draws none (its own pairs go as DELs; any other its values no longer
name goes here, so a DEL takes every pair its entity drew, whatever its values).
Once the load has written them, the record's stored relationships of the same source
(``cypher/ingest/links_drawn``) that the new version did not draw are retracted by the DEL's own
batch (:func:`graphapi.ingest.retraction.retract_relationship_batch`): the source's statements go,
a relationship no other source asserts goes, with a placeholder end no other link holds, and one
another source still asserts stays with that source's values. A pair read before the MOD (its ADD
earlier in the same file) is the old version's, as in a load of its own. A MOD whose row was
refused whole loads nothing, so it takes nothing either. A kill part-way is finished by the
batch's pending mark, or by the rerun, which finds what is left the same way.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection

from graphapi.ingest.records import EdgeRecord, Origin
from graphapi.ingest.retraction import Batch, Retractions, retract_relationship_batch
from graphapi.ontology import Model
from graphapi.store.base import GraphStore

Row = tuple[str, str, int]


class ReplacedLinks:
    """The link records a load replaced (MOD) and the pairs each new version drew, by source and type."""

    def __init__(self) -> None:
        #: (source, type, record id) -> relationship ids drawn since its MOD
        self._kept: dict[tuple[str, str, str], set[str]] = {}
        self._rows: dict[tuple[str, str, str], Row] = {}  # the row of each record's last MOD

    def __bool__(self) -> bool:
        return bool(self._kept)

    def note(self, record: EdgeRecord, source: str) -> None:
        """Follow one relationship record as the load reads it (``source``: the source it writes under)."""
        drawn_by = record.properties.get("recordId")
        if not drawn_by:
            return
        key = (source, record.type, str(drawn_by))
        if record.op != "merge":
            self.restart(record.type, str(drawn_by), source, record.origin)
        if key in self._kept and record.op != "delete":
            self._kept[key].add(record.id)

    def restart(self, rel_type: str, drawn_by: str, source: str, origin: Origin | None) -> None:
        """A MOD or DEL of link record ``drawn_by`` read at ``origin``: a new version of it starts,
        unless that row's started it already (a second MOD, or a DEL, starts again; one row's own
        pairs add up)."""
        key = (source, rel_type, drawn_by)
        row = (origin.source, origin.file, origin.line) if origin is not None else ("", "", 0)
        if self._rows.get(key) != row:
            self._kept[key], self._rows[key] = set(), row

    async def retract(self, store: GraphStore, model: Model, *, owner: str, scoped: bool, batch_size: int,
                      refused_rows: Collection[Row] = ()) -> Retractions:
        """Retract the pairs the replaced records' old versions drew and the new ones do not (see
        the module docstring), but for the records whose MOD row was refused; returns the counts."""
        out = Retractions()
        by_type: dict[tuple[str, str], list[str]] = {}
        for key in self._kept:
            if self._rows[key] not in refused_rows:  # a refused row loads nothing: its old version stands
                by_type.setdefault(key[:2], []).append(key[2])
        for (source, rel_type), records in by_type.items():
            for i in range(0, len(records), batch_size):
                params = {"records": records[i:i + batch_size], "source": source, "owner": owner, "scoped": scoped}
                stale = sorted({str(r["id"]) for r in await store.read("ingest/links_drawn", params, type=rel_type)
                                if str(r["id"]) not in self._kept[(source, rel_type, str(r["record"]))]})
                for j in range(0, len(stale), batch_size):
                    batch = Batch(uuid.uuid4().hex, rel_type, source, owner, scoped, stale[j:j + batch_size])
                    await retract_relationship_batch(store, model, out, batch, batch_size)
        self._kept.clear()
        self._rows.clear()
        return out
