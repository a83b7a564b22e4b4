// The loader's first look at a batch's statements (before provenance/statement_probe): which are
// not stored exactly as the record would write them, by the digest each statement stores of
// everything it holds (Statement.digest, written with it by provenance/write_statements). A
// reload's statements are all stored so: each is one id and a short hash here, where the probe
// sent and compared every entry (issue 14: the probe was half a reload's store time). A statement
// stored without a digest (written before digests, or moved by security/follow_sharing) differs.
// mode: read
// param $rows: list[{id: str, digest: str}] - one statement of one record each, and its digest
// returns: one row {differ}: the ids of the rows whose statement is absent or stored otherwise
UNWIND $rows AS row
OPTIONAL MATCH (s:Statement {id: row.id})
RETURN collect(CASE WHEN s IS NULL OR s.digest IS NULL OR s.digest <> row.digest THEN row.id END) AS differ
