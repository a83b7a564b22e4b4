// Full-text search over captions, names, aliases and identifier variants (Lucene syntax).
// mode: read
// param $query: str - full-text query built by investigate/search.py from word tokens
// param $labels: list[str]|null - keep hits with any of these labels, null = all
// param $countries: list[str]|null - keep hits with any of these ISO 3166-1 alpha-2 codes
// param $skip: int - offset of the page
// param $limit: int - page size + 1
// param $agency: str|null - viewer's agency (visibility)
// param $victimData: bool - the viewer holds victim-data; else victims and their phones and
//   accounts never match (security/protected_ids has the rule), so pages and cursors skip them
// returns: node {id, labels, properties}, score
CALL db.index.fulltext.queryNodes('entity_search', $query) YIELD node, score
WITH node, score
WHERE {{visible(node)}}
  AND ($labels IS NULL OR any(l IN labels(node) WHERE l IN $labels))
  AND ($countries IS NULL OR any(c IN coalesce(node.countryCodes, []) WHERE c IN $countries))
OPTIONAL MATCH (user:Person)-[link:USES_PHONE|HAS_ACCOUNT]->(node)
WHERE NOT $victimData AND (link.owner = user.owner OR {{visible(link)}})
WITH node, score, CASE WHEN $victimData THEN null WHEN node:Person THEN node ELSE user END AS p
WITH node, score, CASE WHEN p IS NULL THEN 0 ELSE size([(p)-[r:INVOLVED_IN|HELD_AT]->(c)
       WHERE {{victim_mark(r)}} AND (r.owner = p.owner OR ({{visible(r)}} AND {{visible(c)}})) | 1]) END AS marks
WITH node, score, sum(marks) AS marks
WHERE marks = 0
RETURN {id: node.id, labels: labels(node), properties: properties(node)} AS node, score
ORDER BY score DESC, node.id
SKIP $skip
LIMIT $limit
