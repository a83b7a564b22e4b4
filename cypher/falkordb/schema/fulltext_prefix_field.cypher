// Adds the edge n-gram field searchPrefixes (graphapi/ingest/derive.py) to the full-text index:
// a prefix search is an exact term there, never a prefix expansion, which RediSearch caps at 200
// indexed words (hidden ones included). A store created before the field gets it here.
// mode: schema
CALL db.idx.fulltext.createNodeIndex('Entity', 'searchPrefixes')
