// Every constraint with its kind, labels and properties (tests and operators).
// mode: read
// returns: rows {name: str, type: str, labels: list[str], properties: list[str]}
SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties
RETURN name, type, labelsOrTypes AS labels, properties
