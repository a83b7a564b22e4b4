// Full-text index over captions, search text (names and their search words, identifier variants)
// and the names' Latin spellings.
// mode: schema
CREATE FULLTEXT INDEX entity_search IF NOT EXISTS FOR (n:Entity) ON EACH [n.caption, n.searchText, n.searchLatin]
