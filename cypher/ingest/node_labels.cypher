// The labels of a batch of stored nodes the reader may see: the circuit breaker learns which ends
// of a load's links are identifiers when the load carries no record of them (a load of links
// alone: attack round 55, 4), and the label of a holder whose link it keeps as text.
// mode: read
// param $ids: list[str] - Lintas node ids
// param $agency: str|null - the loading agency; null for a load that sees everything
// returns: one row {id, labels: list[str]} per stored node the reader may see
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})
WHERE $agency IS NULL OR {{visible(n)}}
RETURN n.id AS id, labels(n) AS labels
