// Delete up to $limit nodes and their relationships: one part of clearing a big graph, once its
// relationships went a part at a time (graphapi/store/clearing.py). Indexes and constraints stay.
// mode: write
// param $limit: int - nodes deleted at most
// returns: one row {deleted: int}
MATCH (n)
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted
