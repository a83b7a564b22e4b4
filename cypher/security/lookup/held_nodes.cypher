// Which of the given node ids are held apart or another agency's placeholder, hidden from the
// viewer (graphapi/ingest/relevel.py): missing to it, so a record of its agency takes the node over
// or is refused "held by" (graphapi/ingest/held_refusals.py decides which, as the writer will, so
// the refusal takes a unit of the lookup budget as on an id held from the start).
// mode: read
// param $ids: list[str] - Lintas node ids of the records of a load
// param $agency: str|null - the loading agency (visibility)
// returns: id, labels, props {owner, tlp, sharedWith, heldApart, unresolved}: what the take-over
//   decision reads (graphapi/ingest/take_over.py), no value of the node
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})
WHERE (n.heldApart IS NOT NULL OR n.unresolved IS NOT NULL)
  AND NOT coalesce({{visible(n)}}, false)
RETURN n.id AS id, labels(n) AS labels,
  {owner: n.owner, tlp: n.tlp, sharedWith: n.sharedWith, heldApart: n.heldApart, unresolved: n.unresolved} AS props
