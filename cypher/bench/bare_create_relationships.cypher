// The engine's own floor for writing relationships, for `lintas bench`'s store ceiling only:
// each row's two endpoints found by the unique id index and one relationship created, with the
// same properties the writer stamps but none of its checks (no visibility of the endpoints, no
// look-up of a stored relationship, nothing returned). What no loader statement can beat.
// mode: write
// param $rows: list[{id: str, start: str, end: str, props: map}] - prepared relationship rows
// placeholder type: relationship
UNWIND $rows AS row
MATCH (a:Entity {id: row.start})
MATCH (b:Entity {id: row.end})
CREATE (a)-[r:{{type}}]->(b)
SET r += row.props, r.id = row.id
