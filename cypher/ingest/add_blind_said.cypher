// Mark the load's own victims' items that a victim-blind load was told created (its source had not
// said them: graphapi/ingest/blind_values.py) with the record's sources in `blindSaid` (internal,
// never shown): a reload of the same guess is then told as a wrong guess's reload is (unchanged),
// where the record was kept apart, refused, or only referred to the item, none of which adds the
// source to the item's own `sources`.
// mode: write
// param $rows: list[{id: str, sources: list[str]}] - the record's sources
// returns: one row {id} per node marked
UNWIND $rows AS row
MATCH (n:Entity {id: row.id})
SET n.blindSaid = coalesce(n.blindSaid, []) + [s IN row.sources WHERE NOT s IN coalesce(n.blindSaid, [])]
RETURN row.id AS id
