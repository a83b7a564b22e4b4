// Delete relationships of one type that a delta DEL's load alone asserted: owned by the load's
// owner and asserted by no source but the load's own (and its "<source>:<dataset>" sources).
// A relationship some other source still has a statement about (another agency's AMBER
// assertion, which `sources` does not show; provenance/retract_statements has deleted the load's
// own first) stays too: a relationship disappears only when no statement remains. One left with no
// source at all (its owner's source withdrawn while another agency's statement kept it) goes with
// the last statement, whoever's DEL retracts it.
// Each is sought through the type's relationship index on id (init_schema; FalkorDB seeks it
// only for the inline map, not for `WHERE r.id = rid`).
// The others stay: ingest/retract_relationships withdraws the source from them.
// FalkorDB trap: `s STARTS WITH $source + ':'` parses as `(s STARTS WITH $source) + ':'`
// there (a type error, measured), hence the parentheses.
// mode: write
// param $ids: list[str] - Lintas relationship ids
// param $source: str - dataset id withdrawing its assertion
// param $owner: str - agency id the deleting load writes for
// placeholder type: relationship
// returns: one row {id} per relationship deleted
UNWIND $ids AS rid
MATCH ()-[r:{{type}} {id: rid}]->()
WHERE ((r.owner = $owner AND $source IN r.sources
      AND size([s IN r.sources WHERE s <> $source AND NOT (s STARTS WITH ($source + ':'))]) = 0)
    OR size(coalesce(r.sources, [])) = 0)
OPTIONAL MATCH (said:Statement {entity: rid})
WITH r, rid, count(said) AS statements
WHERE statements = 0
DELETE r
RETURN rid AS id
