// The quarantined identifiers $ids (read by ingest/quarantined_near: the ends of linking
// relationships a load relevelled, and those linked to holders it relevelled) noted in the
// `PendingRecount` set $id, to recount once the load's writes are done
// (graphapi/ingest/pending_recounts.py): a relevel narrowing a link or holder takes it from some
// views as a retraction does (attack round a-62, 7: an owner's --replace reload at RED narrowed
// its GREEN links in place, and the flag they made stayed). In a set of their own
// (graphapi/ingest/pending_widenings.py), any identifier a widening write may take past the limit,
// noted before that write, unnoted once the breaker counted it (attack round a-82, 4 and 5).
// One node per noted identifier, found by its index: a note costs its own ids, whatever is noted
// already (one list on one node made each note scan it: quadratic, a-89, 6).
// Internal: never shown to a reader.
// mode: write
// param $id: str - the set's name (graphapi.ingest.pending_recounts.RECOUNT_ID)
// param $ids: list[str] - identifier node ids to note (not empty)
// returns: one row {noted: int} (the ids given)
UNWIND $ids AS x
MERGE (r:PendingRecount {identifier: x, id: $id})
RETURN count(*) AS noted
