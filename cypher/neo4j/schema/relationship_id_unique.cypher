// One relationship per id within a type (ids hash type, endpoints and discriminator:
// Model.relationship_id), with the range index the loader seeks relationships by. The constraint,
// not a bare index: MERGE then seeks the id and locks it (LockingMerge), so two loads running at
// once cannot write the same relationship twice.
// mode: schema
// placeholder type: relationship
CREATE CONSTRAINT {{type}}_id IF NOT EXISTS FOR ()-[r:{{type}}]-() REQUIRE r.id IS UNIQUE
