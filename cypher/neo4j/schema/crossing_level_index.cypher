// Range index on one level property of border crossings (tlp, owner) and their time: coTravelGroups' crossings
// read (neo4j/analytics/crossings_between) seeks the reader's visible crossings by them, so another
// agency's hidden ones cost it nothing (attack round a-88, 1: 20,000 AMBER crossings of TH made
// VN's empty answer 7.6x slower, a timing oracle). Who a crossing is shared with: crossing_shared_index.
// mode: schema
// placeholder property: property
CREATE INDEX crossed_{{property}}_at IF NOT EXISTS FOR ()-[c:CROSSED]-() ON (c.{{property}}, c.at)
