// Every index and constraint the store has, one row per property: what init_schema asks first, so
// that a restart with the schema in place writes nothing (a schema write waits behind a running
// search: a worker restarted under a search flood took 44.7 s to start, attack round 29 L1).
// mode: read
// returns: kind (RANGE, FULLTEXT, UNIQUE; a constraint not yet operational: 'UNIQUE PENDING'), entity (NODE, RELATIONSHIP), label, property
CALL db.indexes() YIELD label, types, entitytype
UNWIND keys(types) AS property
UNWIND types[property] AS kind
RETURN kind, entitytype AS entity, label, property
UNION ALL
CALL db.constraints() YIELD type, label, properties, entitytype, status
UNWIND properties AS property
RETURN type + CASE status WHEN 'OPERATIONAL' THEN '' ELSE ' ' + status END AS kind, entitytype AS entity,
       label, property
