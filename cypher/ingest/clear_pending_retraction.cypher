// A retraction batch is done (its items rebuilt and the source withdrawn): its pending mark goes.
// mode: write
// param $id: str - the mark's id (provenance/retract_statements)
// returns: one row {id} if the mark was there
MATCH (p:PendingRetraction {id: $id})
DELETE p
RETURN $id AS id
