// The circuit breaker's quarantine of each identifier node of $ids, for everyone and for each
// agency of $agencies (their holders kept by the load: graphapi/ingest/holder_tally.py).
// Internal: never shown to a reader.
// mode: read
// param $ids: list[str] - identifier node ids
// param $agencies: list[str] - the agencies whose quarantine is read (may be empty)
// returns: one row {id, quarantined: bool, marks: list[str], audience: list[{agency, quarantined: bool}]}
//   per stored id
UNWIND $ids AS nid
MATCH (i:Entity {id: nid})
RETURN nid AS id, {{quarantined(i, null)}} AS quarantined, coalesce(i.quarantinedFor, []) AS marks,
       [a IN $agencies | {agency: a, quarantined: {{quarantined(i, a)}}}] AS audience
