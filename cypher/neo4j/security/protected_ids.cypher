// security/protected_ids for Neo4j: the same answer as cypher/security/protected_ids.cypher (its
// header says which entities carry a victim's identity and whose marks and links count), in the
// shape Neo4j's planner runs fast. There, the label test as an OR of labels became eight unique
// index seeks per id, and the OPTIONAL MATCH + MATCH walked every user of a shared phone or
// account and every mark of each; here each id is one seek and its rule an EXISTS that stops at
// the first victim it meets, with the CASE forms of the fragments (true exactly when the plain
// ones are; none is negated here) that keep planning short. Measured on the bench graph (scale
// 0.01, the 12 largest inputs of the neighbourhood bench, up to 1,481 ids): 56,000 -> 19,000 db
// hits and ~540 -> ~52 ms of server time a call.
// mode: read
// param $ids: list[str] - Lintas node ids (already shown to the viewer)
// param $agency: str|null - viewer's agency (only visible entities are answered for)
// returns: id
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})
WHERE any(label IN labels(n) WHERE label IN ['Person', 'Phone', 'UserAccount', 'BankAccount', 'IdentityDocument',
                                              'Device', 'CryptoWallet', 'Address'])
  AND {{visible_if(n)}}
  AND CASE WHEN n:Person THEN EXISTS {
             MATCH (n)-[r:INVOLVED_IN|HELD_AT]->()
             WHERE {{victim_mark_if(r)}}
           }
           ELSE EXISTS {
             MATCH (user:Person)-[link:USES_PHONE|HAS_ACCOUNT|HOLDS_ACCOUNT|HOLDS_DOCUMENT|USES_DEVICE|CONTROLS_WALLET|LOCATED_AT]->(n)
             WHERE {{identifier_link_if(link)}}
               AND EXISTS {
                 MATCH (user)-[r:INVOLVED_IN|HELD_AT]->()
                 WHERE {{victim_mark_if(r)}}
               }
           } END
RETURN DISTINCT n.id AS id
