// Full-text index over captions and search text (names, aliases, identifier variants).
// mode: schema
CREATE FULLTEXT INDEX entity_search IF NOT EXISTS FOR (n:Entity) ON EACH [n.caption, n.searchText]
