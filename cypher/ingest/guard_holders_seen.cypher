// Which agencies of $agencies may see every holder the guard counted of an identifier it
// quarantined within one load, and each link it let through to them, as stored: the guard's
// quarantine is marked only for them (graphapi/ingest/write_correlation.py), never for an agency
// that may not see the holders that made it.
// mode: read
// param $rows: list[{id: str, holders: list[str], linked: list[str]}] - identifier node id, the
//   holders the guard counted, and those of them it let link
// param $types: list[str] - linking relationship types (seed/exclusions policy)
// param $agencies: list[str] - the load's audience
// param $agency: str - the loading agency: an identifier it may not see is never marked by its load
//   (attack round a-58, 1: links alone naming another agency's RED phone by id quarantined it for its owner)
// returns: one row {id, agencies: list[str], marks: list[str]} per stored identifier with a stored
//   holder: the agencies that may see them all, and the agencies it is marked for so far
UNWIND $rows AS row
MATCH (i:Entity {id: row.id})
WHERE {{visible(i)}}
UNWIND row.holders AS hid
MATCH (h:Entity {id: hid})
OPTIONAL MATCH (i)-[r]-(h)
WHERE type(r) IN $types
WITH row, i, h, hid, collect(r) AS links
WITH row, i, collect([a IN $agencies WHERE {{visible(h, a)}}
                      AND (NOT hid IN row.linked OR any(r IN links WHERE {{visible(r, a)}}))]) AS seen
RETURN row.id AS id, [a IN $agencies WHERE all(s IN seen WHERE a IN s)] AS agencies,
       coalesce(i.quarantinedFor, []) AS marks
