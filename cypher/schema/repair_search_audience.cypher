// Derives searchAudience again wherever it differs from what the entity's stored tlp, owner and
// sharedWith give (or is missing), in a window of the graph: a graph written before the fix of
// attack round 31 item 1 holds values FalkorDB derived from a node's OLD levels (SET n.tlp .. SET
// n.searchAudience read the values of before both). Once per graph at start-up
// (graphapi/store/audience_repair.py, which then makes schema/mark_repaired).
// The window is $limit internal node ids from $after: a label-and-id seek, so each call's work is
// bounded whatever the graph's size ("the first $limit stale" rescanned the graph each call, and
// the fragment over all 100k entities took 5.4 s of one statement; windows: 0.3 s each).
// mode: write
// param $after: int - the window's first internal node id (0 first, then the previous call's next)
// param $limit: int - how many internal ids a window spans
// returns: one row {repaired: int (entities set in this window), next: int | None (the next window's $after; None when no entity is left)}
MATCH (n:Entity)
WHERE id(n) >= $after AND id(n) < $after + $limit
WITH n WHERE n.searchAudience IS NULL OR n.searchAudience <> {{search_audience(n)}}
SET n.searchAudience = {{search_audience(n)}}
WITH count(n) AS repaired
OPTIONAL MATCH (rest:Entity)
WHERE id(rest) >= $after + $limit
WITH repaired, rest LIMIT 1
RETURN repaired, CASE WHEN rest IS NULL THEN NULL ELSE $after + $limit END AS next
