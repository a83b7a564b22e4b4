// The loader's cheap look before it reads stored nodes back: which of a batch of node ids exist,
// their labels, and whether the stored node already holds what a record brings (then the record
// changes nothing, or only adds its source, and the node is not read back). ingest/existing_nodes
// then reads only the nodes whose merge needs the loader (properties() is the costly part).
// mode: read
// param $rows: list[{id: str, props: map|null}] - the record's own properties (provenance
//   stamped, not merged; list properties as lists); null when the loader reads the node anyway
// returns: one row {id, labels, same: bool, sources_only: bool} per stored node; ids not stored
//   are absent. Both false unless props are given and the node is no placeholder, not held apart and keeps
//   no share (its owner's record is widened by them: graphapi/security/kept_shares.py). same: each of
//   the record's values equals the stored one, and its sources are stored; sources_only: the same
//   but for sources the node lacks (ingest/add_node_sources writes them)
UNWIND $rows AS row
MATCH (n:Entity {id: row.id})
WITH n, row, row.props IS NOT NULL AND n.unresolved IS NULL AND n.heldApart IS NULL AND n.shares IS NULL
  AND all(k IN keys(row.props) WHERE k = 'sources' OR n[k] = row.props[k]) AS alike
WITH n, alike, alike AND all(s IN coalesce(row.props.sources, []) WHERE s IN n.sources) AS known
RETURN n.id AS id, labels(n) AS labels, coalesce(known, false) AS same,
  coalesce(alike AND NOT known, false) AS sources_only
