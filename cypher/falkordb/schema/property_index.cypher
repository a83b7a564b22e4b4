// Range index on one property of one label. FalkorDB has no IF NOT EXISTS: the store treats
// "already indexed" as success.
// mode: schema
// placeholder label: label
// placeholder property: property
CREATE INDEX FOR (n:{{label}}) ON (n.{{property}})
