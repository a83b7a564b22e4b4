// Which of the given node ids are stored and visible to $agency (the TLP fragment; used to check
// the loader's Python copy of the rule, graphapi/ontology/tlp.py).
// mode: read
// param $ids: list[str] - Lintas node ids
// param $agency: str|null - the agency asking
// returns: one row {id} per stored node the agency may see
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})
WHERE {{visible(n)}}
RETURN n.id AS id
