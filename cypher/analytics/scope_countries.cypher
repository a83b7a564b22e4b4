// The ISO 3166-1 alpha-2 codes each visible entity of a syndicate scope is tied to (its derived,
// index-only `countryCodes`), for the per-community summaries: one short list per entity instead
// of its property map. Entities tied to no country are absent.
// mode: read
// param $ids: list[str] - scope entity ids (already checked visible)
// param $agency: str|null - viewer's agency (visibility)
// returns: id, codes (list[str])
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})
WHERE n.countryCodes IS NOT NULL AND {{visible(n)}}
RETURN n.id AS id, n.countryCodes AS codes
