// Range index on PendingRecount.identifier: a recount note or its clear seeks its own ids, one
// node per noted identifier (graphapi/ingest/pending_recounts.py; attack round a-89, 6). FalkorDB
// has no IF NOT EXISTS: the store treats "already indexed" as success.
// mode: schema
CREATE INDEX FOR (r:PendingRecount) ON (r.identifier)
