// Range index on one property of one label (derived from the ontology's natural keys).
// mode: schema
// placeholder label: label
// placeholder property: property
CREATE INDEX IF NOT EXISTS FOR (n:{{label}}) ON (n.{{property}})
