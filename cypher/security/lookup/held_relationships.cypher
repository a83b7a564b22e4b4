// Which of the given relationship ids of one type are held apart and hidden from the viewer while
// both their ends are visible to it (graphapi/ingest/relevel.py): a record of its agency takes such
// a relationship over or is refused "held by" (graphapi/ingest/held_refusals.py); one with an end
// the viewer may not see is answered as a missing end, as ingest/add_relationships does, no hit.
// mode: read
// param $ids: list[str] - relationship ids of the records of a load
// param $agency: str|null - the loading agency (visibility)
// placeholder type: relationship
// returns: id, props {owner, tlp, sharedWith, heldApart, unresolved}: what the take-over decision reads
MATCH ()-[r:{{type}}]->()
WHERE r.id IN $ids
WITH r, startNode(r) AS a, endNode(r) AS b
WHERE r.heldApart IS NOT NULL AND NOT coalesce({{visible(r)}}, false)
  AND coalesce({{visible(a)}} AND {{visible(b)}}, false)
RETURN r.id AS id,
  {owner: r.owner, tlp: r.tlp, sharedWith: r.sharedWith, heldApart: r.heldApart, unresolved: r.unresolved} AS props
