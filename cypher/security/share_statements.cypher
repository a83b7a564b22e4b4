// The acting agency's own statements (per-value provenance) about the nodes it shared open up
// with them, to the same agencies and level: the node's fields, rebuilt from the statements seen
// at least as widely as the node (graphapi/ingest/statement_store.py), keep the owner's values,
// while another agency's statements keep the audience that agency gave them.
// mode: write
// param $ids: list[str] - ids of the nodes shared (owned by $agency)
// param $agencies: list[str] - agency ids to add to sharedWith
// param $tlp: str|null - TLP 2.0 level to open to, null = keep every level
// param $stricter: list[str] - the levels stricter than $tlp (relaxed to it; missing tlp counts as RED)
// param $agency: str - the acting agency; only its statements change
// returns: id of each statement changed
UNWIND $ids AS nid
MATCH (s:Statement {entity: nid})
WHERE s.owner = $agency
SET s.sharedWith = [x IN coalesce(s.sharedWith, []) WHERE NOT x IN $agencies] + $agencies,
    s.tlp = CASE WHEN coalesce(s.tlp, 'RED') IN $stricter THEN $tlp ELSE s.tlp END
RETURN s.id AS id
