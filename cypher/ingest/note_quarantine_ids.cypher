// The quarantined identifiers $ids (read by ingest/quarantined_near: the ends of linking
// relationships a load relevelled, and those linked to holders it relevelled) noted on the one
// `PendingRecount` node, to recount once the load's writes are done
// (graphapi/ingest/pending_recounts.py): a relevel narrowing a link or holder takes it from some
// views as a retraction does (attack round a-62, 7: an owner's --replace reload at RED narrowed
// its GREEN links in place, and the flag they made stayed). On a `PendingRecount` node of their own
// (graphapi/ingest/pending_widenings.py), any identifier a widening write may take past the limit,
// noted before that write, unnoted once the breaker counted it (attack round a-82, 4 and 5).
// Internal: never shown to a reader.
// mode: write
// param $id: str - the PendingRecount node's id (graphapi.ingest.pending_recounts.RECOUNT_ID)
// param $ids: list[str] - identifier node ids to note (not empty)
// returns: one row {ids: list[str]} (every id noted so far)
MERGE (r:PendingRecount {id: $id})
WITH r, coalesce(r.ids, []) AS noted
SET r.ids = noted + [x IN $ids WHERE NOT x IN noted]
RETURN r.ids AS ids
