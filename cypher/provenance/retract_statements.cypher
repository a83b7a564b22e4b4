// Delete a source's statements (and its "<source>:<dataset>" ones) about the given nodes: a
// delta DEL or a source's retraction withdraws exactly what that source said, nothing another
// source or owner asserted.
// FalkorDB trap: `s STARTS WITH $source + ':'` parses as `(s STARTS WITH $source) + ':'`
// there (a type error, measured), hence the parentheses.
// mode: write
// param $ids: list[str] - Lintas node ids
// param $source: str - dataset id withdrawing its assertions
// param $owner: str - agency id the retracting load writes for
// param $scoped: bool - the source is the load's alone ("<name>@<owner>", as every
//   agency's and lintas load ofac|ftm|csv's): its
//   statements are withdrawn whoever they were written for; false: only those of $owner
// returns: one row {id} per statement deleted (id: the node's)
UNWIND $ids AS nid
MATCH (s:Statement {entity: nid})
WHERE (s.source = $source OR s.source STARTS WITH ($source + ':')) AND ($scoped OR s.owner = $owner)
DELETE s
RETURN nid AS id
