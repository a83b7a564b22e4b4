// Delete the relationships a delta DEL's load alone asserted on nodes the DEL re-owned out of its
// owner's sight (graphapi/ingest/relevel.py): they go as they would have gone with the node
// (ingest/delete_nodes's test: no source but the load's own, no statement of another), so the
// DEL reads to its owner, summary included, as when no narrower statement held the node
// (attack round 23, C1).
// FalkorDB trap: `s STARTS WITH $source + ':'` parses as `(s STARTS WITH $source) + ':'`
// there (a type error, measured), hence the parentheses.
// mode: write
// param $ids: list[str] - Lintas node ids (re-owned out of $owner's sight)
// param $source: str - dataset id withdrawing its assertion
// param $owner: str - agency id the deleting load writes for
// param $scoped: bool - the source is the load's alone (see ingest/retract_nodes)
// param $mark: str - the DEL batch's pending mark (provenance/retract_statements), where what this
//   deletes is kept with what ingest/delete_nodes deleted: run again it deletes nothing, and the
//   follow-ups still need it (attack round 37, 5)
// returns: one row {links, ends}: on the mark, every relationship deleted under it (their statements the
//   loader deletes next) and their ends' ids (where a placeholder left with no link goes next; read
//   before the delete, as Neo4j refuses a deleted relationship's ends)
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})-[x]-()
WHERE x.owner IS NOT NULL AND x.sources IS NOT NULL
  AND size([s IN x.sources WHERE NOT ((s = $source OR s STARTS WITH ($source + ':'))
    AND ($scoped OR x.owner = $owner))]) = 0
WITH DISTINCT x
OPTIONAL MATCH (other:Statement {entity: x.id})
WHERE NOT ((other.source = $source OR other.source STARTS WITH ($source + ':')) AND ($scoped OR other.owner = $owner))
WITH x, x.id AS xid, [startNode(x).id, endNode(x).id] AS ends, count(other) AS foreign
WHERE foreign = 0
DELETE x
// appended flat (a reduce() of the lists copies them over and over): a run deletes only what is left
WITH xid, ends
UNWIND ends AS end
WITH collect(DISTINCT xid) AS links, collect(end) AS ends
MATCH (p:PendingRetraction {id: $mark})
SET p.links = coalesce(p.links, []) + links, p.ends = coalesce(p.ends, []) + ends
RETURN p.links AS links, p.ends AS ends
