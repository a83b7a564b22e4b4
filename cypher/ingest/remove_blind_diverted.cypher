// Take entries out of holders' `blindDiverted` (graphapi/ingest/blind_diverted.py): their links
// withdrawn by their source (a DEL naming them, a replace no longer stating them). An emptied
// list is removed.
// mode: write
// param $rows: list[{id: str, entries: list[str]}] - holder id, the entries to take out
// returns: one row {id} per holder found
UNWIND $rows AS row
MATCH (n:Entity {id: row.id})
WITH n, [e IN coalesce(n.blindDiverted, []) WHERE NOT e IN row.entries] AS kept
SET n.blindDiverted = CASE WHEN size(kept) = 0 THEN null ELSE kept END
RETURN n.id AS id
