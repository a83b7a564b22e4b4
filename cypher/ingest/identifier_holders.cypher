// How many distinct entities each identifier node is linked to by the linking relationship
// types, counting only the links and holders a reader may see (the over-correlation circuit
// breaker across loads; DESIGN.md, MISP's correlation limit): hidden links never quarantine an
// identifier for an agency that cannot see them. One read decides for everyone (the links and
// holders everyone may see: CLEAR, GREEN) and for each agency of $agencies (a load's audience),
// each link and holder matched once.
// mode: read
// param $ids: list[str] - identifier node ids
// param $types: list[str] - linking relationship types (seed/exclusions policy)
// param $agencies: list[str] - the agencies whose views are counted too (may be empty)
// returns: one row {id, holders: int, quarantined: bool, marks: list[str],
//   audience: list[{agency, holders: int, quarantined: bool}]} per stored id: holders and
//   quarantined (the fragment quarantined) for everyone, the agencies marked so far, and the
//   holders and quarantine of each agency of $agencies, in its order; hidden: how many holders not
//   everyone may see (no agency's view passes holders + hidden)
UNWIND $ids AS nid
MATCH (i:Entity {id: nid})
OPTIONAL MATCH (i)-[r]-(h:Entity)
WHERE type(r) IN $types
WITH i, nid, h, collect(r) AS links
WITH i, nid, h,
     {{visible(h, null)}} AND any(r IN links WHERE {{visible(r, null)}}) AS public,
     [a IN $agencies WHERE {{visible(h, a)}} AND any(r IN links WHERE {{visible(r, a)}})] AS seen
WITH i, nid, count(CASE WHEN public THEN h END) AS holders, collect(seen) AS views,
     count(CASE WHEN NOT coalesce(public, false) THEN h END) AS hidden
RETURN nid AS id, holders, hidden, {{quarantined(i, null)}} AS quarantined, coalesce(i.quarantinedFor, []) AS marks,
       [a IN $agencies | {agency: a, holders: size([v IN views WHERE a IN v]),
                          quarantined: {{quarantined(i, a)}}}] AS audience
