"""Errors raised by the ontology: a bad definition file or a name outside the allow-list."""


class OntologyError(ValueError):
    """An ontology file is inconsistent, or a label / relationship type / value is not allowed."""
