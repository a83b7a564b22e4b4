// The owner, level and sources of every relationship on the given nodes: a node a DEL left with
// no statement and no source, kept only as the end of other relationships, is held at the widest
// of them as their placeholder (graphapi/ingest/relevel.py). No visibility: the loader's own
// bookkeeping, never answered to a caller.
// mode: read
// param $ids: list[str] - Lintas node ids
// returns: one row {id, owner, tlp, sharedWith, sources, heldApart, firstSeen} per relationship on each node
//   (id: the node's)
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})-[x]-()
RETURN nid AS id, x.owner AS owner, x.tlp AS tlp, x.sharedWith AS sharedWith, x.sources AS sources,
  x.heldApart AS heldApart, x.firstSeen AS firstSeen
