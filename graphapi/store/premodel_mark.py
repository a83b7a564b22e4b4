"""The mark of a graph whose values written before the statement model have been adopted as
statements (:mod:`graphapi.ingest.premodel_adoption`, which the store's ``init_schema`` runs once):
here, so the store reads it without importing the ingest, which imports the store."""

#: A range index on this label and property (no node bears the label).
MARK_LABEL, MARK_PROPERTY = "PremodelAdoption", "valuesStatedByOwner"
