// Neo4j's ingest/quarantined_links (same parameters, placeholders and result; keep the two in step)
// with USING INDEX SEEK on the id: with the index's statistics stale (created empty, then a load)
// Neo4j's planner scanned the whole index for each id instead of seeking it.
// mode: read
// param $rows: list[{id: str, ident: str, holder: str}] - relationship id, its identifier
//   endpoint and the entity it would link to it
// param $agency: str - the loading agency: an identifier quarantined for it (the fragment quarantined)
// placeholder type: relationship
// returns: one row {ids}: the relationship ids whose identifier is quarantined and that are not
//   stored yet (one collected row: see add_relationships on FalkorDB and filtered streams)
UNWIND $rows AS row
MATCH (i:Entity {id: row.ident})
WHERE {{quarantined(i)}}
OPTIONAL MATCH ()-[r:{{type}} {id: row.id}]->()
USING INDEX SEEK r:{{type}}(id)
WHERE (startNode(r) = i AND endNode(r).id = row.holder) OR (endNode(r) = i AND startNode(r).id = row.holder)
RETURN collect(CASE WHEN r IS NULL THEN row.id END) AS ids
