// Number of relationships of one type ending at one node.
// mode: read
// param $id: str - Lintas node id
// placeholder type: relationship
// returns: one row {n: int}
MATCH (:Entity {id: $id})<-[r:{{type}}]-()
RETURN count(r) AS n
