// Take from keyed lines' notes (provenance/note_keyed_lines) the nodes their MOD or DEL dealt with
// (graphapi/ingest/keyed_line_deletes.py): run once that DEL is applied, so a load killed before
// finds them again. A note left naming no node goes.
// mode: write
// param $rows: list[{id: str, nodes: list[str]}] - a note's id and the nodes it no longer names
// returns: one row {id} per note deleted (none left)
UNWIND $rows AS row
MATCH (s:Statement {id: row.id})
WITH s, row, [i IN range(0, size(s.value) - 1) WHERE NOT s.value[i] IN row.nodes] AS keep
SET s.property = [i IN keep | s.property[i]], s.value = [i IN keep | s.value[i]],
  s.recordId = [i IN keep | s.recordId[i]], s.firstSeen = [i IN keep | s.firstSeen[i]],
  s.lastSeen = [i IN keep | s.lastSeen[i]]
REMOVE s.digest
WITH s, row, keep
WHERE size(keep) = 0
DELETE s
RETURN row.id AS id
