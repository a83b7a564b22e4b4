// Neo4j's security/quarantined_identifier_count (same parameters and result; keep the two in step)
// with USING INDEX SEEK on Entity.inQuarantine: with the statistics stale, Neo4j split the
// visibility test's OR into seeks of the tlp and owner indexes and read every node the reader
// may see (2,000 rows for 2 quarantined).
// How many identifiers security/quarantined_identifiers lists for the reader $agency, all pages:
// the same rule (visible, quarantined for the reader, a victim's left out without victim-data).
// Sought through the index on Entity.inQuarantine: the work follows the quarantined, not the graph.
// mode: read
// param $agency: str|null - reader's agency (visibility, its own mark)
// param $victimData: bool - the reader holds victim-data
// returns: n: int
MATCH (n:Entity)
USING INDEX SEEK n:Entity(inQuarantine)
WHERE n.inQuarantine = 1 AND {{visible(n)}} AND {{quarantined(n)}}
OPTIONAL MATCH (user:Person)-[link:USES_PHONE|HAS_ACCOUNT|HOLDS_ACCOUNT|HOLDS_DOCUMENT|USES_DEVICE|CONTROLS_WALLET|LOCATED_AT]->(n)
WHERE NOT $victimData AND {{identifier_link(link)}}
WITH n, CASE WHEN user IS NULL THEN 0 ELSE size([(user)-[r:INVOLVED_IN|HELD_AT]->(c)
       WHERE {{victim_mark(r)}} | 1]) END AS marks
WITH n, sum(marks) AS marks
WHERE marks = 0
RETURN count(n) AS n
