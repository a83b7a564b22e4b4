// The loader's look before it reads stored statements back (as ingest/node_probe is for nodes):
// which statements of a batch the store already holds with everything the load would add to
// them: each (property, value) entry, first seen no later and last seen no earlier than the
// record says, and the same sharing. Those are neither read back nor written; the others come
// back whole for the loader's merge (graphapi/ingest/statement_store.py). One walk over the
// stored entries, meeting the record's in the record's order (a statement said again lists its
// entries as they were stored, a merge appends after them): linear, where asking for each entry
// whether any stored one matched was quadratic (10,000 aliases said again took 9-11 s, holding
// every other writer; attack round 23, C2). A statement holding them in another order comes back
// whole and the loader compares it (statement_store._covers).
// mode: read
// param $rows: list[{id: str, tlp: str, sharedWith: list[str]|null, property: list[str], value: list[str], firstSeen: str, lastSeen: str, recordId: str|null}] - one statement of one record each: its entries as parallel lists, seen from firstSeen to lastSeen (ISO 8601 UTC); recordId: the record each stored entry must name (a whole-source replace, whose values said again name its records), null for any
// returns: one row {id, props} per stored statement; ids not stored are absent; props null when
//   the stored statement covers the record's in the record's order, else its stored properties
UNWIND $rows AS row
MATCH (s:Statement {id: row.id})
// every list named once: an element of a map's list (row.property[j]) copied the whole list on
// each access in FalkorDB, one of a node's (s.property[i]) read the whole property in Neo4j
WITH s, row.property AS property, row.value AS value, row.firstSeen AS first, row.lastSeen AS last,
     row.recordId AS record, s.property AS sProperty, s.value AS sValue, s.firstSeen AS sFirst,
     s.lastSeen AS sLast, s.recordId AS sRecord,
     s.tlp = row.tlp AND coalesce(s.sharedWith, []) = coalesce(row.sharedWith, []) AS level
WITH s, level AND size(property) = reduce(j = 0, i IN range(0, size(sProperty) - 1) |
    CASE WHEN j < size(property) AND sProperty[i] = property[j] AND sValue[i] = value[j]
           AND sFirst[i] <= first AND sLast[i] >= last AND (record IS NULL OR sRecord[i] = record)
         THEN j + 1 ELSE j END) AS covered
RETURN s.id AS id, CASE WHEN covered THEN null ELSE properties(s) END AS props
