// Every index with its kind, labels and properties (tests and operators: what init-db made).
// mode: read
// returns: rows {name: str, type: str, labels: list[str], properties: list[str]}
SHOW INDEXES YIELD name, type, labelsOrTypes, properties
RETURN name, type, labelsOrTypes AS labels, properties
