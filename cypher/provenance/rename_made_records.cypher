// An identifier node a record made of its values (ingest/values_made) that another record of the
// same source still links to, after the first record's DEL or MOD took its link: its statement's
// entries that named the gone record name a record still linking to it (the least of their
// recordIds), so the node stays one made of its links' records, and goes with the last of them
// (else it outlived the second holder's DEL: attack round 33, 3). Its digest goes with the old
// recordIds it hashed, so a later replace compares it whole and renames it again (attack round 34, 1).
// FalkorDB trap: `s STARTS WITH $source + ':'` parses as `(s STARTS WITH $source) + ':'`
// there (a type error, measured), hence the parentheses.
// mode: write
// param $ids: list[str] - Lintas node ids
// param $types: list[str] - the relationship types a record makes of its values
// param $source: str - dataset id withdrawing its assertion
// param $owner: str - agency id the load writes for
// param $scoped: bool - the source is the load's alone (see ingest/retract_nodes)
// returns: one row {id} per statement renamed
UNWIND $ids AS nid
MATCH (m:Entity {id: nid})
MATCH (st:Statement {entity: nid})
WHERE (st.source = $source OR st.source STARTS WITH ($source + ':')) AND ($scoped OR st.owner = $owner)
OPTIONAL MATCH (m)<-[l]-()
WHERE type(l) IN $types AND any(s IN coalesce(l.sources, []) WHERE s = $source OR s STARTS WITH ($source + ':'))
  AND ($scoped OR l.owner = $owner)
WITH st, collect(l.recordId) AS linked
// FalkorDB: an aggregate's alias is read in a list predicate only after a WITH of its own (measured)
WITH st, linked
WHERE size(linked) > 0 AND any(x IN st.recordId WHERE NOT x IN linked)
WITH st, linked, reduce(least = linked[0], x IN linked | CASE WHEN x < least THEN x ELSE least END) AS first
SET st.recordId = [x IN st.recordId | CASE WHEN x IN linked THEN x ELSE first END]
// FalkorDB trap: one removal per update (docs/architecture.md)
WITH st
REMOVE st.digest
RETURN st.id AS id
