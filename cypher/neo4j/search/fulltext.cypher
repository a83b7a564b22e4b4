// Full-text search over captions, names, aliases and identifier variants (Lucene syntax),
// ranked by a relevance computed from each visible entity's own caption and indexed values and
// the query alone (never the engine's corpus-statistics score, which hidden documents move):
// 3 whole name as written (in the query's own script) or identifier, 2.5 whole name through a Latin
// spelling, 2 every query word a whole word, 1.5 every word a whole word of a Latin spelling,
// 1 prefix or typo; then caption, then id.
// mode: read
// param $query: str - full-text query built by investigate/search.py from word tokens
// param $phrases: list[str] - the whole text as a name: its search words joined by one space
// param $latinPhrases: list[str] - the whole text's Latin spellings, words joined by one space
// param $keys: list[str] - the whole text as an identifier: upper-case, without separators
// param $wordsets: list[list[str]] - lower-case word lists; all words of one found whole = relevance 2
// param $latinWordsets: list[list[str]] - the Latin spellings' word lists; all found whole = 1.5
// param $labels: list[str]|null - keep hits with any of these labels, null = all
// param $countries: list[str]|null - keep hits with any of these ISO 3166-1 alpha-2 codes
// param $skip: int - offset of the page
// param $limit: int - page size + 1
// param $ranked: int - hits ranked and counted at most (the count's cap + 1, or $skip + $limit if more)
// param $agency: str|null - viewer's agency (visibility)
// param $victimData: bool - the viewer holds victim-data; else victims, their phones and
//   accounts (security/protected_ids has the rule) and documents and cases in a victim's
//   neighbourhood never match, so pages and cursors skip them
// returns: one row: total (visible hits, at most $ranked), hits [{node {id, labels, properties}, score
//   (the relevance: 3, 2.5, 2, 1.5 or 1)}] (the page's, best first)
// Neo4j 5.26 plans a statement per parameter-type shape and its planning time grows with the
// expression text: the earlier form (four victim_mark and a dozen visible copies in pattern
// comprehensions, two 14-deep replace() chains) took 3 s of server CPU to plan. Here each rule is
// spelled once: the persons whose victim mark hides this hit (the hit itself if a person, else
// its holders by the identifier rule, and the visible persons near a document or case) are
// checked in one EXISTS, the visible cases near it in another.
CALL db.index.fulltext.queryNodes('entity_search', $query) YIELD node
WITH node
WHERE {{visible(node)}}
  AND ($labels IS NULL OR any(l IN labels(node) WHERE l IN $labels))
  AND ($countries IS NULL OR any(c IN coalesce(node.countryCodes, []) WHERE c IN $countries))
// The names as written (searchNames) and their Latin spellings (searchLatin) are '|'-separated
// whole names of lower-case search words; searchWords the words of caption and searchText and
// searchKeys their identifier words, ' '-padded (ingest/derive.py ranking_words_for): all made by
// the loader, so a match costs CONTAINS tests, not string work (the reduce() below was ~2.5 of
// 3.3 s of a search with 40,000 matches). A node stored before searchWords existed has its words
// cut here as the loader cuts them, so it ranks as before (in a one-element list comprehension
// filtered on the missing property, as the FalkorDB statement must: its CASE and coalesce()
// evaluate every branch): one reduce() over the separators (the words fragment's), a dotted
// capital I lower-cased as i, as FalkorDB and the query's words (ontology/types/script.py) do:
// Java's toLower gives "i" + a combining dot (attack round 22, N5).
WITH node, coalesce(node.caption, '') AS caption, coalesce(node.searchText, '') AS indexed,
     coalesce(node.searchNames, '') AS names, coalesce(node.searchLatin, '') AS latin,
     node.searchWords IS NULL AS old
WITH node, caption, names, latin,
     coalesce(node.searchWords, [x IN [caption + ' ' + indexed] WHERE old |
       reduce(s = ' ' + toLower(replace(x, 'İ', 'I')) + ' ', sep IN [',', '.', '-', '/', '(', ')', ':', ';', '+', '&', "'", '"', '!', '?'] | replace(s, sep, ' '))][0]) AS native,
     coalesce([x IN [indexed] WHERE old | ' ' + toUpper(x) + ' '][0], node.searchKeys, '') AS keyed
WITH node, caption,
     CASE
       WHEN any(p IN $phrases WHERE names CONTAINS ('|' + p + '|'))
         OR any(k IN $keys WHERE keyed CONTAINS (' ' + k + ' ')) THEN 3.0
       WHEN any(p IN $latinPhrases WHERE latin CONTAINS ('|' + p + '|')) THEN 2.5
       WHEN any(ws IN $wordsets WHERE all(w IN ws WHERE native CONTAINS (' ' + w + ' '))) THEN 2.0
       WHEN any(ws IN $latinWordsets WHERE all(w IN ws WHERE
              (' ' + replace(latin, '|', ' ') + ' ') CONTAINS (' ' + w + ' '))) THEN 1.5
       ELSE 1.0
     END AS relevance
ORDER BY relevance DESC, caption, node.id
// The victim checks run on the ranked rows in order and the statement stops at the $ranked-th kept
// hit: a broad word's every visible match (40,000) went through them before the sort. Order and
// membership are those of checking every match first: a check drops a row, never reorders others.
// A victim, and a phone or account or document a victim holds by the identifier rule, never
// matches without victim-data (security/protected_ids). A document or case in a victim's
// neighbourhood (linked to the victim, or to a case the victim is in, by the victim rule, through
// links the reader may see) names them (a case's title: "Trafficking of <victim>"): it never
// matches, whatever the query, so no query text (a name, a prefix of one) tells whether a
// victim's name is in it; its text shows redacted (security/victim_names, the same neighbourhood).
WITH node, relevance,
     CASE WHEN $victimData THEN [] WHEN node:Person THEN [node] ELSE
       COLLECT { MATCH (user:Person)-[link:USES_PHONE|HAS_ACCOUNT|HOLDS_ACCOUNT|HOLDS_DOCUMENT|USES_DEVICE|CONTROLS_WALLET|LOCATED_AT]->(node)
                 WHERE {{identifier_link_if(link)}} RETURN user } END AS holders,
     CASE WHEN $victimData OR NOT (node:Document OR node:Case) THEN [] ELSE
       COLLECT { MATCH (node)-[l]-(x) WHERE (x:Person OR x:Case) AND {{visible_if(l)}} AND {{visible_if(x)}} RETURN x } END AS near
WHERE NOT EXISTS { UNWIND holders + [x IN near WHERE x:Person] AS p
                   MATCH (p)-[r:INVOLVED_IN|HELD_AT]->() WHERE {{victim_mark_if(r)}} }
  AND NOT EXISTS { UNWIND [x IN near WHERE x:Case] AS c
                   MATCH (v:Person)-[cr:INVOLVED_IN]->(c) WHERE {{visible_if(v)}} AND {{victim_mark_if(cr)}} }
// the count is bounded as the ranking is: at most $ranked hits are checked and counted
WITH node, relevance
LIMIT $ranked
WITH collect([node, relevance]) AS ranked
RETURN size(ranked) AS total,
       [h IN ranked[$skip..$skip + $limit] | {node: {id: h[0].id, labels: labels(h[0]), properties: properties(h[0])},
                                              score: h[1]}] AS hits
