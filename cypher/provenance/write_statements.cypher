// Write a batch of statements (one source's values about one node, merged by the loader:
// graphapi/ingest/statements.py). A Statement node is linked to nothing: no traversal, count or
// degree of the graph sees it; it is found by its entity id (indexed).
// mode: write
// A statement's props hold no null (Statement.row: sharedWith [] and follows false where they say
// nothing), so its write removes no property: FalkorDB#1787 (docs/architecture.md, one removal
// per update) without the extra updates a removal would need.
// param $rows: list[{id: str, props: map[no nulls]}] - props complete (Statement.row): entity, owner,
//   source, tlp, sharedWith, follows, digest, and the parallel lists property, value, recordId,
//   firstSeen, lastSeen
// returns: one row {id} per statement written
UNWIND $rows AS row
MERGE (s:Statement {id: row.id})
SET s += row.props
RETURN row.id AS id
