// The sources one agency's statements name on each of the given items: how much of its source
// budget on another agency's item it has used (graphapi/ingest/source_budget.py). No
// visibility: the loader's own bookkeeping.
// mode: read
// param $ids: list[str] - Lintas node or relationship ids
// param $owner: str - the agency whose statements are counted
// returns: one row {entity, sources: list[str]} per item with a statement of that agency
UNWIND $ids AS nid
MATCH (s:Statement {entity: nid})
WHERE s.owner = $owner
RETURN nid AS entity, collect(DISTINCT s.source) AS sources
