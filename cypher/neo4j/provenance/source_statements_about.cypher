// Neo4j's provenance/source_statements_about (same parameters and result; keep the two in step) with
// USING INDEX SEEK on the composite statement_entity_owner: under replan=force Neo4j once chose the
// Statement.entity index instead, and another agency's statements of the node were examined again
// (attack round a-104, 4: the repro failed in a long session, passed alone).
// mode: read
// param $rows: list[{id: str, sources: list[str]}] - Lintas node ids, each with the sources to read
// param $owner: str - agency id the load writes for
// returns: one row {id, props} per statement
UNWIND $rows AS row
MATCH (s:Statement {entity: row.id, owner: $owner})
USING INDEX SEEK s:Statement(entity, owner)
WHERE s.source IN row.sources AND s.line IS NULL
RETURN s.id AS id, properties(s) AS props
