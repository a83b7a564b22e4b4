// The visible nodes with the given ids; hidden and unknown ids are simply absent.
// mode: read
// param $ids: list[str] - Lintas node ids
// param $agency: str|null - viewer's agency (visibility)
// returns: node {id, labels, properties}
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})
WHERE {{visible(n)}}
RETURN {id: n.id, labels: labels(n), properties: properties(n)} AS node
