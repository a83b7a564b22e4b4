// The visible nodes with the given ids, each with whether it is protected for the reader (a
// victim, a victim's phone, account, document, device, wallet or home: the rule of
// security/protected_ids, fragments victim_mark and identifier_link), so the GraphQL layer and
// the services that order by the ids shown need no second round trip; hidden and unknown ids are
// simply absent.
// Speed (FalkorDB): as security/protected_ids, the link rule is a CASE and the victim mark is
// tested after the traversal, not in a WHERE of an OPTIONAL MATCH (which made each a per-row
// filter): on the bench graph (scale 0.01, 2-hop expands of ~80 nodes) 30 -> ~5 ms a call.
// mode: read
// param $ids: list[str] - Lintas node ids
// param $agency: str|null - viewer's agency (visibility; whose marks and links count)
// returns: node {id, labels, properties}, protected (bool)
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})
WHERE {{visible(n)}}
OPTIONAL MATCH (user:Person)-[link:USES_PHONE|HAS_ACCOUNT|HOLDS_ACCOUNT|HOLDS_DOCUMENT|USES_DEVICE|CONTROLS_WALLET|LOCATED_AT]->(n)
WITH n, CASE WHEN n:Person THEN n
             WHEN (n:Phone OR n:UserAccount OR n:BankAccount OR n:IdentityDocument OR n:Device OR n:CryptoWallet
                   OR n:Address) AND {{identifier_link(link)}} THEN user END AS who
OPTIONAL MATCH (who)-[m:INVOLVED_IN|HELD_AT]->()
WITH n, CASE WHEN {{victim_mark(m)}} THEN 1 ELSE 0 END AS mark
WITH n, sum(mark) > 0 AS protected
RETURN {id: n.id, labels: labels(n), properties: properties(n)} AS node, protected
