// The relationships the acting agency owns between the given nodes and nodes a viewer agency can
// see (either direction), and whether the viewer sees the relationship itself: share
// (graphapi/security/share.py) reads them for the acting agency and for each agency shared with,
// and shares those whose far end both see and the receiving agency does not see yet, so a person
// granted on an access request shows its crossings to a public checkpoint (new-user trial 6). A
// far end hidden from the viewer (the owner's other hidden nodes, a third agency's) is never
// answered; asking the acting agency too keeps a third agency's node it cannot see out of its
// share result (whether that agency shared it with the receiver is not the acting agency's to
// learn). Far ends among the given nodes come back too and are dropped by the caller (a list scan
// per relationship in Cypher: security/owned_relationships_from).
// mode: read
// param $ids: list[str] - Lintas node ids being shared
// param $owner: str - the acting agency; only its relationships
// param $agency: str - the viewer agency (visibility of the far end and of the relationship)
// returns: id, type, start, end, far (the far end's id), shown (the viewer sees the relationship)
UNWIND $ids AS nid
// the given node first, then its relationships: in one pattern FalkorDB started from every
// Entity the far-end filter might pass, per id (100 ids on 6.7k nodes ran past 30 s)
MATCH (a:Entity {id: nid})
WITH a
MATCH (a)-[r]-(b)
WHERE b:Entity AND r.owner = $owner AND {{visible(b)}}
RETURN r.id AS id, type(r) AS type, startNode(r).id AS start, endNode(r).id AS end, b.id AS far,
       coalesce({{visible(r)}}, false) AS shown
