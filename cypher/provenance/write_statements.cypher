// Write a batch of statements (one source's values about one node, merged by the loader:
// graphapi/ingest/statements.py). A Statement node is linked to nothing: no traversal, count or
// degree of the graph sees it; it is found by its entity id (indexed).
// mode: write
// param $rows: list[{id: str, props: map[no nulls], sharedWith: list[str]|null, follows: bool|null}] - props
//   complete but for the two that may be null (Statement.row): entity, owner, source, tlp, and the parallel
//   lists property, value, recordId, firstSeen, lastSeen
// returns: one row {id} per statement written
UNWIND $rows AS row
MERGE (s:Statement {id: row.id})
SET s += row.props
// one removal per update (FalkorDB#1787: tests/store/test_one_removal_per_update.py)
WITH s, row
SET s.sharedWith = row.sharedWith
WITH s, row
SET s.follows = row.follows
RETURN row.id AS id
