// Delete every statement about the given items: relationships a DEL deleted with their node
// (ingest/delete_nodes), whose statements would otherwise outlive them.
// mode: write
// param $ids: list[str] - Lintas relationship (or node) ids that no longer exist
// returns: one row {id} per statement deleted (id: the item's)
UNWIND $ids AS eid
MATCH (s:Statement {entity: eid})
DELETE s
RETURN eid AS id
