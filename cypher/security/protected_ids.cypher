// Which of the given visible entities carry a victim's identity: a Person who is a victim, or a
// Phone or UserAccount such a person uses (USES_PHONE, HAS_ACCOUNT).
// A victim mark (INVOLVED_IN {role: 'victim'}, HELD_AT {role: 'trafficked'}) counts if the
// person's owner asserted it (hidden or not: the owner protecting its victim), or if the reader
// may see it and its case / compound. Another agency's hidden mark never counts: else any
// loader could hide any person from everyone with one RED case (redaction poisoning). The
// identifier link (USES_PHONE, HAS_ACCOUNT) follows the same rule.
// FalkorDB traps: a pattern comprehension inside a list comprehension's WHERE is always true
// there, and one nested in another's WHERE is refused (measured), so each person is its own row.
// mode: read
// param $ids: list[str] - Lintas node ids (already shown to the viewer)
// param $agency: str|null - viewer's agency (only visible entities are answered for)
// returns: id
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})
WHERE {{visible(n)}} AND (n:Person OR n:Phone OR n:UserAccount)
OPTIONAL MATCH (user:Person)-[link:USES_PHONE|HAS_ACCOUNT]->(n)
WHERE link.owner = user.owner OR {{visible(link)}}
WITH n, CASE WHEN n:Person THEN n ELSE user END AS p
WHERE p IS NOT NULL
WITH n, size([(p)-[r:INVOLVED_IN|HELD_AT]->(c) WHERE {{victim_mark(r)}}
                AND (r.owner = p.owner OR ({{visible(r)}} AND {{visible(c)}})) | 1]) AS marks
WHERE marks > 0
RETURN DISTINCT n.id AS id
