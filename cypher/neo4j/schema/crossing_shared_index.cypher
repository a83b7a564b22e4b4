// Full-text index of the agencies a border crossing is shared with, each element one keyword (a
// range index never indexes a list's elements), and of its tlp: coTravelGroups' crossings read finds
// the AMBER crossings shared with its reader by both in one query (crossing_level_index, attack round
// a-88, 1); by sharedWith alone, every RED or AMBER+STRICT crossing naming the reader, hidden from it,
// was a row of its read (a-92, 1).
// mode: schema
CREATE FULLTEXT INDEX crossed_shared_level IF NOT EXISTS FOR ()-[c:CROSSED]-() ON EACH [c.sharedWith, c.tlp]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'keyword'}}
