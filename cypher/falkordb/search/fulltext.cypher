// Full-text search over captions, names, aliases and identifier variants (RediSearch syntax),
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
// param $wordsets: list[list[str]] - lower-case word lists (the query's alternatives); all words of
//   one found whole = relevance 2
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
CALL db.idx.fulltext.queryNodes('Entity', $query) YIELD node
WITH node
WHERE {{visible(node)}}
  AND ($labels IS NULL OR any(l IN labels(node) WHERE l IN $labels))
  AND ($countries IS NULL OR any(c IN coalesce(node.countryCodes, []) WHERE c IN $countries))
  // A prefix over 20 characters (ingest/derive.py PREFIX_MAX) was looked up by its first 20 in
  // searchPrefixes (edge n-grams; never RediSearch's capped prefix expansion): the whole prefix
  // must start a word there (long words are stored whole), in one alternative with all its words.
  AND (NOT any(ws IN $wordsets + $latinWordsets WHERE any(t IN ws WHERE size(t) > 20 AND size(t) <= 100))
       OR any(ws IN $wordsets + $latinWordsets WHERE all(t IN ws WHERE CASE WHEN size(t) > 20 AND size(t) <= 100
            THEN any(x IN split(coalesce(node.searchPrefixes, ''), ' ') WHERE x STARTS WITH t)
            ELSE t IN split(coalesce(node.searchPrefixes, ''), ' ') END)))
// The names as written (searchNames) and their Latin spellings (searchLatin) are '|'-separated
// whole names of lower-case search words; searchWords the words of caption and searchText and
// searchKeys their identifier words, ' '-padded (ingest/derive.py ranking_words_for): all made by
// the loader, so a match costs CONTAINS tests, not string work (a replace() chain per match was
// most of the relevance's time). A node stored before searchWords existed has its words cut here
// as the loader cuts them (the words fragment; toUpper for the keys), so it ranks as before: in a
// one-element list comprehension filtered on the missing property, because FalkorDB evaluates
// every branch of a CASE and every argument of coalesce() (the chain ran on every match).
WITH node, coalesce(node.caption, '') AS caption, coalesce(node.searchText, '') AS indexed,
     coalesce(node.searchNames, '') AS names, coalesce(node.searchLatin, '') AS latin,
     node.searchWords IS NULL AS old
WITH node, caption, names, latin,
     coalesce(node.searchWords, [x IN [caption + ' ' + indexed] WHERE old | {{words(x)}}][0]) AS native,
     coalesce([x IN [indexed] WHERE old | ' ' + toUpper(x) + ' '][0], node.searchKeys, '') AS keyed,
     ' ' + replace(latin, '|', ' ') + ' ' AS spelled
WITH node, caption,
     CASE
       WHEN any(p IN $phrases WHERE names CONTAINS ('|' + p + '|'))
         OR any(k IN $keys WHERE keyed CONTAINS (' ' + k + ' ')) THEN 3.0
       WHEN any(p IN $latinPhrases WHERE latin CONTAINS ('|' + p + '|')) THEN 2.5
       WHEN any(ws IN $wordsets WHERE all(w IN ws WHERE native CONTAINS (' ' + w + ' '))) THEN 2.0
       WHEN any(ws IN $latinWordsets WHERE all(w IN ws WHERE spelled CONTAINS (' ' + w + ' '))) THEN 1.5
       ELSE 1.0
     END AS relevance
ORDER BY relevance DESC, caption, node.id
// FalkorDB hands a LIMIT down to the Sort under it through filters (optimizations/apply_limit.c:
// only an aggregation stops it), which would rank $ranked matches and drop victims from those: the
// ranked list is collected (an aggregation) and unwound, in order, one row at a time.
WITH collect([node, relevance]) AS sorted
UNWIND sorted AS h
WITH h[0] AS node, h[1] AS relevance
// The victim checks below run on the ranked rows in order, each in a subquery of its own row (its
// aggregation sees that row only), so the statement stops at the $ranked-th kept hit: their
// traversals cost a broad word (40,000 visible matches) 4-7 s when they ran on every match before
// the sort. Order and membership are those of checking every match first: a check drops a row
// and never reorders the others. Each subquery filters its rows first, so a row traverses only for
// the checks of its kind (a pattern comprehension ran on every row whatever the CASE around it).
// A filter on $victimData alone is placed outside the subquery (it dropped every row): each filter
// is one CASE on the row's node.
// A victim, and a phone or account or document a victim holds by the identifier rule, never
// matches without victim-data (security/protected_ids).
CALL {
  WITH node
  WITH node WHERE CASE WHEN $victimData THEN false ELSE node:Person END
  MATCH (node)-[r:INVOLVED_IN|HELD_AT]->() WHERE {{victim_mark(r)}}
  RETURN count(r) AS marked
}
WITH node, relevance WHERE marked = 0
CALL {
  WITH node
  WITH node WHERE CASE WHEN $victimData THEN false ELSE NOT node:Person END
  MATCH ()<-[r:INVOLVED_IN|HELD_AT]-(user:Person)-[link:USES_PHONE|HAS_ACCOUNT|HOLDS_ACCOUNT|HOLDS_DOCUMENT|USES_DEVICE|CONTROLS_WALLET|LOCATED_AT]->(node)
  WHERE {{identifier_link(link)}} AND {{victim_mark(r)}}
  RETURN count(r) AS held
}
WITH node, relevance WHERE held = 0
// A document or case in a victim's neighbourhood (linked to the victim, or to a case the victim is
// in, by the victim rule, through links the reader may see) names them (a case's title: "Trafficking
// of <victim>"): it never matches, whatever the query, so no query text (a name, a prefix of one)
// tells whether a victim's name is in it; its text shows redacted (security/victim_names, the same
// neighbourhood). One row per neighbour and one pattern comprehension per expression (FalkorDB
// traps: two in one CASE answered 0).
CALL {
  WITH node
  WITH node WHERE CASE WHEN $victimData THEN false ELSE node:Document OR node:Case END
  MATCH (node)-[l]-(x) WHERE (x:Person OR x:Case) AND {{visible(l)}} AND {{visible(x)}}
  WITH x, CASE WHEN x:Person THEN size([(x)-[vr:INVOLVED_IN|HELD_AT]->(vc) WHERE {{victim_mark(vr)}} | 1])
         ELSE 0 END AS victim
  WITH victim + CASE WHEN x:Case THEN size([(v:Person)-[cr:INVOLVED_IN]->(x) WHERE {{visible(v)}} AND {{victim_mark(cr)}} | 1])
         ELSE 0 END AS named
  RETURN sum(named) AS named
}
WITH node, relevance WHERE named = 0
// the count is bounded as the ranking is: at most $ranked hits are checked and counted
WITH node, relevance
LIMIT $ranked
WITH collect([node, relevance]) AS ranked
RETURN size(ranked) AS total,
       [h IN ranked[$skip..$skip + $limit] | {node: {id: h[0].id, labels: labels(h[0]), properties: properties(h[0])},
                                              score: h[1]}] AS hits
