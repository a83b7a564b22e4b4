// Entities written before searchPrefixes existed (graphapi/ingest/derive.py): their caption and
// searchText, for init_schema to derive the field once when it adds it to the full-text index.
// mode: read
// param $limit: int - at most this many per call
// returns: id, caption, searchText
MATCH (n:Entity)
WHERE n.searchPrefixes IS NULL
RETURN n.id AS id, coalesce(n.caption, '') AS caption, coalesce(n.searchText, '') AS searchText
LIMIT $limit
