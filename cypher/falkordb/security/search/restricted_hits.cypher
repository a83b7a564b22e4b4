// Hit / no-hit: candidates for a whole-name or whole-identifier match among the entities the
// viewer may NOT see (Prüm model). The full-text query has whole words only (no prefix), and
// only the owner and the searchable values leave here: graphapi/security/hits.py keeps the
// candidates whose whole name or identifier equals the text and answers their owners alone.
// mode: read
// param $query: str - full-text query of whole words built by investigate/search.py
// param $names: list[str] - name-typed searchable properties (investigate/matching.py)
// param $identifiers: list[str] - identifier-like searchable properties
// param $phrases: list[str] - the whole text as a name (investigate/search.py ranking_params)
// param $keys: list[str] - the whole text as an identifier: upper-case, without separators
// param $perAgency: int - at most this many candidates per owner agency
// param $limit: int - at most this many candidates
// param $agency: str|null - viewer's agency (visibility)
// returns: agency (owner id, '' when the entity has none), names, identifiers (values, lists flattened by the caller)
CALL db.idx.fulltext.queryNodes('Entity', $query) YIELD node
WITH node
WHERE NOT coalesce({{visible(node)}}, false)
  // held apart (graphapi/ingest/relevel.py): missing to all but its audience, no hit
  AND node.heldApart IS NULL
// Likely whole matches first (search/fulltext's relevance 3 rule), then a few per owner: a
// thousand partial candidates of one agency, cut by stored id, never crowd out another agency's
// whole match (the caller still decides whole matches itself).
WITH node, coalesce(node.owner, '') AS agency,
     CASE WHEN any(p IN $phrases WHERE coalesce(node.searchNames, '') CONTAINS ('|' + p + '|'))
            OR any(k IN $keys WHERE k IN split(toUpper(coalesce(node.searchText, '')), ' '))
          THEN 0 ELSE 1 END AS rank
ORDER BY rank, node.id
WITH agency, collect(node)[..$perAgency] AS nodes
UNWIND nodes AS node
WITH agency, node
LIMIT $limit
RETURN agency, [p IN $names | node[p]] AS names,
       [p IN $identifiers | node[p]] AS identifiers
