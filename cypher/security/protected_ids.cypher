// Which of the given visible entities carry a victim's identity: a Person who is a victim, or a
// Phone, UserAccount, BankAccount, IdentityDocument, Device, CryptoWallet or Address such a person
// uses (USES_PHONE, HAS_ACCOUNT, HOLDS_ACCOUNT, HOLDS_DOCUMENT, USES_DEVICE, CONTROLS_WALLET,
// LOCATED_AT: their home).
// Whose marks and links count for the reader: fragments victim_mark and identifier_link (the
// protected entity's owner's always; another agency's only if visible and the reader is not of
// the protected entity's owner agency: no redaction poisoning).
// FalkorDB traps: a pattern comprehension inside a list comprehension's WHERE is always true
// there, and one nested in another's WHERE is refused (measured), so each person is its own row.
// Speed (FalkorDB, 983 ids around a mule account of the bench graph): a WHERE on the OPTIONAL
// MATCH, or in a pattern comprehension, turns the traversal into a per-row filter, 190 ms; the
// link rule as a CASE and the victim mark as a plain MATCH, the same answer in 19 ms.
// mode: read
// param $ids: list[str] - Lintas node ids (already shown to the viewer)
// param $agency: str|null - viewer's agency (only visible entities are answered for)
// returns: id
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})
WHERE {{visible(n)}} AND (n:Person OR n:Phone OR n:UserAccount OR n:BankAccount OR n:IdentityDocument
                        OR n:Device OR n:CryptoWallet OR n:Address)
OPTIONAL MATCH (user:Person)-[link:USES_PHONE|HAS_ACCOUNT|HOLDS_ACCOUNT|HOLDS_DOCUMENT|USES_DEVICE|CONTROLS_WALLET|LOCATED_AT]->(n)
WITH n, CASE WHEN n:Person THEN n WHEN {{identifier_link(link)}} THEN user END AS p
WHERE p IS NOT NULL
MATCH (p)-[r:INVOLVED_IN|HELD_AT]->()
WHERE {{victim_mark(r)}}
RETURN DISTINCT n.id AS id
