// Note which natural-key nodes keyed FtM lines of a source stated (graphapi/ingest/keyed_line_deletes.py):
// one statement per line, source and owner, its line the line's FtM id and its entity that id
// behind a mark no item's id has (graphapi.ingest.keyed_line_deletes.NOTE), one entry per asserting source and node. A MOD
// or DEL of the line finds it by its id, so the node its old version stated is found without a scan
// of that node's statements (attack round a-87, 2: a MOD to a corrected key kept the old node).
// Entries are added, never replaced: a load killed before the old node was dealt with leaves it
// named for its rerun; provenance/unnote_keyed_lines takes an entry once its node is dealt with.
// mode: write
// param $rows: list[{id: str, line: str, entity: str, entries: list[{source: str, node: str}]}] - one line each
// param $owner: str - agency id the load writes for
// param $source: str - the load's source
// param $tlp: str - the load's level
// param $sharedWith: list[str] - the load's sharing
// param $seen: str - ISO 8601 UTC instant of the load
// returns: one row {id} per line noted
UNWIND $rows AS row
MERGE (s:Statement {id: row.id})
ON CREATE SET s.entity = row.entity, s.line = row.line, s.owner = $owner, s.source = $source, s.tlp = $tlp,
  s.sharedWith = $sharedWith, s.property = [], s.value = [], s.recordId = [], s.firstSeen = [], s.lastSeen = []
WITH s, row, [e IN row.entries WHERE NOT any(i IN range(0, size(s.value) - 1)
  WHERE s.value[i] = e.node AND s.property[i] = e.source)] AS new
SET s.property = coalesce(s.property, []) + [e IN new | e.source], s.value = coalesce(s.value, []) + [e IN new | e.node],
  s.recordId = coalesce(s.recordId, []) + [e IN new | row.line],
  s.firstSeen = coalesce(s.firstSeen, []) + [e IN new | $seen], s.lastSeen = coalesce(s.lastSeen, []) + [e IN new | $seen]
REMOVE s.digest
RETURN row.id AS id
