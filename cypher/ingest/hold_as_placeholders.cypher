// Hold nodes a DEL left with no statement and no source, kept only as the end of other agencies'
// relationships, as those relationships' placeholder: the owner, level and sources of the widest
// of them, `unresolved` as a placeholder is (graphapi/ingest/relevel.py; attack round 23, C1: the
// emptied node stayed at its old level and told every agency a relationship it could not see
// held it).
// mode: write
// param $rows: list[{id: str, owner: str, tlp: str, sharedWith: list[str]|null, sources: list[str]|null,
//   heldApart: bool|null, mark: str|null, away: bool|null, unseen: bool|null}] - what each node takes
//   (heldApart: that relationship's; mark, away, unseen: as in ingest/relevel_nodes)
// returns: one row {id} per node held
UNWIND $rows AS row
MATCH (n:Entity {id: row.id})
// another owner's item keeps none of the old owner's shares (graphapi/security/kept_shares.py)
SET n.shares = CASE WHEN n.owner = row.owner THEN n.shares END
WITH n, row
SET n.owner = row.owner, n.tlp = row.tlp, n.sharedWith = row.sharedWith, n.unresolved = true
// one removal per update (FalkorDB#1787: tests/store/test_one_removal_per_update.py)
WITH n, row
SET n.sources = row.sources
WITH n, row
SET n.heldApart = row.heldApart
// who may find it in search (graphapi/store/search_audience.py), derived again with its level
// after a WITH: FalkorDB evaluates a SET straight after another on the values from before both
// (tests/store/test_set_chains.py)
WITH n, row
SET n.searchAudience = {{search_audience(n)}}
// what a retraction batch re-owned (away from its owner, out of its sight) goes on its mark in the
// same write: killed after it, the batch's finish finds the node re-owned already and would neither
// move its statement, withdraw the source nor delete the owner's own links on it (attack round 45a, 3: the deleted
// record's phone stayed published). Rows of one write share one mark (or none).
WITH collect(row) AS done
OPTIONAL MATCH (p:PendingRetraction)
WHERE p.id IN [r IN done WHERE r.mark IS NOT NULL | r.mark]
FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END |
  SET p.reowned = coalesce(p.reowned, []) + [r IN done WHERE r.mark = p.id | r.id])
// one property per update (tests/store/test_one_removal_per_update.py)
WITH done, p
FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END |
  SET p.away = coalesce(p.away, []) + [r IN done WHERE r.mark = p.id AND r.away | r.id])
WITH done, p
FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END |
  SET p.unseen = coalesce(p.unseen, []) + [r IN done WHERE r.mark = p.id AND r.unseen | r.id])
WITH DISTINCT done
UNWIND done AS row
RETURN row.id AS id
