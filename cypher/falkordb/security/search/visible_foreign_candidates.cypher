// Hit / no-hit, the other half: candidates for a whole-name or whole-identifier match among the
// entities of OTHER agencies the viewer may see that could carry a victim's identity (a person,
// or what a person uses). graphapi/security/hits.py keeps the whole matches that are protected
// for the viewer (a victim, a victim's phone: security/protected_ids) and answers their owners as
// hits, as an ingest of them is one: the two channels agree (attack round 6, G3: restrictedHits
// answered "unknown" where ingest answered "restricted", which told a victim apart).
// mode: read
// param $query: str - full-text query of whole words built by investigate/search.py
// param $names: list[str] - name-typed searchable properties (investigate/matching.py)
// param $identifiers: list[str] - identifier-like searchable properties
// param $phrases: list[str] - the whole text as a name (investigate/search.py ranking_params)
// param $keys: list[str] - the whole text as an identifier: upper-case, without separators
// param $limit: int - at most this many candidates
// param $agency: str|null - viewer's agency (visibility; its own entities are not candidates)
// returns: id, agency (owner id), names, identifiers (values, lists flattened by the caller)
CALL db.idx.fulltext.queryNodes('Entity', $query) YIELD node
WITH node
WHERE coalesce({{visible(node)}}, false) AND node.owner IS NOT NULL AND node.owner <> coalesce($agency, '')
  AND (node:Person OR node:Phone OR node:UserAccount OR node:BankAccount OR node:IdentityDocument
       OR node:Device OR node:CryptoWallet OR node:Address)
WITH node, CASE WHEN any(p IN $phrases WHERE coalesce(node.searchNames, '') CONTAINS ('|' + p + '|'))
            OR any(k IN $keys WHERE k IN split(toUpper(coalesce(node.searchText, '')), ' '))
          THEN 0 ELSE 1 END AS rank
WHERE rank = 0
WITH node
ORDER BY node.id
LIMIT $limit
RETURN node.id AS id, node.owner AS agency, [p IN $names | node[p]] AS names,
       [p IN $identifiers | node[p]] AS identifiers
