// Range index on the recordId of one relationship type: an FtM line's MOD or DEL looks for the
// CALLED its line drew by that id (ingest/links_drawn), for every renewed line whose last version
// is no node of its own, a plain DEL included; unindexed, each batch read every agency's CALLED
// (attack round a-87, 1: 3.5-5.7 s a batch of 5,000 DELs at 150,000 CALLED, past the statement
// limit at about 1.5 million). FalkorDB has no IF NOT EXISTS: "already indexed" is success.
// mode: schema
// placeholder type: relationship
CREATE INDEX FOR ()-[r:{{type}}]-() ON (r.recordId)
