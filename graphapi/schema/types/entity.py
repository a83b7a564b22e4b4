"""The ``Entity`` interface every ontology label type implements, and the record -> type registry.

Ids (the Relay convention, as @neo4j/graphql's ``@relayId`` does it): ``id: ID!`` is the Relay
global id, base64 of ``"<Label>:<Lintas id>"`` (e.g. ``Phone:phone:+66812345678``; the label,
also where the type's name is another: ``GenericOrganization`` shows ``Organization``), opaque to
clients and accepted by ``node(id:)``. ``lintasId: String!`` is the ontology id, the one that
``entity(id:)``, ``entities(ids:)``, ``neighborhood(id:)`` and ``shortestPaths`` take and that
relationships' ``sourceId`` / ``targetId`` name.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from graphapi.ontology import load_model
from graphapi.schema.context import Context
from graphapi.schema.types.enums import Direction, Label, RelationshipType, enum_value
from graphapi.schema.types.fields import property_field
from graphapi.schema.types.paging import PAGING_ARGUMENTS
from graphapi.schema.types.provenance import ConflictType, PropertyValueType, conflicts_of
from graphapi.store.records import Node

if TYPE_CHECKING:
    from graphapi.schema.types.connection import RelationshipConnection

#: GraphQL type per concrete label, filled by :mod:`.labels`.
_TYPES: dict[str, type[Entity]] = {}
#: The label each of those types shows (the Relay id names the label, not the type: an
#: Organization's type is GenericOrganization, the name ``Organization`` being its interface's).
_LABELS: dict[type, str] = {}


class Entity(relay.Node):
    """Every node: ids, labels, caption, provenance and sharing, and its relationships."""

    _node: strawberry.Private[Node]
    #: what the reader is shown of it (graphapi.schema.redaction_views), set where records become
    #: types (graphapi.schema.shown); None until then, and every field fails (fail closed)
    _view: strawberry.Private[Any]

    @classmethod
    def resolve_id(cls, root: Any, *, info: Info) -> str:
        return root._view.shown_id

    @strawberry.field(
        name="id",
        description=(
            'Relay global id: base64 of "<label>:<lintasId>", e.g. "Phone:phone:+66812345678"; opaque, '
            "for `node(id:)`."
        ),
    )
    @classmethod
    def _id(cls, root: Any, info: Info) -> relay.GlobalID:
        return relay.GlobalID(type_name=label_of(root), node_id=root._view.shown_id)

    @strawberry.field(
        description=(
            "Lintas id (the ontology's natural-key id); what `entity(id:)` takes. A victim's, and their phones' "
            "and accounts', read as an opaque `vid:` token to readers without victim-data, taken back as an id."
        )
    )
    def lintas_id(self) -> str:
        return self._view.shown_id

    @strawberry.field(description="Most specific label, e.g. Company for an Organization:Company node.")
    def label(self) -> Label:
        return Label(self._node.label)

    @strawberry.field(description="All labels, most general first (Entity omitted).")
    def labels(self) -> list[Label]:
        return [lb for lb in (enum_value(Label, x) for x in self._node.labels) if lb is not None]

    @strawberry.field(description="Display caption chosen from the label's caption properties; else the id.")
    def caption(self) -> str:
        return self._view.caption(self._node.caption)

    @strawberry.field(
        description=(
            "Every value of one property (e.g. birthDate) with the sources that asserted it: record id, first and "
            "last seen, owner and TLP. Conflicting values are all listed. A value or source you may not see (another "
            "agency's AMBER assertion) is not shown. `property` is an ontology property name."
        )
    )
    async def values(self, info: Info[Context, None], property: str) -> list[PropertyValueType]:
        found = await info.context.loaders.values.load((self._node.id, property))
        return await self._view.values(property, [PropertyValueType.from_value(v) for v in found])

    @strawberry.field(
        description="Values a later source disagreed on (property, value, sources); the first value stays."
    )
    def conflicts(self) -> list[ConflictType]:
        return self._view.conflicts(conflicts_of(self._node.properties.get("conflicts")))

    @strawberry.field(
        description=(
            "Relationships of this entity as a Relay connection, oldest first: by the relationship's time (its "
            "`at`, else its `from`, else its `to`), undated ones last, ties by relationship id as shown. Keyset "
            "pages on (time, id) whose cursors stay valid while data is added. `since`/`until` (ISO 8601 dates "
            "or datetimes, inclusive) filter on the relationship's `at` or its `from`/`to` validity. "
            f"{PAGING_ARGUMENTS}"
        )
    )
    async def relationships(
        self,
        info: Info[Context, None],
        types: list[RelationshipType] | None = None,
        direction: Direction = Direction.BOTH,
        since: str | None = None,
        until: str | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Annotated[RelationshipConnection, strawberry.lazy("graphapi.schema.types.connection")]:
        from graphapi.schema.loaders import RelationshipsKey
        from graphapi.schema.types.connection import RelationshipConnection

        key = RelationshipsKey(
            id=self._node.id,
            types=tuple(t.value for t in types) if types else None,
            direction=direction.value,
            since=since,
            until=until,
            first=first,
            after=after,
            last=last,
            before=before,
        )
        page = await info.context.loaders.relationships.load(key)
        shown = info.context.shown
        return await shown.ready(RelationshipConnection.from_page(page, shown))


    @strawberry.field(
        description=(
            "Dataset / partner ids that asserted something of this entity, as you may see them: the source of "
            "every statement about it you may see (the sources `values(property:)` lists, over all its "
            "properties), sorted; a source whose every statement is hidden from you is not named. An entity "
            "loaded before per-value provenance lists the sources stored on it."
        )
    )
    async def sources(self, info: Info[Context, None]) -> list[str]:
        view = self._view
        seen = await info.context.loaders.sources.load(self._node.id)
        if seen is None:  # no statement: written before per-value provenance
            raw = view.props.get("sources") or []
            seen = [str(s) for s in (raw if isinstance(raw, list | tuple) else [raw])]
        if "sources" not in view.watched:
            return seen
        answer = view.answer("sources", seen)  # a victim's name scrubbed, as every field of theirs
        return await answer if inspect.isawaitable(answer) else answer


for _name, _prop in load_model().provenance.items():
    if _name != "sources":  # computed from the statements the reader may see (above)
        setattr(Entity, f"provenance_{_name}", property_field("Entity", _prop))

Entity = strawberry.interface(  # type: ignore[misc]
    Entity,
    description=(
        "Every node of the graph. `id` is the Relay global id; `lintasId` the ontology id. Provenance "
        "(sources, firstSeen, lastSeen) and sharing (owner, tlp, sharedWith) per DESIGN.md."
    ),
)


def register(label: str, cls: type[Entity]) -> None:
    """Record the GraphQL type that shows nodes whose most specific label is ``label``."""
    _TYPES[label] = cls
    _LABELS[cls] = label


def label_of(entity: Entity) -> str:
    """The label a GraphQL entity object shows (what its Relay global id names)."""
    return _LABELS.get(type(entity)) or type(entity).__strawberry_definition__.name


def registered_types() -> dict[str, type[Entity]]:
    """Label name -> GraphQL type, for every registered label."""
    return dict(_TYPES)


def entity_from_node(node: Node) -> Entity:
    """The GraphQL object for a store ``Node``, typed by its most specific known label, without its
    view: resolvers build entities with ``graphapi.schema.shown.Shown.entity``, which gives it one.

    Raises ``LookupError`` for a node with no ontology label (a bug: loaders always label).
    """
    for label in reversed(node.labels):
        cls = _TYPES.get(label)
        if cls is not None:
            return cls(_node=node, _view=None)
    raise LookupError(f"node {node.id!r} has no ontology label")
