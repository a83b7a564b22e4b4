// Mark items pending a rebuild of their values before a whole-source replace deletes or trims
// the statements they are built from (graphapi/ingest/replacement.py): a load killed before the
// rebuild leaves the mark, and the next writer rebuilds them (graphapi/ingest/pending_retractions.py;
// attack round 23, C5). A mark with no source withdraws nothing: it only rebuilds.
// mode: write
// param $mark: str - the mark's id
// param $type: str - the relationships' type, "" for nodes
// param $ids: list[str] - Lintas node or relationship ids
// param $said: list[str] - those of $ids it says again and deletes a statement of (rebuilt even with none left)
// param $owner: str - agency id the replacing load writes for
// param $referred: list[str] - those of $ids the replace now only refers to: held as their links'
//   placeholder (or re-owned) once rebuilt, and what it re-owns kept on the mark (ingest/relevel_nodes)
//   for its finish to withdraw $referrer from (attack round a-103, 2 and 3); [] for any other
// param $referrer: str - the replacing source, "" for none
// returns: one row {id}
// seq: one past every mark standing, the order marks are finished in (attack round 43a, 2)
OPTIONAL MATCH (q:PendingRetraction)
WITH max(q.seq) AS last
MERGE (p:PendingRetraction {id: $mark})
ON CREATE SET p.seq = coalesce(last, 0) + 1
SET p.type = $type, p.source = "", p.owner = $owner, p.scoped = false, p.ids = $ids, p.said = $said,
  p.referred = $referred, p.referrer = $referrer
RETURN p.id AS id
