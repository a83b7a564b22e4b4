// Per given visible entity whose free text may name a victim, the names to redact in it: for an
// entity in a victim's neighbourhood (linked to the victim, or to a case the victim is in, through
// links the reader may see: a document, the case itself, a suspect whose notes name the victim)
// those victims' names; for a Person who is a victim (a relationship touching them) their own too. The victim rule is security/protected_ids' (fragment victim_mark).
// Names: name and aliases, passport / id / tax numbers, the E.164 numbers of the phones the
// victim uses, the numbers and IBANs of the bank accounts they hold, and the IMEIs of their
// devices, their wallets' addresses and their home addresses (visible links). Per victim
// at most 20 names and aliases (the name first) and 10 of each document number, of phones, of
// accounts and of devices, wallets and addresses together, so a
// loader's person with thousands of aliases costs nothing (graphapi/security/victim_names.py).
// Victims hidden from the viewer are not read: hidden data never changes what the viewer sees.
// mode: read
// param $ids: list[str] - Lintas node ids (already shown to the viewer)
// param $agency: str|null - viewer's agency (visibility)
// returns: id, names
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})
WHERE {{visible(n)}}
WITH n, [(n)-[l]-(x) WHERE (x:Person OR x:Case) AND {{visible(l)}} AND {{visible(x)}} | x] AS near
WITH n, CASE WHEN n:Person THEN [n] + near ELSE near END AS near
UNWIND near AS x
OPTIONAL MATCH (v:Person)-[cr:INVOLVED_IN]->(x)
WHERE x:Case AND {{visible(v)}} AND {{victim_mark(cr)}}
WITH DISTINCT n, CASE WHEN x:Person THEN x ELSE v END AS p
WHERE p IS NOT NULL
WITH n, p, size([(p)-[vr:INVOLVED_IN|HELD_AT]->(vc) WHERE {{victim_mark(vr)}} | 1]) AS marks
WHERE marks > 0
WITH n, p, [(p)-[u:USES_PHONE]->(ph:Phone) WHERE {{visible(u)}} AND {{visible(ph)}} | ph.number][..10] AS phones
WITH n, p, phones, [(p)-[h:HOLDS_ACCOUNT]->(a:BankAccount) WHERE {{visible(h)}} AND {{visible(a)}}
       | [a.accountNumber, a.iban]][..10] AS accounts
WITH n, p, phones, accounts, [(p)-[d:USES_DEVICE|CONTROLS_WALLET|LOCATED_AT]->(i)
       WHERE (i:Device OR i:CryptoWallet OR i:Address) AND {{visible(d)}} AND {{visible(i)}}
       | coalesce(i.imei, i.address, i.full)][..10] AS held
UNWIND ([p.name] + coalesce(p.alias, []))[..20] + coalesce(p.passportNumber, [])[..10]
       + coalesce(p.idNumber, [])[..10] + coalesce(p.taxNumber, [])[..10] + phones
       + reduce(all = [], pair IN accounts | all + pair) + held AS name
WITH n, name WHERE name IS NOT NULL
RETURN n.id AS id, collect(DISTINCT name) AS names
