// The statements one agency has on each of the given items, by source and level: how much of its
// budget on another agency's item it has used, in sources and in values (graphapi/ingest/source_budget.py). One source said
// at two levels is two statements, so both count. No visibility: the loader's own bookkeeping.
// mode: read
// param $ids: list[str] - Lintas node or relationship ids
// param $owner: str - the agency whose statements are counted
// returns: one row {entity, source, tlp, sharedWith, values} per statement of that agency on the items
//   (values: how many it holds)
UNWIND $ids AS nid
MATCH (s:Statement {entity: nid})
WHERE s.owner = $owner
RETURN nid AS entity, s.source AS source, s.tlp AS tlp, s.sharedWith AS sharedWith,
  size(coalesce(s.value, [])) AS values
