"""A victim-blind load's links to its own victims' quarantined identifiers (attack round a-60, 1d).

The circuit breaker holds for them as for any link: a new link to a quarantined identifier is not
written but kept as text on its holder (:mod:`graphapi.ingest.write_correlation`). But the load may
not be told the identifier is quarantined, nor that it exists (:mod:`graphapi.ingest.blind_values`):
a right guess of a victim's quarantined phone would be told diverted, a wrong one's new phone
linked. So such a diverted link is told as a wrong guess's link would be: created the first time
its source says it, unchanged and seen after (the text its holder holds from that source before
the load), with no warning line and no quarantine counted; and the text kept on the holder tells
the load nothing: its node and statement counts are as they were before it was written.
"""

from __future__ import annotations

from typing import Any


async def tell_diverted(writer: Any, diverted: list[dict[str, Any]], recs: dict[str, Any]) -> None:
    """Count the blind links ``diverted`` (rows ``{id, holder, text}``) as a wrong guess's link
    would be counted: created, or, its holder holding the text from the link's source before the
    load, unchanged and seen."""
    holders = sorted({d["holder"] for d in diverted})
    stored = {str(r["id"]): r["props"] or {}
              for r in await writer.store.read("ingest/existing_nodes", {"ids": holders})}
    for d in diverted:
        rec = recs[d["id"]]
        source = rec.origin.source if rec.origin else writer.source
        held = stored.get(d["holder"], {})
        said = d["text"] in (held.get("identifiers") or ()) and source in (held.get("sources") or ())
        if said:
            writer._unchanged_edges.add(d["id"])
            writer._seen_edges.add(d["id"])
        elif d["id"] not in writer._created_edges:
            writer._created_edges.add(d["id"])
            writer.counts.relationships_created += 1


async def write_untold(writer: Any, texts: list[Any]) -> None:
    """Write the text records ``texts`` of blind diverted links on their holders, telling the load
    nothing of them: its node and statement counts are restored after."""
    c = writer.counts
    kept = (c.statements_written, c.statements_seen, set(writer._read_nodes), set(writer._updated_nodes),
            set(writer._seen_nodes))
    for rec in texts:
        await writer._add_node(rec)
    await writer.flush_nodes()
    c.statements_written, c.statements_seen = kept[0], kept[1]
    writer._read_nodes, writer._updated_nodes, writer._seen_nodes = kept[2], kept[3], kept[4]
