// Range index on the write lease's id (graphapi/ingest/write_lease.py), made by init_schema so
// that the WriteLease label exists before any writer takes a lease: FalkorDB plans a query
// while another runs, and two first MERGEs of a lease, planned before the label existed, each
// created a node of their own and both held "the" lease (the unique constraint init_schema adds
// next turns any such pair into an error, never two holders). FalkorDB has no IF NOT EXISTS:
// the store treats "already indexed" as success. (Neo4j: neo4j/schema/write_lease_unique.)
// mode: schema
CREATE INDEX FOR (l:WriteLease) ON (l.id)
