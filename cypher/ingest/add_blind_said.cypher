// Mark the load's own victims' items that a victim-blind load was told created (its source had not
// said them: graphapi/ingest/blind_values.py) with the record's agency in `blindSaid` (internal,
// never shown): a reload of the same guess is then told as a wrong guess's reload is (unchanged),
// where the record was kept apart, refused, or only referred to the item, none of which adds the
// source to the item's own `sources`. An item such a load was told of as what it is, before it is
// a victim's (`known`), is marked in `blindKnown` too.
// mode: write
// param $rows: list[{id: str, sources: list[str], known: bool}] - the agencies its sources speak for, and whether the load was told of the item as what it is
// returns: one row {id} per node marked
UNWIND $rows AS row
MATCH (n:Entity {id: row.id})
SET n.blindSaid = coalesce(n.blindSaid, []) + [s IN row.sources WHERE NOT s IN coalesce(n.blindSaid, [])],
    n.blindKnown = CASE WHEN row.known
                        THEN coalesce(n.blindKnown, []) + [s IN row.sources WHERE NOT s IN coalesce(n.blindKnown, [])]
                        ELSE n.blindKnown END
RETURN row.id AS id
