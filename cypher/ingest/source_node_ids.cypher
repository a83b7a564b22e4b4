// The nodes a source asserts, for a whole-source replace (graphapi/ingest/replacement.py): those
// the replacing load did not assert again are retracted as a delta DEL of them would be. The
// same nodes a DEL's ingest/retract_nodes would withdraw the source from (the load's source is
// in `sources` of everything it wrote, its datasets' "<source>:<dataset>" beside it). With them,
// in the same scan, the load's own victims' items a victim-blind load of the source was told
// created (`blindSaid`, graphapi/ingest/blind_values.py): one the replace no longer states loses
// the source there too, as it loses the source's statements (with its "<source>:<dataset>"
// entries, which loads before attack round a-65 marked).
// mode: read
// param $source: str - the replacing load's source (dataset id)
// param $agency: str - the agency the source speaks for (blind_values.source_agency): the blind
//   marks are by agency (attack round a-67, 3), the source's own entries those of loads before it
// param $owner: str - agency id the replacing load writes for
// param $scoped: bool - the source is the load's alone ("<name>@<owner>": an agency's load, any
//   lintas load ofac|ftm|csv): its nodes
//   whoever owns them; false (an operator's load): only nodes of $owner
// And the holders' `blindDiverted` entries of the source (graphapi/ingest/blind_diverted.py: its
// blind loads' links to their victims' quarantined identifiers, kept out by the circuit breaker):
// one whose link the replace no longer states goes, told deleted as the link would be.
// returns: rows {id, stated, blind, known, diverted, shadow}: stated if the source asserts the node,
//   blind if it is in the node's blindSaid, known if in its blindKnown (kept there by a replace),
//   diverted the node's blindDiverted entries of the source, shadow its blindShadow (the item its
//   agency's blind records made, whose sources say which of them said it: a-67, 3)
MATCH (n:Entity)
WITH n, ($source IN n.sources AND ($scoped OR n.owner = $owner)) AS stated,
     any(s IN coalesce(n.blindSaid, []) WHERE s = $agency OR s = $source OR (s STARTS WITH ($source + ':'))) AS blind,
     ($agency IN coalesce(n.blindKnown, []) OR $source IN coalesce(n.blindKnown, [])) AS known,
     [e IN coalesce(n.blindDiverted, []) WHERE e STARTS WITH ('["' + $agency + '",') OR e STARTS WITH ('["' + $source + '",')] AS diverted
WHERE stated OR blind OR size(diverted) > 0
RETURN n.id AS id, stated, blind, known, diverted, CASE WHEN blind THEN n.blindShadow END AS shadow
