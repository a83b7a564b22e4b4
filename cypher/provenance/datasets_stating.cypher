// The sources of a load's source ("<source>" and its "<source>:<dataset>" sources) each given node
// names in its `sources`: where a statement of the source about the node may be, so the keyed
// line DEL (graphapi/ingest/keyed_line_deletes.py) reads those statements by their ids, the other
// datasets' too (attack round a-94, 2), never a scan of the node's statements. One row per node.
// FalkorDB trap: `s STARTS WITH $source + ':'` parses as `(s STARTS WITH $source) + ':'`
// there, hence the parentheses.
// mode: read
// param $ids: list[str] - Lintas node ids
// param $source: str - dataset id
// returns: one row {id, sources} per node found
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})
RETURN n.id AS id, [x IN coalesce(n.sources, []) WHERE x = $source OR x STARTS WITH ($source + ':')] AS sources
