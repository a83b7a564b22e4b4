// The relationships a delta DEL's load alone asserted on the given nodes that another source's or
// owner's statement still holds (another agency's record kept apart from the link, which its
// `sources` does not show): ingest/delete_nodes keeps such a node, so the DEL first retracts
// them as a DEL of the relationship would (graphapi/ingest/retraction.py), and they are re-owned
// or held apart at that statement's level (graphapi/ingest/relevel.py; attack round 27, F2: TH-DSI's
// node and its own link stayed, emptied, seen by every agency, held by VN-MPS's AMBER statement
// on the link). "The load alone": ingest/delete_nodes's test on a link's `sources`.
// FalkorDB trap: `s STARTS WITH $source + ':'` parses as `(s STARTS WITH $source) + ':'`
// there (a type error, measured), hence the parentheses.
// mode: read
// param $ids: list[str] - Lintas node ids
// param $source: str - dataset id withdrawing its assertion
// param $owner: str - agency id the deleting load writes for
// param $scoped: bool - the source is the load's alone (see ingest/retract_nodes)
// returns: one row {id, type} per relationship
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})-[x]-()
WHERE x.owner IS NOT NULL AND x.sources IS NOT NULL
  AND any(s IN x.sources WHERE s = $source OR s STARTS WITH ($source + ':'))
  AND size([s IN x.sources WHERE NOT ((s = $source OR s STARTS WITH ($source + ':'))
    AND ($scoped OR x.owner = $owner))]) = 0
WITH DISTINCT x
MATCH (other:Statement {entity: x.id})
WHERE NOT ((other.source = $source OR other.source STARTS WITH ($source + ':')) AND ($scoped OR other.owner = $owner))
WITH DISTINCT x
RETURN x.id AS id, type(x) AS type
