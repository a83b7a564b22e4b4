// The nodes linked by the linking types to the holders of $rows (each widened: seen by agencies
// that did not see it), through a link an agency that gains the holder may see: only through such
// a link can its view's count grow (graphapi/ingest/widened_links.py). Another agency's link the
// gaining views may not see (VN-MPS's RED link on LA-POL's holder widened to TH-DSI) is never
// followed: the widening's note, count and writes are the same with and without it (attack round
// a-95, 1 and 2). A row's `gained`: the agencies gaining it, or null when every agency outside
// `before` (those that saw it) gains it (widened to CLEAR or GREEN).
// mode: read
// param $rows: list[map] - {id: str, gained: list[str] | null, before: list[str]}, holders widened
// param $types: list[str] - linking relationship types (seed/exclusions policy)
// returns: rows {h, i}: a holder and a node it links to, each pair once
UNWIND $rows AS row
MATCH (h:Entity {id: row.id})-[r]-(i)
WHERE type(r) IN $types
  AND (r.tlp IN ['CLEAR', 'GREEN']
       OR any(a IN [r.owner] + CASE WHEN r.tlp = 'AMBER' THEN coalesce(r.sharedWith, []) ELSE [] END
              WHERE a IS NOT NULL AND CASE WHEN row.gained IS NULL THEN NOT a IN row.before
                                           ELSE a IN row.gained END))
RETURN DISTINCT h.id AS h, i.id AS i
