// Wait (at most 300 s) until every index is online: a new full-text index is populated in the
// background, and a search before that would miss what is already stored.
// mode: schema
CALL db.awaitIndexes(300)
