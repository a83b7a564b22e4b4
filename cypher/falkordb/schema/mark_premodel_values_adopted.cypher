// Marks the graph's values written before the statement model adopted as statements
// (graphapi/ingest/premodel_adoption.py), as schema/mark_repaired marks its repair. FalkorDB has
// no IF NOT EXISTS: the store treats "already indexed" as success. An operator drops it to have the
// repair run again (DROP INDEX FOR (m:PremodelAdoption) ON (m.valuesStatedByOwner)).
// mode: schema
CREATE INDEX FOR (m:PremodelAdoption) ON (m.valuesStatedByOwner)
