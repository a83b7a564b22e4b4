"""The one definition of labels, keys, properties and relationship types (see model.py)."""

from graphapi.ontology.errors import OntologyError
from graphapi.ontology.model import (
    ENTITY,
    LOADER_KEPT,
    TLP_LEVELS,
    Label,
    Model,
    Property,
    RelationshipType,
    kept_by_loader,
    load_model,
    required_properties,
)

__all__ = [
    "ENTITY", "LOADER_KEPT", "TLP_LEVELS", "Label", "Model", "OntologyError", "Property", "RelationshipType",
    "kept_by_loader", "load_model", "required_properties",
]
