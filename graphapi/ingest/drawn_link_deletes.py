"""A delta DEL of a link entity named by its id alone (a-51b, F4): ``{"op": "DEL", "entity": {"id":
"own-1", "schema": "Ownership"}}``, as delta feeds write a DEL, was rejected ("Ownership without
owner/asset") and the relationship and its source's statements stayed.

A link entity (Ownership, Payment, Membership, ..., Sanction, Call, Trip) is the relationships it
draws, each naming the entity's id as its ``recordId`` (:mod:`graphapi.ingest.readers.ftm_links`),
and a DEL of it takes every pair it drew, whatever its values (:mod:`graphapi.ingest.replaced_links`).
So the FtM reader reads such a DEL as a :class:`~graphapi.ingest.records.DrawnLinksDeletion`, and
:class:`DrawnLinkDeletes` keeps them, by type and source, until the writer applies the load's DELs
(:meth:`graphapi.ingest.writer.Writer._apply_deletes`): what the load read before them written,
they become the relationship ids the entities drew for the source (``cypher/ingest/links_drawn``,
the lookup a MOD uses), and those go as the DEL naming the parties would take them: the same
retraction batches, counts, echoes and placeholders (:mod:`graphapi.ingest.retraction`). A link
of the load still waiting for an end goes with them. An id the source never drew finds nothing:
the line is loaded and nothing changes, as for a DEL of an unknown id.
"""

from __future__ import annotations

from collections.abc import Iterable

from graphapi.ingest.records import EdgeRecord
from graphapi.store.base import GraphStore


class DrawnLinkDeletes:
    """The link entities a load deleted by id alone, not yet applied, by (type, source)."""

    def __init__(self) -> None:
        self._records: dict[tuple[str, str], dict[str, None]] = {}  # (type, source) -> entity ids

    def __bool__(self) -> bool:
        return bool(self._records)

    def add(self, rel_type: str, source: str, record: str) -> None:
        self._records.setdefault((rel_type, source), {})[record] = None

    def pending(self) -> list[dict[str, None]]:
        """The entity ids waiting, one dict per (type, source) (what a later link waits for)."""
        return list(self._records.values())

    async def take(self, store: GraphStore, waiting: Iterable[tuple[str, EdgeRecord]], *, owner: str, scoped: bool,
                   batch_size: int) -> dict[tuple[str, str], list[str]]:
        """The relationship ids, by (type, source), that the entities waiting drew for their source
        (for ``owner`` unless ``scoped``, as a DEL finds them), stored or among ``waiting`` (the
        load's links still waiting for an end, each with its source); forgets them."""
        out: dict[tuple[str, str], list[str]] = {}
        taken, self._records = self._records, {}
        for (rel_type, source), records in taken.items():
            ids = out.setdefault((rel_type, source), [])
            listed = list(records)
            for i in range(0, len(listed), batch_size):
                params = {"records": listed[i:i + batch_size], "source": source, "owner": owner, "scoped": scoped}
                ids += sorted({str(r["id"]) for r in await store.read("ingest/links_drawn", params, type=rel_type)})
        for source, rec in waiting:
            if (rec.type, source) in taken and str(rec.properties.get("recordId")) in taken[(rec.type, source)]:
                out[(rec.type, source)].append(rec.id)
        return out
