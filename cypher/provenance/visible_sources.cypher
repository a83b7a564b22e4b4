// The sources of visible nodes as the reader may see them: the source of each visible statement
// about the node (the statements `values(property:)` lists), so that `Entity.sources` names no
// source whose every statement is hidden from the reader and omits none it may see. Visibility
// applies to the node and to every statement on its own (TLP 2.0, the same fragment as every read).
// mode: read
// param $ids: list[str] - Lintas node ids
// param $agency: str|null - viewer's agency (visibility)
// returns: one row {entity, sources: list[str]} per visible node with a visible statement
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})
WHERE {{visible(n)}}
MATCH (s:Statement {entity: nid})
WHERE {{visible(s)}}
RETURN nid AS entity, collect(DISTINCT s.source) AS sources
