// Move the echo levels of relationships of one type whose echoing agency's record was kept apart
// (said to fewer agencies than read the relationship: graphapi/ingest/write_rules.py _kept_apart)
// or refused (restricted, over budget, would disclose: never wider then, echoes.refused_echo_levels):
// the relationship stays as it was, but its echo's level is that agency's latest record's, which a
// handover to that agency takes (graphapi/ingest/echoes.py; attack round 45c, 1: TH-DSI's MOD at
// RED of its GREEN echo left the echo GREEN, and KH-NP's DEL handed the link over at GREEN; 47, 2:
// the same when KH-NP had narrowed the link out of TH-DSI's sight, its MOD refused as restricted).
// Each is sought through the type's relationship index on id (see ingest/delete_relationships).
// mode: write
// param $rows: list[{id: str, echoLevels: list[str]|null}] - each relationship's echo levels now
// placeholder type: relationship
// returns: one row {id} per relationship written
UNWIND $rows AS row
MATCH ()-[r:{{type}} {id: row.id}]->()
SET r.echoLevels = row.echoLevels
// one removal per update (FalkorDB#1787: tests/store/test_one_removal_per_update.py)
WITH r, row
REMOVE r.digest
RETURN row.id AS id
