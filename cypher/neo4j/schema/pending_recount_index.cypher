// Range index on PendingRecount.identifier: a recount note or its clear seeks its own ids, one
// node per noted identifier (graphapi/ingest/pending_recounts.py; attack round a-89, 6).
// mode: schema
CREATE INDEX pending_recount_identifier IF NOT EXISTS FOR (r:PendingRecount) ON (r.identifier)
