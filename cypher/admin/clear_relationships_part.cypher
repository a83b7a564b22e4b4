// Delete up to $limit relationships: one part of clearing a big graph (graphapi/store/clearing.py:
// one transaction over every item filled Neo4j's 1 GiB heap). Indexes and constraints stay.
// FalkorDB trap: count(r) after DELETE r answers null there (measured); count(*) counts the rows.
// mode: write
// param $limit: int - relationships deleted at most
// returns: one row {deleted: int}
MATCH ()-[r]->()
WITH r LIMIT $limit
DELETE r
RETURN count(*) AS deleted
