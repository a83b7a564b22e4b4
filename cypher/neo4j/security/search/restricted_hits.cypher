// Hit / no-hit: the owner agencies of entities matching a full-text query that the viewer may NOT
// see (Prüm model). Owners only: no id, name, label or count of the hidden entities leaves here.
// mode: read
// param $query: str - full-text query built by investigate/search.py from word tokens
// param $labels: list[str]|null - keep matches with any of these labels, null = all
// param $limit: int - at most this many agencies
// param $agency: str|null - viewer's agency (visibility)
// returns: agency (owner id, '' when the entity has none)
CALL db.index.fulltext.queryNodes('entity_search', $query) YIELD node
WITH node
WHERE NOT coalesce({{visible(node)}}, false)
  AND ($labels IS NULL OR any(l IN labels(node) WHERE l IN $labels))
WITH DISTINCT coalesce(node.owner, '') AS agency
RETURN agency
ORDER BY agency
LIMIT $limit
