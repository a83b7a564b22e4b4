// Keep on the load's own victims' items a victim-blind load was told created the item a wrong
// guess would have made (`blindShadow`, internal, never shown: graphapi/ingest/blind_shadow.py):
// the label and merged properties of its agency's blind records, a reload of which is told by it.
// mode: write
// param $rows: list[{id: str, shadow: str}] - node id, its shadow as JSON
// returns: one row {id} per node found
UNWIND $rows AS row
MATCH (n:Entity {id: row.id})
SET n.blindShadow = row.shadow
RETURN n.id AS id
