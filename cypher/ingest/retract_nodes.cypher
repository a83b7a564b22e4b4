// Withdraw a delta DEL's source, and its dataset sources ("<source>:<dataset>"), from nodes that
// stay (ingest/delete_nodes did not delete them: another source or owner asserts them, or
// something another asserted hangs off them).
// FalkorDB trap: `s STARTS WITH $source + ':'` parses as `(s STARTS WITH $source) + ':'`
// there (a type error, measured), hence the parentheses.
// mode: write
// param $ids: list[str] - Lintas node ids
// param $source: str - dataset id withdrawing its assertion
// param $owner: str - agency id the deleting load writes for
// param $scoped: bool - the source is the load's alone (a load run for an agency, and any
//   lintas load ofac|ftm|csv, writes under its owner's own source, e.g. "ftm@TH-DSI"): withdrawn
//   from any node; false (the gazetteers' or samples' load, whose source name another owner may
//   also use): only from nodes of $owner
// param $reowned: list[str]|null - items this retraction has just re-owned from $owner
//   (graphapi/ingest/relevel.py): still withdrawn from as $owner's
// returns: one row {id} per node the source was withdrawn from
// A plain source is withdrawn from another owner's node too once no statement names it: its DEL
// took this owner's, and a name no statement names read as a source written before the model,
// left in `sources` for the node's readers (attack round a-112, 4). (After the start's adoption
// every value has a statement, so a name none names holds no value.) Only statements every reader
// of the node sees count (those feeding its fields, as `sources` keeps them): one kept apart on it
// (a third agency's RED record under that name) kept the name in `sources`, and the node's readers
// learnt it was there (attack round a-114, 1).
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})
WHERE $source IN n.sources
OPTIONAL MATCH (st:Statement {entity: nid})
WHERE (st.source = $source OR st.source STARTS WITH ($source + ':'))
  AND ({{visible(st, null)}}
       OR (NOT coalesce(n.tlp IN ['CLEAR', 'GREEN'], false)
           AND all(a IN [n.owner] + CASE WHEN n.tlp = 'AMBER' THEN coalesce(n.sharedWith, []) ELSE [] END
                   WHERE {{visible(st, a)}})))
WITH n, nid, count(st) AS naming
WHERE $scoped OR n.owner = $owner OR nid IN coalesce($reowned, []) OR naming = 0
SET n.sources = [s IN n.sources WHERE s <> $source AND NOT (s STARTS WITH ($source + ':'))]
RETURN nid AS id
