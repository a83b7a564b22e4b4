// Neo4j's ingest/relationship_digests (same parameters, placeholder and result; keep the two in
// step): USING INDEX SEEK, as ingest/add_relationships says why (stale statistics scanned the index).
// mode: read
// param $rows: list[{id: str, digest: str}] - as the shared statement
// placeholder type: relationship
// returns: one row {differ}, as the shared statement
UNWIND $rows AS row
OPTIONAL MATCH ()-[r:{{type}} {id: row.id}]->()
USING INDEX SEEK r:{{type}}(id)
RETURN collect(CASE WHEN r IS NULL OR r.digest IS NULL OR r.digest <> row.digest THEN row.id END) AS differ
