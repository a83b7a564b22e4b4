// Set the whole property map of nodes whose values were rebuilt from their statements (after a
// DEL or a MOD). The complete map replaces the stored one, so removed values go: FalkorDB's
// `SET n += {a: null, b: null}` removes the wrong properties when several are null (measured:
// a node lost its tlp), `SET n = map` does not.
// mode: write
// param $rows: list[{id: str, props: map}] - every property the node keeps, id included
// returns: one row {id} per node written
UNWIND $rows AS row
MATCH (n:Entity {id: row.id})
SET n = row.props
RETURN row.id AS id
