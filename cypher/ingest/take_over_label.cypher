// Take one label off nodes a record of another label takes over (a held-apart node, or another
// agency's placeholder, that answers as missing to the record's owner): the node is made anew
// under the record's label, as on an id nobody loaded (attack round 30b, H1). Run once per label
// of the stored chain that the record's chain lacks; the new chain is set by the same statement.
// mode: write
// param $rows: list[{id: str}] - the nodes taken over
// placeholder gone: label
// placeholder labels: labels
// returns: one row {id} per node relabelled
UNWIND $rows AS row
MATCH (n:Entity {id: row.id})
REMOVE n:{{gone}}
SET n:{{labels}}
RETURN row.id AS id
