// The values of one property of visible nodes, each with the visible statements asserting it.
// Visibility applies to the node and to every statement on its own (TLP 2.0, the same fragment
// as every read): another agency's AMBER statement on a GREEN node is not shown to a third.
// mode: read
// param $ids: list[str] - Lintas node ids
// param $property: str - ontology property name, e.g. "birthDate"
// param $agency: str|null - viewer's agency (visibility)
// returns: one row {entity, source, owner, tlp, said: list[{value, recordId, firstSeen, lastSeen}]}
//   per visible statement that asserts the property
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})
WHERE {{visible(n)}}
MATCH (s:Statement {entity: nid})
WHERE {{visible(s)}} AND $property IN s.property
RETURN nid AS entity, s.source AS source, s.owner AS owner, s.tlp AS tlp,
  [i IN range(0, size(s.property) - 1) WHERE s.property[i] = $property |
    {value: s.value[i], recordId: s.recordId[i], firstSeen: s.firstSeen[i], lastSeen: s.lastSeen[i]}] AS said
