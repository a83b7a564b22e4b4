// Full-text index over captions and search text (RediSearch under FalkorDB). No stemming and
// no stopwords: names and identifiers are not English prose.
// mode: schema
CALL db.idx.fulltext.createNodeIndex({label: 'Entity', stopwords: [''], language: 'english'}, 'caption', 'searchText')
