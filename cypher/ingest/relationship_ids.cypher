// Every relationship id with its type (graph fingerprints for resumability tests and audits).
// mode: read
// returns: rows {id: str, type: str}
MATCH ()-[r]->()
RETURN r.id AS id, type(r) AS type
