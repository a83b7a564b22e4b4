// Distinct non-null values of one property over the nodes of one label.
// mode: read
// placeholder label: label
// placeholder property: property
// returns: rows {value}
MATCH (n:{{label}})
WHERE n.{{property}} IS NOT NULL
RETURN DISTINCT n.{{property}} AS value
