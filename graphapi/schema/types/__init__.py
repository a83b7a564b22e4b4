"""GraphQL types, one concept per module; ``labels`` and ``relationship`` are generated from the ontology."""
