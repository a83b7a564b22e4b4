"""The one definition of labels, keys, properties and relationship types (see model.py)."""

from graphapi.ontology.errors import OntologyError
from graphapi.ontology.model import (
    ENTITY,
    TLP_LEVELS,
    Label,
    Model,
    Property,
    RelationshipType,
    load_model,
    required_properties,
)

__all__ = [
    "ENTITY", "TLP_LEVELS", "Label", "Model", "OntologyError", "Property", "RelationshipType",
    "load_model", "required_properties",
]
