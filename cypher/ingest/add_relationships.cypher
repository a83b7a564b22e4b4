// Write a batch of relationships of one type that the loader has not seen this run, in one round
// trip: new ones are created with their properties; stored ones are left as they are and
// returned, for the loader's provenance merge (written with ingest/merge_relationships if that
// changes anything). Only exceptions come back, so a batch of new relationships returns nothing.
// mode: write
// param $rows: list[{id: str, start: str, end: str, props: map}] - props of a new relationship
// param $agency: str|null - the agency the load runs for: an endpoint it may not see counts as
//   missing (null: an operator's own load, every endpoint counts)
// placeholder type: relationship
// returns: one row {exceptions}: a list of {id, linked, props}, one per row that was not created:
//   linked false when an endpoint is missing (nothing written), else props are the stored
//   properties. (One collected row, not a filtered stream: FalkorDB 4.16 moved a WHERE on these
//   rows ahead of the FOREACH, which then wrote nothing.)
UNWIND $rows AS row
OPTIONAL MATCH (a:Entity {id: row.start})
WHERE $agency IS NULL OR {{visible(a)}}
OPTIONAL MATCH (b:Entity {id: row.end})
WHERE $agency IS NULL OR {{visible(b)}}
OPTIONAL MATCH (a)-[old:{{type}} {id: row.id}]->(b)
WITH a, b, row, old, a IS NOT NULL AND b IS NOT NULL AS linked
FOREACH (_ IN CASE WHEN linked AND old IS NULL THEN [1] ELSE [] END |
  MERGE (a)-[r:{{type}} {id: row.id}]->(b)
  SET r += row.props
)
RETURN collect(CASE WHEN NOT linked OR old IS NOT NULL
  THEN {id: row.id, linked: linked, props: properties(old)} END) AS exceptions
