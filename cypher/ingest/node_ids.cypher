// Every node id with its caption (graph fingerprints for resumability tests and audits).
// mode: read
// returns: rows {id: str, caption: str}
MATCH (n:Entity)
RETURN n.id AS id, n.caption AS caption
