// Sets the derived searchPrefixes of entities written before the field existed.
// mode: write
// param $rows: list[map] - {id, prefixes}
UNWIND $rows AS row
MATCH (n:Entity {id: row.id})
SET n.searchPrefixes = row.prefixes
