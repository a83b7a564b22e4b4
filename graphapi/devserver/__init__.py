"""Developer tools for a source checkout: ``lintas dev neo4j`` (a throw-away Neo4j server)."""
