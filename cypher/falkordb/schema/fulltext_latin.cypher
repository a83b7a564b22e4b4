// Add the names' Latin spellings to the Entity full-text index (RediSearch under FalkorDB). Its
// own call: it adds the field to an index made before searchLatin existed, and answers
// "already indexed" once it is there.
// mode: schema
CALL db.idx.fulltext.createNodeIndex('Entity', 'searchLatin')
