// The victim-marking links (INVOLVED_IN, HELD_AT: graphapi/ingest/victim_marks.py) into the given
// nodes that a source states, for a victim-blind DEL of them (graphapi/ingest/blind_kept_ends.py):
// a node one of them marks a victim on through that source's statement stays with it (attack
// round a-90, 9: a blind DEL of a case a colleague entered under the shared feed took her victim
// link with it). Its cost grows with the node's links of these two types, as ingest/delete_nodes'
// own look at the node's links does.
// FalkorDB trap: `s STARTS WITH $source + ':'` parses as `(s STARTS WITH $source) + ':'`
// there (a type error, measured), hence the parentheses.
// mode: read
// param $ids: list[str] - Lintas node ids (the DEL's)
// param $source: str - the DEL's source
// returns: rows {id, type, stated}: stated always true (ingest/source_relationship_ids' shape)
UNWIND $ids AS nid
MATCH (:Entity {id: nid})<-[r:INVOLVED_IN|HELD_AT]-()
WHERE any(s IN r.sources WHERE s = $source OR s STARTS WITH ($source + ':'))
RETURN DISTINCT r.id AS id, type(r) AS type, true AS stated
