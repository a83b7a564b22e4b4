// Every index with its kind, labels, properties and state (init_schema asks it first, and writes only
// what is missing; tests and operators: what init-db made). A constraint's index bears its name.
// mode: read
// returns: rows {name: str, type: str, labels: list[str], properties: list[str], state: str, constraint: str | None}
SHOW INDEXES YIELD name, type, labelsOrTypes, properties, state, owningConstraint
RETURN name, type, labelsOrTypes AS labels, properties, state, owningConstraint AS constraint
