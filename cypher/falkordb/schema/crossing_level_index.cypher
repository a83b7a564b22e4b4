// Range index on the levels of a border crossing (tlp, owner, sharedWith: an array, indexed by
// element): coTravelGroups' crossings read (analytics/crossings_between) asks the index for the
// reader's visible crossings only, so another agency's hidden ones cost it nothing (attack round
// a-88, 1: 20,000 AMBER crossings of TH made VN's empty answer 2.4x slower, a timing oracle).
// FalkorDB has no IF NOT EXISTS: the store treats "already indexed" as success.
// mode: schema
CREATE INDEX FOR ()-[c:CROSSED]-() ON (c.tlp, c.owner, c.sharedWith)
