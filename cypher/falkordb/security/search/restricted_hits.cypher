// Hit / no-hit: candidates for a whole-name or whole-identifier match among the entities the
// viewer may NOT see (Prüm model). The full-text query has whole words only (no prefix), and
// only the owner and the searchable values leave here: graphapi/security/hits.py keeps the
// candidates whose whole name or identifier equals the text and answers their owners alone.
// mode: read
// param $query: str - full-text query of whole words built by investigate/search.py
// param $names: list[str] - name-typed searchable properties (investigate/matching.py)
// param $identifiers: list[str] - identifier-like searchable properties
// param $limit: int - at most this many candidates
// param $agency: str|null - viewer's agency (visibility)
// returns: agency (owner id, '' when the entity has none), names, identifiers (values, lists flattened by the caller)
CALL db.idx.fulltext.queryNodes('Entity', $query) YIELD node
WITH node
WHERE NOT coalesce({{visible(node)}}, false)
WITH node
ORDER BY node.id
LIMIT $limit
RETURN coalesce(node.owner, '') AS agency, [p IN $names | node[p]] AS names,
       [p IN $identifiers | node[p]] AS identifiers
