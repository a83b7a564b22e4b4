// Replace the whole property map of existing nodes whose labels do not change: for writes that
// remove properties (a MOD dropping values, values rebuilt from statements after a DEL). The
// complete map replaces the stored one, so removed properties go. FalkorDB's
// `SET n += {a: null, b: null}` removes the wrong properties when several are null (measured: an
// FtM MOD dropping four values took the node's owner with them and left a stale countryCodes);
// `SET n = map` does not.
// mode: write
// param $rows: list[{id: str, props: map}] - every property the node keeps, id included
// returns: one row {id} per node written
UNWIND $rows AS row
MATCH (n:Entity {id: row.id})
SET n = row.props
// who may find it in search (graphapi/store/search_audience.py), derived again with its level
// after a WITH: FalkorDB evaluates a SET straight after another on the values from before both
// (tests/store/test_set_chains.py)
WITH n, row
SET n.searchAudience = {{search_audience(n)}}
RETURN row.id AS id
