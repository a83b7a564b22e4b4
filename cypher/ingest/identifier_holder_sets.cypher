// The holders of each identifier node of $ids that count for the circuit breaker, by id: those
// everyone may see (holder and one of its links CLEAR or GREEN), and those each agency of
// $agencies may see (ingest/identifier_holders counts the same, this names them), with the
// identifier's quarantine for everyone and for each agency. A load keeps them to bound what its
// own later changes can add, and counts an identifier again only when they might take it past
// the limit (graphapi/ingest/holder_bounds.py): a delta of DEL/ADD pairs to a hub made one full
// read of the hub per pair (attack round a-62, 6).
// Internal: never shown to a reader.
// mode: read
// param $ids: list[str] - identifier node ids
// param $types: list[str] - linking relationship types (seed/exclusions policy)
// param $agencies: list[str] - the agencies whose views are named too (may be empty)
// returns: one row {id, public: list[str], views: list[{h: str, seen: list[str]}], hidden: int, quarantined: bool,
//   marks: list[str], audience: list[{agency, quarantined: bool}]} per stored id: the holders
//   everyone may see, each holder some agency of $agencies may see with those agencies, the
//   quarantine for everyone, the agencies marked, and each agency's quarantine in $agencies' order;
//   hidden: how many holders not everyone may see (a public load's bound on any other agency's
//   view: issue 10, 2)
UNWIND $ids AS nid
MATCH (i:Entity {id: nid})
OPTIONAL MATCH (i)-[r]-(h:Entity)
WHERE type(r) IN $types
WITH i, nid, h, collect(r) AS links
WITH i, nid, h,
     {{visible(h, null)}} AND any(r IN links WHERE {{visible(r, null)}}) AS public,
     [a IN $agencies WHERE {{visible(h, a)}} AND any(r IN links WHERE {{visible(r, a)}})] AS seen
WITH i, nid, collect(CASE WHEN public THEN h.id END) AS public,
     collect(CASE WHEN size(seen) > 0 THEN {h: h.id, seen: seen} END) AS views,
     count(CASE WHEN NOT coalesce(public, false) THEN h END) AS hidden
RETURN nid AS id, public, views, hidden, {{quarantined(i, null)}} AS quarantined, coalesce(i.quarantinedFor, []) AS marks,
       [a IN $agencies | {agency: a, quarantined: {{quarantined(i, a)}}}] AS audience
