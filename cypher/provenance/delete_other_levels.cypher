// A replace record (FtM MOD) is all its source now says of an item: the source's statements
// about it at other levels than the record's go (graphapi/ingest/statement_store.py), of the
// same line: what another line of the source says of it (a line statement, graphapi/ingest/statements.py:
// a Passport line's number on the Person a MOD of her line replaces) stays, and so does the
// source's statement of a natural-key node at another level naming a line the record does not
// (its `lineReferent` entries, or its `referents` in one written before those: attack round a-100,
// 1: k-1's MOD onto W2 deleted k-2's AMBER statement of W2; 2: the ids FtM merged are no lines; its
// `legacyReferent` entries, a referent it held before the marks, name another line unless the
// record's referents name them, a-104, 2; one its record said in one run with one of the record's
// lines, its `referents` entries side by side with that line's, is an id FtM merged into that line,
// no other line, a-113, 0: a record's referents come before its other values, so another load's
// line of a same-named file, whose recordId is the same, is never in that run, a-115, 1).
// mode: write
// param $rows: list[{id: str, entity: str, owner: str, source: str, line: str, lines: list[str],
//   said: list[str]}] - the
//   replacing statements (line: "" for a statement that is no line statement; lines: the lines it
//   names, [] for none: then every other level's goes; said: its referents)
// returns: id of each statement deleted
UNWIND $rows AS row
MATCH (s:Statement {entity: row.entity})
WHERE s.owner = row.owner AND s.source = row.source AND s.id <> row.id AND coalesce(s.line, '') = row.line
  AND (size(row.lines) = 0 OR none(i IN range(0, size(coalesce(s.property, [])) - 1)
    WHERE (s.property[i] = 'lineReferent' AND NOT s.value[i] IN row.lines)
      OR (s.property[i] = CASE WHEN 'lineReferent' IN s.property OR 'legacyReferent' IN s.property
                               THEN 'legacyReferent' ELSE 'referents' END
          AND NOT s.value[i] IN row.said
          AND NOT any(j IN range(0, size(s.property) - 1)
                      WHERE s.property[j] = 'referents' AND s.value[j] IN row.lines
                        AND any(a IN range(0, size(s.property) - 1)
                                WHERE s.property[a] = 'referents' AND s.value[a] = s.value[i]
                                  AND all(k IN range(CASE WHEN a < j THEN a ELSE j END, CASE WHEN a < j THEN j ELSE a END)
                                          WHERE s.property[k] = 'referents' AND s.recordId[k] = s.recordId[j]))))))
WITH s, s.id AS sid
DELETE s
RETURN sid AS id
