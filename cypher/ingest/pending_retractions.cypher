// The retractions a writer left pending (provenance/retract_statements marked them; a load
// killed before it rebuilt the items): the next writer finishes them
// (graphapi/ingest/pending_retractions.py), and `lintas admin pending` lists them.
// In the order they were made (seq, one past every mark standing when it was made; marks made
// before seq existed first, by id): a later mark waits for an earlier one its finish would
// conflict with (attack round 43a, 2: by id alone, a uuid4, "earlier" was a coin flip).
// No viewer: the loader's own bookkeeping.
// mode: read
// returns: one row {id, type, source, owner, scoped: bool, ids: list[str], said: list[str], release: bool|null,
//   made: list[str]|null, gone: list[str]|null, links: list[str]|null, ends: list[str]|null,
//   reowned: list[str]|null, away: list[str]|null, unseen: list[str]|null (nodes a killed run re-owned:
//   ingest/relevel_nodes), referred: list[str]|null, referrer: str|null (a replace's rebuild mark: the nodes
//   it only refers to now, and its source: ingest/mark_rebuild),
//   attempts: int|null, lastError: str|null, firstFailed: str|null, lastFailed: str|null, seq: int} per mark,
//   oldest first
MATCH (p:PendingRetraction)
RETURN p.id AS id, p.type AS type, p.source AS source, p.owner AS owner, p.scoped AS scoped,
  p.ids AS ids, p.said AS said, p.release AS release, p.made AS made,
  p.gone AS gone, p.links AS links, p.ends AS ends, p.reowned AS reowned,
  p.away AS away, p.unseen AS unseen, p.referred AS referred, p.referrer AS referrer,
  p.attempts AS attempts, p.last_error AS lastError, p.first_failed AS firstFailed, p.last_failed AS lastFailed,
  coalesce(p.seq, 0) AS seq
ORDER BY seq, id
