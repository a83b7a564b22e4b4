// The new links a batch would add to identifiers quarantined for the loading agency (the circuit
// breaker across loads: once an identifier is quarantined, a later load's new links to it become
// text on the holder; another agency's mark diverts nothing of this load's;
// links already stored, asserted again, stay links so a rerun changes nothing).
// The stored link is sought through the type's relationship index on id, not by expanding the
// quarantined identifier's links (a quarantined phone has thousands).
// mode: read
// param $rows: list[{id: str, ident: str, holder: str}] - relationship id, its identifier
//   endpoint and the entity it would link to it
// param $agency: str - the loading agency: an identifier quarantined for it (the fragment quarantined)
// placeholder type: relationship
// returns: one row {ids}: the relationship ids whose identifier is quarantined and that are not
//   stored yet (one collected row: see add_relationships on FalkorDB and filtered streams)
UNWIND $rows AS row
MATCH (i:Entity {id: row.ident})
WHERE {{quarantined(i)}}
OPTIONAL MATCH ()-[r:{{type}} {id: row.id}]->()
WHERE (startNode(r) = i AND endNode(r).id = row.holder) OR (endNode(r) = i AND startNode(r).id = row.holder)
RETURN collect(CASE WHEN r IS NULL THEN row.id END) AS ids
