// Delete the placeholders a delta DEL left with no relationship: an `unresolved` node (a bare
// reference, no value, no statement) exists only as the end of links, so once the DEL deleted its
// last one it goes, as the end of a link to an id nobody loaded was never written. Else one held for
// KH-NP's link after TH-DSI deleted its own record (ingest/hold_as_placeholders) outlived the link,
// and what KH-NP's DEL left depended on another agency's past record (attack round 31b). Only one
// nothing but the load's source asserts (the rule of ingest/delete_nodes): another source's
// placeholder is that source's to withdraw.
// mode: write
// param $ids: list[str] - the ends of the relationships the DEL just deleted
// param $source: str - dataset id withdrawing its assertion
// param $owner: str - agency id the deleting load writes for
// param $scoped: bool - the source is the load's alone (see ingest/retract_nodes)
// returns: one row {id} per placeholder deleted
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})
WHERE n.unresolved = true
  AND size([s IN coalesce(n.sources, []) WHERE NOT ((s = $source OR s STARTS WITH ($source + ':'))
    AND ($scoped OR n.owner = $owner))]) = 0
  AND NOT (n)--()
OPTIONAL MATCH (said:Statement {entity: nid})
WITH n, nid, count(said) AS statements
WHERE statements = 0
DELETE n
RETURN nid AS id
