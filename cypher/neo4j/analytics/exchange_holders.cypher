// Neo4j's analytics/exchange_holders (same parameters and result; keep the two in step) in a shape
// whose plan does not depend on the statistics it is made on (as analytics/scope_ties): each given
// account sought by its id (USING INDEX SEEK), then a walk out of it; the exchange is an expression
// of the walk, not a pattern node. As `(o:Organization)` the planner, on a dense graph's statistics,
// scanned every Organization and hash-joined them with the walk (NodeByLabelScan, NodeHashJoin:
// tests/store/test_anchored_read_plans.py).
// mode: read
// param $ids: list[str] - account or wallet ids a trail reached (already read as visible)
// param $agency: str|null - viewer's agency (visibility of the exchange and its link)
// returns: id, exchange (the organisation's id), link {id, start, end} (the holding relationship)
UNWIND $ids AS nid
MATCH (a:Entity {id: nid})-[r:HOLDS_ACCOUNT|CONTROLS_WALLET|OWNS|AT_BANK]-()
USING INDEX SEEK a:Entity(id)
WITH a, r, CASE WHEN startNode(r) = a THEN endNode(r) ELSE startNode(r) END AS o
WHERE o:Organization
  AND o.exchange = true
  AND (type(r) = 'AT_BANK') = (startNode(r) = a)
  AND {{visible(o)}}
  AND {{visible(r)}}
WITH a, o, r
ORDER BY o.id, r.id
WITH a, collect({exchange: o.id, link: {id: r.id, start: startNode(r).id, end: endNode(r).id}})[0] AS first
RETURN a.id AS id, first.exchange AS exchange, first.link AS link
