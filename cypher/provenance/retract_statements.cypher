// Delete a source's statements (and its "<source>:<dataset>" ones) about the given items: a
// delta DEL or a source's retraction withdraws exactly what that source said, nothing another
// source or owner asserted. The same statement marks the batch pending (a PendingRetraction
// node: the batch and the items whose statements went), so a load killed before it rebuilt them
// leaves a mark the next writer finishes (graphapi/ingest/pending_retractions.py; attack round
// 23, C5: values no statement backed stayed published). Run again with the same $mark (the
// finish), it adds what it deleted to the same mark.
// FalkorDB trap: `s STARTS WITH $source + ':'` parses as `(s STARTS WITH $source) + ':'`
// there (a type error, measured), hence the parentheses.
// mode: write
// param $mark: str - the pending mark's id (one per batch)
// param $type: str - the relationships' type, "" for nodes
// param $ids: list[str] - Lintas node or relationship ids
// param $made: list[str] - the identifier nodes the batch's records made of their values, withdrawn
//   once it is done (graphapi/ingest/retraction.py, withdraw_made): kept on the mark, as a kill
//   after their links went leaves nothing else to find them by
// param $source: str - dataset id withdrawing its assertions
// param $owner: str - agency id the retracting load writes for
// param $scoped: bool - the source is the load's alone ("<name>@<owner>", as every
//   agency's and lintas load ofac|ftm|csv's): its
//   statements are withdrawn whoever they were written for; false: only those of $owner
// returns: one row {said: list[str]}: the item id of each statement deleted under $mark, by this run
//   and any earlier one (an item once per statement): run again (a lost reply, the finish after a
//   kill) it answers what the first run deleted too (attack round 37, 5)
// a new mark's seq is one past every mark standing: marks are finished in the order they were
// made (writers take turns under the write lease), not by their random ids (attack round 43a, 2)
OPTIONAL MATCH (q:PendingRetraction)
WITH max(q.seq) AS last
MERGE (p:PendingRetraction {id: $mark})
ON CREATE SET p.type = $type, p.source = $source, p.owner = $owner, p.scoped = $scoped, p.ids = $ids,
  p.said = [], p.made = $made, p.seq = coalesce(last, 0) + 1
WITH p
UNWIND $ids AS nid
MATCH (s:Statement {entity: nid})
WHERE (s.source = $source OR s.source STARTS WITH ($source + ':')) AND ($scoped OR s.owner = $owner)
DELETE s
// no grouping key: one row even when none went, so the mark's list is always answered
WITH collect(nid) AS said
MATCH (p:PendingRetraction {id: $mark})
SET p.said = p.said + said
RETURN p.said AS said
