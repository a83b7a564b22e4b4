// Full-text index over captions, search text (names and their search words, identifier variants),
// the names' Latin spellings and who may see the entity (searchAudience: graphapi/store/search_audience.py).
// mode: schema
CREATE FULLTEXT INDEX entity_search IF NOT EXISTS FOR (n:Entity) ON EACH [n.caption, n.searchText, n.searchLatin, n.searchAudience]
