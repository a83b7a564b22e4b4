// One breadth-first step of a syndicate scope (graphapi.investigate.scope): for each frontier
// node, the ids of its visible neighbours, once per visible relationship (parallel relationships
// repeat the id: they weigh the tie). Ids only, one row per frontier node: no property map and
// no relationship record crosses the wire; properties are fetched once, for what the answer shows.
// The order of `others` is the store's (Neo4j's follows its storage, which hidden writes move):
// the caller orders what it keeps itself.
// mode: read
// param $ids: list[str] - frontier node ids (already checked visible)
// param $types: list[str]|null - relationship types to follow, null = all
// param $excluded: list[str] - relationship types never followed, [] = none (excludeRelationshipTypes)
// param $since: str|null - ISO 8601 lower bound on a relationship's date, inclusive (undated pass)
// param $until: str|null - ISO 8601 upper bound on a relationship's date, inclusive (undated pass)
// param $agency: str|null - viewer's agency (visibility of relationship and neighbour)
// returns: id, others (list[str]: a neighbour's id per visible relationship)
UNWIND $ids AS nid
// Seek, then traverse (see expand/frontier).
MATCH (a:Entity {id: nid})
WITH a
MATCH (a)-[r]-(b:Entity)
WHERE ($types IS NULL OR type(r) IN $types)
  AND NOT type(r) IN $excluded
  AND ($since IS NULL OR coalesce(r.at, r.to, r.from) IS NULL OR coalesce(r.at, r.to, r.from) >= $since)
  AND ($until IS NULL OR coalesce(r.at, r.from, r.to) IS NULL OR coalesce(r.at, r.from, r.to) <= $until)
  AND {{visible(r)}}
  AND {{visible(b)}}
RETURN a.id AS id, collect(b.id) AS others
