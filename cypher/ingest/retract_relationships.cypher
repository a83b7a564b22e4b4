// Withdraw a delta DEL's source, and its dataset sources ("<source>:<dataset>"), from
// relationships of one type that stay (another source or owner also asserts them).
// Each is sought through the type's relationship index on id (see ingest/delete_relationships).
// FalkorDB trap: `s STARTS WITH $source + ':'` parses as `(s STARTS WITH $source) + ':'`
// there (a type error, measured), hence the parentheses.
// mode: write
// param $ids: list[str] - Lintas relationship ids
// param $source: str - dataset id withdrawing its assertion
// param $owner: str - agency id the deleting load writes for
// param $scoped: bool - the source is the load's alone (see ingest/retract_nodes): withdrawn from
//   any relationship; false: only from relationships of $owner
// param $reowned: list[str]|null - items this retraction has just re-owned from $owner
//   (graphapi/ingest/relevel.py): still withdrawn from as $owner's
// Another owner's relationship whose `echoes` say the source is $owner's (a record of it holding
// no value: graphapi/ingest/echoes.py) is withdrawn from too (attack round 44a, 5).
// placeholder type: relationship
// returns: one row {id} per relationship the source was withdrawn from
UNWIND $ids AS rid
MATCH ()-[r:{{type}} {id: rid}]->()
WHERE $source IN r.sources AND ($scoped OR r.owner = $owner OR rid IN coalesce($reowned, [])
    OR ($owner + ' ' + $source) IN coalesce(r.echoes, []))
// a source another agency's echo names stays (sources are each agency's own: TH-DSI's DEL of its
// echo from 'opensanctions' took LA-POL's echo from a source of that name with it, attack round 45c, 5)
SET r.sources = [s IN r.sources WHERE NOT (s = $source OR s STARTS WITH ($source + ':'))
    OR size([e IN coalesce(r.echoes, []) WHERE split(e, ' ')[0] <> $owner
      AND substring(e, size(split(e, ' ')[0]) + 1) = s]) > 0]
// $owner's echo trace of a withdrawn source goes with it ("<agency> <source>", "<tlp> <shared> <agency>
// <source>"): a stale entry would let its DEL withdraw whoever names the source next
WITH r, rid, [e IN coalesce(r.echoes, []) WHERE NOT (split(e, ' ')[0] = $owner
    AND (substring(e, size(split(e, ' ')[0]) + 1) = $source
      OR substring(e, size(split(e, ' ')[0]) + 1) STARTS WITH ($source + ':')))] AS echoes,
  [e IN coalesce(r.echoLevels, []) WHERE NOT (split(e, ' ')[2] = $owner
    AND (substring(e, size(split(e, ' ')[0]) + size(split(e, ' ')[1]) + size(split(e, ' ')[2]) + 3) = $source
      OR substring(e, size(split(e, ' ')[0]) + size(split(e, ' ')[1]) + size(split(e, ' ')[2]) + 3)
        STARTS WITH ($source + ':')))] AS levels
// one removal per update (FalkorDB#1787: tests/store/test_one_removal_per_update.py)
SET r.echoes = CASE WHEN size(echoes) > 0 THEN echoes END
WITH r, rid, levels
SET r.echoLevels = CASE WHEN size(levels) > 0 THEN levels END
WITH r, rid
REMOVE r.digest
RETURN rid AS id
