// Every statement of a source (and of its "<source>:<dataset>" datasets), for a whole-source
// replace (graphapi/ingest/replacement.py): the replacing load keeps of each only what it
// asserted again. The same statements provenance/retract_statements would delete.
// FalkorDB trap: `s STARTS WITH $source + ':'` parses as `(s STARTS WITH $source) + ':'`
// there (a type error, measured), hence the parentheses.
// mode: read
// param $source: str - the replacing load's source (dataset id)
// param $owner: str - agency id the replacing load writes for
// param $scoped: bool - the source is the load's alone: its statements whoever they were
//   written for; false: only those of $owner
// returns: rows {id, props}
MATCH (s:Statement)
WHERE (s.source = $source OR s.source STARTS WITH ($source + ':')) AND ($scoped OR s.owner = $owner)
RETURN s.id AS id, properties(s) AS props
