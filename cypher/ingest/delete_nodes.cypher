// Delete the nodes nothing asserts once a delta DEL's load withdraws: no source but the load's own
// (and its "<source>:<dataset>" sources) left in their `sources`, whoever owns them - the load's
// source counts as its own on another owner's node when it is scoped (an agency's "<name>@<owner>")
// - and carrying no relationship that any other owner or source asserted. A node whose `sources`
// are already empty (its last source withdrawn while another's statement kept it, before the last
// statement went) goes with a DEL of its owner or of that statement's source (attack round 23, C1:
// a node outlived its last statement when a source that did not own it retracted it). Their relationships (the load's own, by that rule) go
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
// param $scoped: bool - the source is the load's alone (see ingest/retract_nodes)
// param $retracted: list[str] - the node ids whose statements this DEL has just deleted
// param $mark: str - the batch's pending mark (provenance/retract_statements), where what this deletes
//   is kept: run again (a kill, a lost reply) it deletes nothing and the follow-ups still need it
//   (attack round 37, 5: a placeholder and the links' statements were left, counted 0)
// returns: one row {gone: list[str], links: list[str], ends: list[str], unnamed: int}: on the mark, every
//   node deleted under it, the relationships deleted with them (their ids, whose statements the loader
//   deletes next, a link between two of the nodes once), their other ends' ids (where a placeholder
//   left with no link goes next; read before the delete, as Neo4j refuses a deleted relationship's
//   properties), and how many of those carried no id
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})
WHERE ($source IN n.sources OR (size(coalesce(n.sources, [])) = 0 AND (n.owner = $owner OR nid IN $retracted)))
  AND size([s IN coalesce(n.sources, []) WHERE NOT ((s = $source OR s STARTS WITH ($source + ':'))
    AND ($scoped OR n.owner = $owner))]) = 0
OPTIONAL MATCH (said:Statement {entity: nid})
WITH n, nid, count(said) AS statements
WHERE statements = 0
OPTIONAL MATCH (n)-[x]-()
WITH n, nid, collect(DISTINCT x) AS links
WHERE size([x IN links WHERE x.owner IS NULL OR x.sources IS NULL
  OR size([s IN x.sources WHERE NOT ((s = $source OR s STARTS WITH ($source + ':'))
    AND ($scoped OR x.owner = $owner))]) > 0]) = 0
UNWIND (CASE WHEN size(links) = 0 THEN [null] ELSE links END) AS link
OPTIONAL MATCH (other:Statement {entity: link.id})
WHERE NOT ((other.source = $source OR other.source STARTS WITH ($source + ':')) AND ($scoped OR other.owner = $owner))
WITH n, nid, collect(DISTINCT link) AS links, count(other) AS foreign
WHERE foreign = 0
WITH n, nid, [x IN links | x.id] AS ids,
     [x IN links | CASE WHEN startNode(x) = n THEN endNode(x).id ELSE startNode(x).id END] AS ends
DETACH DELETE n
// one row per link (one with none for a node without), collected flat: a reduce() of the lists
// copied them over and over (2.0 s for 3,000 nodes against 0.4 s)
WITH nid, ids, ends
UNWIND (CASE WHEN size(ids) = 0 THEN [-1] ELSE range(0, size(ids) - 1) END) AS i
WITH nid, i, CASE WHEN i < 0 THEN null ELSE ids[i] END AS link, CASE WHEN i < 0 THEN null ELSE ends[i] END AS end
WITH collect(DISTINCT nid) AS gone, collect(link) AS links, collect(end) AS ends,
     sum(CASE WHEN i >= 0 AND link IS NULL THEN 1 ELSE 0 END) AS unnamed
// appended: a run deletes only what is left, so no item twice (a link between two of the nodes is in
// both their lists: the loader counts it once)
MATCH (p:PendingRetraction {id: $mark})
SET p.gone = coalesce(p.gone, []) + gone, p.links = coalesce(p.links, []) + links,
  p.ends = coalesce(p.ends, []) + ends, p.unnamed = coalesce(p.unnamed, 0) + unnamed
RETURN p.gone AS gone, p.links AS links, p.ends AS ends, p.unnamed AS unnamed
