"""The one error of mappings."""


class MappingError(ValueError):
    """A mapping file is malformed or names something the ontology does not have."""
