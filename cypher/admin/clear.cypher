// Delete every node and relationship; indexes and constraints stay (tests, demo --reset).
// mode: write
MATCH (n)
DETACH DELETE n
