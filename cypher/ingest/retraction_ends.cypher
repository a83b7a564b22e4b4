// The ends of the links retraction batch $mark deleted (its pending mark's `ends`, kept from the
// store), read before the mark goes by a load keeping identifiers' holders current
// (graphapi/ingest/holder_tally.py: a placeholder end held at another level moved a holder).
// Internal: never shown to a reader.
// mode: read
// param $mark: str - the batch's pending mark (provenance/retract_statements)
// returns: one row {ends: list[str]} if the mark stands
MATCH (p:PendingRetraction {id: $mark})
RETURN coalesce(p.ends, []) AS ends
