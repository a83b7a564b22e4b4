// Set the level (tlp, sharedWith) of nodes an owner's record widened, once their fields hold only
// what the new level may show: the last write of the widening, so a load killed before it leaves
// the node seen as before (graphapi/ingest/write_nodes.py).
// mode: write
// param $rows: list[{id: str, tlp: str, sharedWith: list[str]|null}] - the level each node takes
// returns: one row {id} per node set
UNWIND $rows AS row
MATCH (n:Entity {id: row.id})
SET n.tlp = row.tlp, n.sharedWith = row.sharedWith
// who may find it in search (graphapi/store/search_audience.py), derived again with its level
// after a WITH: FalkorDB evaluates a SET straight after another on the values from before both
// (tests/store/test_set_chains.py)
WITH n, row
SET n.searchAudience = {{search_audience(n)}}
RETURN row.id AS id
