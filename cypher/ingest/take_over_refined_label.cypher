// Give nodes a record of a more specific label takes over (a held-apart Organization, or another
// agency's Organization placeholder, and a Company record) the record's label chain: the node is
// made anew under the record's label, as on an id nobody loaded. It loses no label, so
// ingest/take_over_label (which takes one off) has nothing to do; the update written after it
// sets no label (attack round 31: the Company record read as an Organization).
// mode: write
// param $rows: list[{id: str}] - the nodes taken over
// placeholder labels: labels
// returns: one row {id} per node relabelled
UNWIND $rows AS row
MATCH (n:Entity {id: row.id})
SET n:{{labels}}
RETURN row.id AS id
