// Keep a victim-blind load's links to its own victims' quarantined identifiers, not written (the
// circuit breaker), in their holders' internal `blindDiverted` (graphapi/ingest/blind_diverted.py):
// one entry per link and source, never shown; what the load was told of the link rests on it.
// mode: write
// param $rows: list[{id: str, entries: list[str]}] - holder id, its entries ([source, link id, text] as JSON)
// returns: one row {id} per holder found
UNWIND $rows AS row
MATCH (n:Entity {id: row.id})
SET n.blindDiverted = coalesce(n.blindDiverted, []) + [e IN row.entries WHERE NOT e IN coalesce(n.blindDiverted, [])]
RETURN row.id AS id
