// The links from the given holders to the identifier nodes their records made of their own values
// (an FtM Person's phone, her passportNumber's document: ingest/readers/ftm_nodes.py), of the load's
// source: a link of $types to a node of $labels every value of whose statement by that source a
// record that made such a link to it gave (its statement's recordIds are all those links'
// recordIds). A node a record of its own made (a Phone row, a document another source's line gave
// first under this source's name) is not one: it is that record's to withdraw; nor is an FtM
// UserAccount entity's node (its statement names its FtM id, `referents`), though the link
// its owner property made from the holder has its record's id. Read before a DEL
// or MOD takes the links, so the nodes can go with the record that made them (attack round 33, 3:
// her passport outlived her, found by every agency's search for its number).
// FalkorDB: with `(m:Entity)` labelled it scanned every Entity for m and traversed back to the
// holder (6.1 s for 500 holders, measured); unlabelled it starts at the holder's index (0.06 s).
// FalkorDB trap: `s STARTS WITH $source + ':'` parses as `(s STARTS WITH $source) + ':'`
// there (a type error, measured), hence the parentheses.
// mode: read
// param $ids: list[str] - the holders' Lintas node ids
// param $types: list[str] - the relationship types a record makes of its values (USES_PHONE, HOLDS_DOCUMENT)
// param $labels: list[str] - the labels of the nodes it makes so (Phone, IdentityDocument)
// param $source: str - dataset id withdrawing its assertion
// param $owner: str - agency id the load writes for
// param $scoped: bool - the source is the load's alone (see ingest/retract_nodes)
// returns: one row {holder, type, id, end} per such link
UNWIND $ids AS hid
MATCH (:Entity {id: hid})-[r]->(m)
WHERE type(r) IN $types AND any(l IN labels(m) WHERE l IN $labels)
  AND any(s IN coalesce(r.sources, []) WHERE s = $source OR s STARTS WITH ($source + ':'))
  AND ($scoped OR r.owner = $owner)
OPTIONAL MATCH (st:Statement {entity: m.id})
WHERE (st.source = $source OR st.source STARTS WITH ($source + ':')) AND ($scoped OR st.owner = $owner)
WITH hid, r, m, collect(st.recordId) AS lists, collect(st.property) AS props
WITH hid, r, m, reduce(acc = [], ids IN lists | acc + ids) AS said,
  any(ps IN props WHERE 'referents' IN ps) AS ownRecord
OPTIONAL MATCH (m)<-[l]-()
WHERE type(l) IN $types AND any(s IN coalesce(l.sources, []) WHERE s = $source OR s STARTS WITH ($source + ':'))
  AND ($scoped OR l.owner = $owner)
WITH hid, r, m, said, ownRecord, collect(l.recordId) AS linked
// FalkorDB: an aggregate's alias is read in a list predicate only after a WITH of its own (measured)
WITH hid, r, m, said, ownRecord, linked
WHERE size(said) > 0 AND all(x IN said WHERE x IN linked) AND NOT ownRecord
RETURN hid AS holder, type(r) AS type, r.id AS id, m.id AS end
