// Drop the full-text index, so that init-db creates it again over today's properties (an index
// made before searchLatin existed does not index it, and CREATE ... IF NOT EXISTS keeps it as it is).
// mode: schema
DROP INDEX entity_search IF EXISTS
