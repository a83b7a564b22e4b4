// Withdraw a replacing source, and its "<source>:<dataset>" entries, from nodes it now only refers
// to that other statements hold, where no statement left carries it (graphapi/ingest/replacement.py,
// _withdraw_from_stated). Left in their `sources`, it held their values as if written before the
// statement model: VN-MPS's DEL of its record of a p-1 KH-NP's replace re-owned to it left p-1
// VN-MPS's, named, with no statement (attack round a-95, 4). A statement of the same source name
// left (a plain source another agency also loads from, "shared") keeps it there: that agency's
// node still comes from it (attack round a-98, 5). A placeholder (`unresolved`) and a node with no
// statement at all (written before the statement model) keep theirs.
// mode: write
// param $ids: list[str] - Lintas node ids the replace only refers to
// param $source: str - the replacing load's source
// returns: one row {id} per node the source was withdrawn from
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})
WHERE any(s IN coalesce(n.sources, []) WHERE s = $source OR s STARTS WITH ($source + ':'))
  AND NOT coalesce(n.unresolved, false)
OPTIONAL MATCH (said:Statement {entity: nid})
WITH n, nid, collect(said.source) AS sources
WHERE size(sources) > 0 AND none(s IN sources WHERE s = $source OR s STARTS WITH ($source + ':'))
SET n.sources = [s IN n.sources WHERE s <> $source AND NOT (s STARTS WITH ($source + ':'))]
RETURN nid AS id
