// Sets Entity.inQuarantine on the identifiers quarantined before the property existed (init_schema,
// once its index is made): security/quarantined_identifiers seeks them by it. One pass over the
// graph, at the upgrade; afterwards the writes that set or lift a quarantine keep it in step.
// mode: write
// returns: n (entities set)
MATCH (n:Entity)
WHERE (n.quarantined = true OR n.quarantinedFor IS NOT NULL) AND n.inQuarantine IS NULL
SET n.inQuarantine = 1
RETURN count(n) AS n
