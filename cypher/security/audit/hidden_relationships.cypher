// Which of the given relationship ids are stored but hidden from the viewer: the relationship or
// one of its ends fails the TLP rule. Audit entries shown to an auditor mask them
// (graphapi/security/trail.py); node ids go through security/lookup/restricted_by_ids.
// Relationships have no id index: this scans them, so the caller sends only ids shaped like a
// relationship id (<type>:<20 hex>), and only when an audit page names some.
// mode: read
// param $ids: list[str] - relationship ids named in audit entries
// param $agency: str|null - the reader's agency (visibility)
// returns: id
MATCH (a:Entity)-[r]->(b:Entity)
WHERE r.id IN $ids AND NOT coalesce({{visible(r)}} AND {{visible(a)}} AND {{visible(b)}}, false)
RETURN r.id AS id
