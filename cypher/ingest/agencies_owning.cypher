// The agencies of $agencies that own some item of the graph: the agencies the deployment knows
// (an item's owner is the agency of the principal that loaded it, never a loader's word; there is
// no agency registry, and the agencies of an identity provider's tokens are not listed anywhere).
// An item's sharedWith may name any well-formed agency id: made-up ones come after these in the
// circuit breaker's recount (graphapi/ingest/quarantine_recount.py; attack round a-62, 3: 32 of
// them pushed LA-POL out of the agencies kept marked, and KH-NP's mark out of those recounted).
// One seek of the owner index per agency. Internal: never shown to a reader.
// mode: read
// param $agencies: list[str] - agency ids
// returns: rows {agency: str}, those owning an item
UNWIND $agencies AS a
CALL {
  WITH a
  MATCH (x:Entity {owner: a})
  RETURN x.id AS owned
  LIMIT 1
}
RETURN DISTINCT a AS agency
