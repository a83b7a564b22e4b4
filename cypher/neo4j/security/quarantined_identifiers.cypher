// Neo4j's security/quarantined_identifiers (same parameters and result; keep the two in step)
// with USING INDEX SEEK on Entity.inQuarantine: with the statistics stale, Neo4j split the
// visibility test's OR into seeks of the tlp and owner indexes and read every node the reader
// may see (2,000 rows for 2 quarantined).
// The identifiers quarantined for the reader $agency (fragment quarantined: the public flag, or its
// own agency's mark; another agency's mark is never read) that the reader may see, by id: a page of
// them from $skip, or (with $skip 0 and $limit past the count) all of them to count
// (graphapi/investigate/quarantined.py). A victim's identifier (a phone, account, document...
// a victim uses: the rules of security/protected_ids) is left out for a reader without
// victim-data, as search and the map leave it out: its place in an order by id would say its number.
// Sought through the index on Entity.inQuarantine: the work follows the quarantined, not the graph.
// mode: read
// param $agency: str|null - reader's agency (visibility, its own mark)
// param $victimData: bool - the reader holds victim-data
// param $skip: int - identifiers before the page
// param $limit: int - identifiers at most
// returns: node {id, labels, properties}
MATCH (n:Entity)
USING INDEX SEEK n:Entity(inQuarantine)
WHERE n.inQuarantine = 1 AND {{visible(n)}} AND {{quarantined(n)}}
OPTIONAL MATCH (user:Person)-[link:USES_PHONE|HAS_ACCOUNT|HOLDS_ACCOUNT|HOLDS_DOCUMENT|USES_DEVICE|CONTROLS_WALLET|LOCATED_AT]->(n)
WHERE NOT $victimData AND {{identifier_link(link)}}
WITH n, CASE WHEN user IS NULL THEN 0 ELSE size([(user)-[r:INVOLVED_IN|HELD_AT]->(c)
       WHERE {{victim_mark(r)}} | 1]) END AS marks
WITH n, sum(marks) AS marks
WHERE marks = 0
WITH n ORDER BY n.id SKIP $skip LIMIT $limit
RETURN {id: n.id, labels: labels(n), properties: properties(n)} AS node
