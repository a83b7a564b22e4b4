// One supernode-aware breadth-first step of `expand`: for each frontier node, how many distinct
// visible neighbours pass the filters (total) and the most relevant `perNode` of them: the most
// recently related first (a relationship's `at`, else `to`, else `from`), then the heaviest
// (`amount`, `share` or `durationS`). Ids only: properties are fetched once, at the end.
// Not by id here: where the cut at `perNode` falls inside a run of neighbours with the same
// (recent, weight), the whole run ships and the caller orders it by the ids the reader is shown
// (graphapi.investigate.shown_order): ordered here by the stored id, a victim's id decided
// whether it was kept, i.e. where it sorts among visible ids.
// mode: read
// param $ids: list[str] - frontier node ids (hidden ones have no neighbours)
// param $types: list[str]|null - relationship types to follow, null = all
// param $excluded: list[str] - relationship types never followed, [] = none (excludeRelationshipTypes)
// param $labels: list[str]|null - neighbour labels to admit, null = all
// param $countries: list[str]|null - ISO 3166-1 alpha-2 codes a neighbour must be tied to, null = all
// param $since: str|null - ISO 8601 lower bound on a relationship's date, inclusive (undated pass)
// param $until: str|null - ISO 8601 upper bound on a relationship's date, inclusive (undated pass)
// param $perNode: int - neighbours returned per frontier node at most
// param $agency: str|null - viewer's agency (visibility of frontier node, relationship and neighbour)
// returns: id, total (visible neighbours passing the filters), ranked [{id, recent, weight}] best
//   first: the first perNode, then the rest of the run of equal (recent, weight) the cut falls in
UNWIND $ids AS nid
// Seek, then traverse (see expand/frontier).
MATCH (a:Entity {id: nid})
// a hidden start or seed walks nowhere: the caller checks them with the nodes it reads at the end
WHERE {{visible(a)}}
WITH a
MATCH (a)-[r]-(b:Entity)
WHERE ($types IS NULL OR type(r) IN $types)
  AND NOT type(r) IN $excluded
  AND ($labels IS NULL OR any(l IN labels(b) WHERE l IN $labels))
  AND ($countries IS NULL OR any(c IN coalesce(b.countryCodes, []) WHERE c IN $countries))
  AND ($since IS NULL OR coalesce(r.at, r.to, r.from) IS NULL OR coalesce(r.at, r.to, r.from) >= $since)
  AND ($until IS NULL OR coalesce(r.at, r.from, r.to) IS NULL OR coalesce(r.at, r.from, r.to) <= $until)
  AND {{visible(r)}}
  AND {{visible(b)}}
WITH a, b, coalesce(r.at, r.to, r.from, '') AS recent, coalesce(r.amount, r.share, r.durationS, 0) AS weight
ORDER BY recent DESC, weight DESC
// The best relationship to each neighbour ranks it: the first after the ordering above.
WITH a, b, collect([recent, weight])[0] AS best
ORDER BY best[0] DESC, best[1] DESC
WITH a, collect({id: b.id, recent: best[0], weight: best[1]}) AS ranked
WITH a, ranked, ranked[$perNode - 1] AS last
RETURN a.id AS id, size(ranked) AS total,
       ranked[..$perNode] + [x IN ranked[$perNode..] WHERE x.recent = last.recent AND x.weight = last.weight] AS ranked
