"""The project's own graph records, identical whichever backend produced them.

Statements never return driver objects. They project nodes as maps
``{id, labels, properties}`` and relationships as ``{id, type, start, end, properties}``
(``start``/``end`` are node ids), and paths as ``{nodes: [...], relationships: [...]}``; the
helpers here turn those maps into frozen records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from graphapi.ontology import ENTITY


@dataclass(frozen=True)
class Node:
    """A node: Lintas ``id``, its labels (``Entity`` removed, most general first) and properties."""

    id: str
    labels: tuple[str, ...]
    properties: dict[str, Any] = field(hash=False, compare=False)
    #: the agencies it is quarantined for (internal ``quarantinedFor``, never a property shown):
    #: the reader's view folds its own agency's in (graphapi.schema.shown)
    quarantined_for: frozenset[str] = field(default=frozenset(), hash=False, compare=False)

    @property
    def label(self) -> str:
        """The most specific label, e.g. ``Company`` for ``Organization:Company``."""
        return self.labels[-1] if self.labels else ENTITY

    @property
    def caption(self) -> str:
        """Display caption: the stored ``caption`` property, else the id."""
        return str(self.properties.get("caption") or self.id)


@dataclass(frozen=True)
class Relationship:
    """A relationship: Lintas ``id``, UPPER_SNAKE ``type``, endpoint node ids and properties."""

    id: str
    type: str
    start: str
    end: str
    properties: dict[str, Any] = field(hash=False, compare=False)


@dataclass(frozen=True)
class Path:
    """A path: ``nodes`` in order and the ``relationships`` between them (len = nodes - 1)."""

    nodes: tuple[Node, ...]
    relationships: tuple[Relationship, ...]

    @property
    def length(self) -> int:
        """Number of hops."""
        return len(self.relationships)


@cache
def _internal() -> frozenset[str]:
    """Index-only properties (``searchText``, ``countryCodes``): stored, never shown."""
    from graphapi.ontology import load_model

    return frozenset(n for n, p in load_model().label(ENTITY).properties.items() if p.internal)


def _ordered_labels(labels: list[str]) -> tuple[str, ...]:
    from graphapi.ontology import load_model

    model = load_model()
    # Sort by depth in the label hierarchy so the most specific label comes last, whatever
    # order the backend reports labels in.
    known = [lb for lb in labels if lb in model.labels and lb != ENTITY]
    return tuple(sorted(known, key=lambda lb: (len(model.labels[lb].ancestors), lb)))


def node_from_map(value: dict[str, Any]) -> Node:
    """Build a :class:`Node` from a statement's ``{id, labels, properties}`` map."""
    raw = value.get("properties") or {}
    props = {k: v for k, v in raw.items() if k not in _internal()}
    return Node(id=str(value["id"]), labels=_ordered_labels(list(value.get("labels") or [])), properties=props,
                quarantined_for=frozenset(raw.get("quarantinedFor") or ()))


def relationship_from_map(value: dict[str, Any]) -> Relationship:
    """Build a :class:`Relationship` from a statement's ``{id, type, start, end, properties}`` map."""
    return Relationship(
        id=str(value["id"]),
        type=str(value["type"]),
        start=str(value["start"]),
        end=str(value["end"]),
        properties=dict(value.get("properties") or {}),
    )


def path_from_map(value: dict[str, Any]) -> Path:
    """Build a :class:`Path` from a statement's ``{nodes: [...], relationships: [...]}`` map."""
    return Path(
        nodes=tuple(node_from_map(n) for n in value["nodes"]),
        relationships=tuple(relationship_from_map(r) for r in value["relationships"]),
    )
