// The values of one property of visible relationships, each with the visible statements asserting
// it. The relationship and both its ends must be visible (as every read of a relationship), and
// each statement on its own (TLP 2.0, the same fragment): another agency's AMBER statement on a
// GREEN relationship is not shown to a third. Found from the start node (indexed).
// mode: read
// param $rels: list[{id: str, start: str, end: str}] - Lintas relationship ids with their ends' ids
// param $property: str - ontology property name of the relationship's type, e.g. "amount"
// param $agency: str|null - viewer's agency (visibility)
// returns: one row {entity, source, owner, tlp, said: list[{value, recordId, firstSeen, lastSeen}]}
//   per visible statement that asserts the property (entity: the relationship's id)
UNWIND $rels AS x
MATCH (a:Entity {id: x.start})
WITH a, x
MATCH (a)-[r]->(b:Entity)
WHERE r.id = x.id
  AND b.id = x.end
  AND {{visible(r)}}
  AND {{visible(a)}}
  AND {{visible(b)}}
MATCH (s:Statement {entity: x.id})
WHERE {{visible(s)}} AND $property IN s.property
RETURN x.id AS entity, s.source AS source, s.owner AS owner, s.tlp AS tlp,
  [i IN range(0, size(s.property) - 1) WHERE s.property[i] = $property |
    {value: s.value[i], recordId: s.recordId[i], firstSeen: s.firstSeen[i], lastSeen: s.lastSeen[i]}] AS said
