// Full-text index of the agencies a border crossing is shared with, each element one keyword (a
// range index never indexes a list's elements): coTravelGroups' crossings read finds the crossings
// shared with its reader by it (crossing_level_index, attack round a-88, 1).
// mode: schema
CREATE FULLTEXT INDEX crossed_shared IF NOT EXISTS FOR ()-[c:CROSSED]-() ON EACH [c.sharedWith]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'keyword'}}
