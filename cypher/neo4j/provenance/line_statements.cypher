// Neo4j's provenance/line_statements (same parameters and result; keep the two in step) with
// USING INDEX SEEK: Neo4j planned a NodeIndexScan of a Statement index for each line instead of
// seeking the line index (the plan test's CI and runs of int57 under load), as it once did for
// security/owned_relationships_from.
// mode: read
// param $lines: list[str] - the lines (FtM ids) of the source
// param $source: str - dataset id
// param $owner: str - agency id the load writes for
// param $scoped: bool - the source is the load's alone (see provenance/retract_statements)
// returns: one row {entity, type, line} per item and line: type "" for a node
UNWIND $lines AS line
MATCH (s:Statement {line: line})
USING INDEX SEEK s:Statement(line)
WHERE (s.source = $source OR s.source STARTS WITH ($source + ':')) AND ($scoped OR s.owner = $owner)
RETURN DISTINCT s.entity AS entity, coalesce(s.type, '') AS type, line
