// Adds searchAudience (graphapi/store/search_audience.py: who may see the entity, as tokens) to the
// full-text index, so search/fulltext asks the engine for the reader's visible entities only. A
// store created before the field gets it here (and init_schema backfills it).
// mode: schema
CALL db.idx.fulltext.createNodeIndex('Entity', 'searchAudience')
