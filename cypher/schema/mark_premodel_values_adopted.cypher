// Marks the graph's values written before the statement model adopted as statements
// (graphapi/ingest/premodel_adoption.py): an index on a label no node bears, read by init_schema
// with every other index (as schema/mark_repaired). Named, so an operator can drop it to have the
// repair run again (DROP INDEX premodel_values_adopted).
// mode: schema
CREATE INDEX premodel_values_adopted IF NOT EXISTS FOR (m:PremodelAdoption) ON (m.valuesStatedByOwner)
