// Add a record's sources to stored nodes that already hold each of its other values
// (ingest/node_probe said sources_only): the provenance merge of such a record changes the
// node's sources alone, appended in order after the stored ones.
// mode: write
// param $rows: list[{id: str, sources: list[str]}] - the record's sources
// returns: one row {id} per node written
UNWIND $rows AS row
MATCH (n:Entity {id: row.id})
SET n.sources = coalesce(n.sources, []) + [s IN row.sources WHERE NOT s IN coalesce(n.sources, [])]
RETURN row.id AS id
