// entity/shown_by_ids for Neo4j: the same answer as cypher/entity/shown_by_ids.cypher (its header
// says what protected means), with the protection rule in the EXISTS form of
// cypher/neo4j/security/protected_ids.cypher (one seek per id, each rule stops at the first
// victim it meets), which Neo4j runs far faster than the OPTIONAL MATCH form.
// mode: read
// param $ids: list[str] - Lintas node ids
// param $agency: str|null - viewer's agency (visibility; whose marks and links count)
// returns: node {id, labels, properties}, protected (bool)
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})
WHERE {{visible(n)}}
RETURN {id: n.id, labels: labels(n), properties: properties(n)} AS node,
       CASE WHEN n:Person THEN EXISTS {
              MATCH (n)-[r:INVOLVED_IN|HELD_AT]->()
              WHERE {{victim_mark_if(r)}}
            }
            WHEN n:Phone OR n:UserAccount OR n:BankAccount OR n:IdentityDocument OR n:Device OR n:CryptoWallet
                 OR n:Address THEN EXISTS {
              MATCH (user:Person)-[link:USES_PHONE|HAS_ACCOUNT|HOLDS_ACCOUNT|HOLDS_DOCUMENT|USES_DEVICE|CONTROLS_WALLET|LOCATED_AT]->(n)
              WHERE {{identifier_link_if(link)}}
                AND EXISTS {
                  MATCH (user)-[r:INVOLVED_IN|HELD_AT]->()
                  WHERE {{victim_mark_if(r)}}
                }
            }
            ELSE false END AS protected
