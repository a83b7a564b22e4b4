// Full-text search over captions, names, aliases and identifier variants (RediSearch syntax).
// mode: read
// param $query: str - full-text query built by investigate/search.py from word tokens
// param $labels: list[str]|null - keep hits with any of these labels, null = all
// param $countries: list[str]|null - keep hits with any of these ISO 3166-1 alpha-2 codes
// param $skip: int - offset of the page
// param $limit: int - page size + 1
// param $agency: str|null - viewer's agency (visibility)
// returns: node {id, labels, properties}, score
CALL db.idx.fulltext.queryNodes('Entity', $query) YIELD node, score
WITH node, score
WHERE {{visible(node)}}
  AND ($labels IS NULL OR any(l IN labels(node) WHERE l IN $labels))
  AND ($countries IS NULL OR any(c IN coalesce(node.countryCodes, []) WHERE c IN $countries))
RETURN {id: node.id, labels: labels(node), properties: properties(node)} AS node, score
ORDER BY score DESC, node.id
SKIP $skip
LIMIT $limit
