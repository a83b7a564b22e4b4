// The loader's cheap look before it reads stored nodes back: which of a batch of node ids exist,
// their labels, and whether the stored node already holds each value a record brings (then the
// record changes nothing and the node is neither read back nor written). ingest/existing_nodes
// then reads only the nodes that may change (properties() is the costly part).
// mode: read
// param $rows: list[{id: str, props: map|null}] - the record's own properties (provenance
//   stamped, not merged; list properties as lists); null when the loader reads the node anyway
// returns: one row {id, labels, same: bool} per stored node; ids not stored are absent. same:
//   props given, the node is no placeholder, and each of the record's values equals the stored one
UNWIND $rows AS row
MATCH (n:Entity {id: row.id})
RETURN n.id AS id, labels(n) AS labels,
  row.props IS NOT NULL AND n.unresolved IS NULL AND all(k IN keys(row.props) WHERE n[k] = row.props[k]) AS same
