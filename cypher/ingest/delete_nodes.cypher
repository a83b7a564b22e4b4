// Delete the nodes a delta DEL's load alone asserted: owned by the load's owner, asserted by no
// source but the load's own (and its "<source>:<dataset>" sources), and carrying no relationship
// that any other owner or source asserted. Their relationships (the load's own, by that rule) go
// with them and are counted, unless another source or owner has a statement about one of them
// (another agency's AMBER assertion of the link, which its `sources` does not show). A node
// some other source still has a statement about (another
// agency's AMBER assertion, which `sources` does not show; provenance/retract_statements has
// deleted the load's own first) stays too. The others keep their node: ingest/retract_nodes
// withdraws the source from them.
// FalkorDB trap: `s STARTS WITH $source + ':'` parses as `(s STARTS WITH $source) + ':'`
// there (a type error, measured), hence the parentheses.
// mode: write
// param $ids: list[str] - Lintas node ids
// param $source: str - dataset id withdrawing its assertion
// param $owner: str - agency id the deleting load writes for
// returns: one row {id, relationships: int, links: list[str]} per node deleted (the relationships
//   deleted with it: how many, and their ids, whose statements the loader deletes next; read
//   before the delete, as Neo4j refuses a deleted relationship's properties)
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})
WHERE n.owner = $owner AND $source IN n.sources
  AND size([s IN n.sources WHERE s <> $source AND NOT (s STARTS WITH ($source + ':'))]) = 0
OPTIONAL MATCH (said:Statement {entity: nid})
WITH n, nid, count(said) AS statements
WHERE statements = 0
OPTIONAL MATCH (n)-[x]-()
WITH n, nid, collect(DISTINCT x) AS links
WHERE size([x IN links WHERE x.owner IS NULL OR x.owner <> $owner OR x.sources IS NULL
  OR size([s IN x.sources WHERE s <> $source AND NOT (s STARTS WITH ($source + ':'))]) > 0]) = 0
UNWIND (CASE WHEN size(links) = 0 THEN [null] ELSE links END) AS link
OPTIONAL MATCH (other:Statement {entity: link.id})
WHERE other.owner <> $owner OR NOT (other.source = $source OR other.source STARTS WITH ($source + ':'))
WITH n, nid, collect(DISTINCT link) AS links, count(other) AS foreign
WHERE foreign = 0
WITH n, nid, size(links) AS relationships, [x IN links | x.id] AS links
DETACH DELETE n
RETURN nid AS id, relationships, links
