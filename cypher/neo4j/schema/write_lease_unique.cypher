// The store's write lease is one node per name (graphapi/ingest/write_lease.py): the constraint
// makes two writers' first MERGE of it meet on one node.
// mode: schema
CREATE CONSTRAINT write_lease_id IF NOT EXISTS FOR (l:WriteLease) REQUIRE l.id IS UNIQUE
