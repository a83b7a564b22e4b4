"""Argument checks shared by the investigation services: bounds and ontology names.

Each check raises :class:`graphapi.errors.InvalidArgument` naming the argument, so the GraphQL
layer can show the message as it is.
"""

from __future__ import annotations

from collections.abc import Sequence

from graphapi.errors import InvalidArgument
from graphapi.ontology import load_model


def check_range(name: str, value: int, low: int, high: int) -> int:
    """``value`` if ``low <= value <= high``, else InvalidArgument."""
    if not low <= value <= high:
        raise InvalidArgument(f"{name} must be between {low} and {high}, got {value}")
    return value


def check_labels(labels: Sequence[str] | None) -> list[str] | None:
    """The labels as a list (None = no filter); unknown labels raise InvalidArgument."""
    if labels is None:
        return None
    model = load_model()
    unknown = [lb for lb in labels if lb not in model.labels]
    if unknown:
        raise InvalidArgument(f"unknown labels {unknown}; known: {sorted(model.labels)}")
    return list(labels)


def check_relationship_types(types: Sequence[str] | None) -> list[str] | None:
    """The relationship types as a list (None = all); unknown ones raise InvalidArgument."""
    if types is None:
        return None
    model = load_model()
    unknown = [t for t in types if t not in model.relationships]
    if unknown:
        raise InvalidArgument(f"unknown relationship types {unknown}")
    return list(types)
