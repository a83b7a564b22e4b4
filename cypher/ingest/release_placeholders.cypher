// Release placeholders no link holds any more to the narrower record kept apart on them: a DEL
// took the last link of the agency whose reference made the placeholder, and another agency's
// record (its statement, kept apart at its own level) is all that still asserts the node. It
// takes that statement's owner and level, as ingest/relevel_nodes does, and is a placeholder no
// more: its values are rebuilt from the statement (graphapi/ingest/placeholder_release.py;
// attack round 33, 2: KH-NP's RED person was refused on every load while TH-DSI's link held
// p-1). Its sources go with the bare reference's; the rebuild writes the statement's.
// The same write marks the released nodes pending (a PendingRetraction with release true): the
// node is no placeholder after it, so a load killed before the relabel, the statement's move and
// the rebuild leaves a mark, and the next writer finishes them (graphapi/ingest/pending_retractions.py).
// mode: write
// param $rows: list[{id: str, owner: str, tlp: str, sharedWith: list[str]|null, heldApart: bool|null}] - the owner
//   and level each node takes; heldApart true when the placeholder's owner may not read that statement
// param $mark: str - the pending mark's id
// param $owner: str - agency id of the load whose DEL released them
// returns: one row {id} per placeholder released under $mark (so the same rows when run again)
UNWIND $rows AS row
MATCH (n:Entity {id: row.id})
WHERE n.unresolved = true
// another owner's item keeps none of the old owner's shares (graphapi/security/kept_shares.py)
SET n.shares = CASE WHEN n.owner = row.owner THEN n.shares END
WITH n, row
SET n.owner = row.owner, n.tlp = row.tlp, n.sharedWith = row.sharedWith
// one removal per update (FalkorDB#1787: tests/store/test_one_removal_per_update.py)
WITH n, row
SET n.heldApart = row.heldApart
WITH n, row
REMOVE n.sources
WITH n, row
REMOVE n.unresolved
// who may find it in search (graphapi/store/search_audience.py), derived again with its level
// after a WITH: FalkorDB evaluates a SET straight after another on the values from before both
// (tests/store/test_set_chains.py)
WITH n, row
SET n.searchAudience = {{search_audience(n)}}
WITH collect(row.id) AS ids
// seq: one past every mark standing, the order marks are finished in (attack round 43a, 2)
OPTIONAL MATCH (q:PendingRetraction)
WITH ids, max(q.seq) AS last
MERGE (p:PendingRetraction {id: $mark})
ON CREATE SET p.type = "", p.source = "", p.owner = $owner, p.scoped = false, p.ids = [], p.said = [],
  p.release = true, p.seq = coalesce(last, 0) + 1
// added to, and answered from, the mark: run again (a lost reply) it finds them placeholders no more,
// and answered none while it emptied the mark (attack round 37, 5)
WITH p, ids
SET p.ids = p.ids + [x IN ids WHERE NOT x IN p.ids]
WITH p
UNWIND p.ids AS id
RETURN id
