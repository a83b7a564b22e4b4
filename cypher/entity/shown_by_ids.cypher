// The visible nodes with the given ids, each with whether it is protected for the reader (a
// victim, a victim's phone, account, document, device, wallet or home: the rule of
// security/protected_ids, fragments victim_mark and identifier_link), so the GraphQL layer needs
// no second round trip to redact what it shows; hidden and unknown ids are simply absent.
// mode: read
// param $ids: list[str] - Lintas node ids
// param $agency: str|null - viewer's agency (visibility; whose marks and links count)
// returns: node {id, labels, properties}, protected (bool)
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})
WHERE {{visible(n)}}
OPTIONAL MATCH (user:Person)-[link:USES_PHONE|HAS_ACCOUNT|HOLDS_ACCOUNT|HOLDS_DOCUMENT|USES_DEVICE|CONTROLS_WALLET|LOCATED_AT]->(n)
WHERE (n:Phone OR n:UserAccount OR n:BankAccount OR n:IdentityDocument OR n:Device OR n:CryptoWallet OR n:Address)
  AND {{identifier_link(link)}}
WITH n, CASE WHEN n:Person THEN n ELSE user END AS who
WITH n, CASE WHEN who IS NULL THEN 0
             ELSE size([(who)-[m:INVOLVED_IN|HELD_AT]->(:Entity) WHERE {{victim_mark(m)}} | 1]) END AS marks
WITH n, sum(marks) > 0 AS protected
RETURN {id: n.id, labels: labels(n), properties: properties(n)} AS node, protected
