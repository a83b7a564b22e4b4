// The loader's look before it reads stored statements back (as ingest/node_probe is for nodes):
// which statements of a batch the store already holds with everything the load would add to
// them: each (property, value) entry, first seen no later and last seen no earlier than the
// record says, and the same sharing. Those are neither read back nor written; the others come
// back whole for the loader's merge (graphapi/ingest/statement_store.py).
// mode: read
// param $rows: list[{id: str, tlp: str, sharedWith: list[str]|null, property: list[str], value: list[str], firstSeen: str, lastSeen: str}] - one statement of one record each: its entries as parallel lists, seen from firstSeen to lastSeen (ISO 8601 UTC)
// returns: one row {id, props} per stored statement; ids not stored are absent; props null when
//   the stored statement covers the record's, else its stored properties
UNWIND $rows AS row
MATCH (s:Statement {id: row.id})
WITH s, s.tlp = row.tlp AND coalesce(s.sharedWith, []) = coalesce(row.sharedWith, [])
  AND all(j IN range(0, size(row.property) - 1) WHERE any(i IN range(0, size(s.property) - 1)
    WHERE s.property[i] = row.property[j] AND s.value[i] = row.value[j]
      AND s.firstSeen[i] <= row.firstSeen AND s.lastSeen[i] >= row.lastSeen)) AS covered
RETURN s.id AS id, CASE WHEN covered THEN null ELSE properties(s) END AS props
