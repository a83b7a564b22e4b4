// The ends of the given relationships that the viewer may see (with both ends): audit entries
// shown to an auditor without victim-data show a relationship touching a victim by its token
// (graphapi/security/trail.py). Like hidden_relationships, a scan: the caller sends only ids
// shaped like a relationship id (<type>:<20 hex>), and only when an audit page names some.
// mode: read
// param $ids: list[str] - relationship ids named in audit entries
// param $agency: str|null - the reader's agency (visibility)
// returns: id, start, end (the ends' ids)
MATCH (a:Entity)-[r]->(b:Entity)
WHERE r.id IN $ids AND {{visible(r)}} AND {{visible(a)}} AND {{visible(b)}}
RETURN r.id AS id, a.id AS start, b.id AS end
