// The acting agency's statements that follow their items (graphapi/ingest/statements.py) take
// the items' sharing after a share or unshare: the same level and agencies, whatever they had
// (so a share cut short and run again ends the same). Statements that keep the level they were
// said at (the owner's records meant for fewer agencies, other agencies') are left as they are.
// Their digest goes (Statement.digest: it hashed the old level), so a reload compares them whole:
// REMOVE, not SET ... = null: FalkorDB 4.x, given two nulls in one SET, removed another property
// (here follows) and kept the digest.
// mode: write
// param $rows: list[{id: str, tlp: str|null, sharedWith: list[str]|null}] - the items shared or unshared, as they now are
// param $agency: str - the acting agency; only its statements change
// returns: id of each statement changed
UNWIND $rows AS row
MATCH (s:Statement {entity: row.id})
WHERE s.owner = $agency AND s.follows = true
SET s.tlp = row.tlp, s.sharedWith = row.sharedWith
REMOVE s.digest
RETURN s.id AS id
