// Share entities with other agencies: add them to sharedWith and optionally open them up to a
// TLP level (never stricter), on the nodes the acting agency OWNS only (others are left
// untouched and not returned).
// mode: write
// param $ids: list[str] - Lintas node ids to share
// param $agencies: list[str] - agency ids to add to sharedWith
// param $tlp: str|null - TLP 2.0 level to open to, null = keep every level
// param $stricter: list[str] - the levels stricter than $tlp (relaxed to it; missing tlp counts as RED)
// param $agency: str - the acting agency; only nodes with owner = $agency change
// returns: id, tlp, sharedWith (after the change: the owner's statements that follow the node
//   take them, security/follow_sharing), was (the level before: a level relaxed opens the node to
//   every agency of its sharedWith, not only those of $agencies); shares (graphapi/security/kept_shares.py) keeps what it gave
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})
WHERE n.owner = $agency
WITH n, coalesce(n.tlp, 'RED') AS was
SET n.sharedWith = [x IN coalesce(n.sharedWith, []) WHERE NOT x IN $agencies] + $agencies,
    n.tlp = CASE WHEN coalesce(n.tlp, 'RED') IN $stricter THEN $tlp ELSE n.tlp END
// who may find it in search (graphapi/store/search_audience.py), derived again with its level
// after a WITH: FalkorDB evaluates a SET straight after another on the values from before both
// (tests/store/test_set_chains.py)
WITH n, was
SET n.searchAudience = {{search_audience(n)}}
// what the share gave, kept for the owner's loads, which never take it back: one entry
// '<agency>|<level>' per agency, the share's tlp as named (a share at RED kept as AMBER reopened
// the owner's RED record: attack round 43b, 3), else AMBER where the agency now reads the item,
// else none (graphapi/security/kept_shares.py; attack round 42a, 4)
WITH n, was, [x IN $agencies | x + '|' + CASE WHEN $tlp IS NOT NULL THEN $tlp
  WHEN n.tlp IN ['CLEAR', 'GREEN', 'AMBER'] THEN 'AMBER' ELSE '' END] AS gave
SET n.shares = [x IN coalesce(n.shares, []) WHERE NOT x IN gave] + gave
RETURN n.id AS id, n.tlp AS tlp, n.sharedWith AS sharedWith, was
