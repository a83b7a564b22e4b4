"""Where store records become GraphQL types, and the victim redaction is applied: once per record.

Every resolver that returns entities or relationships builds them with :meth:`Shown.entity` /
:meth:`Shown.relationship` and returns ``await shown.ready(result)``: the records built since are
given their :mod:`view <graphapi.schema.redaction_views>` once the request knows which of them
are protected (``Context.loaders.protected``: answered by the statement that read them where it
can, ``entity/shown_by_ids`` and ``expand/relationships``, else one ``security/protected_ids``
round trip for the level). A record built and never made ready has no view, and reading any of
its fields fails the request (fail closed: never shown unredacted).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any, TypeVar

from graphapi.schema.batching import LevelBatcher
from graphapi.schema.redaction_views import EntityView, Redactions, RelationshipView, identifying
from graphapi.schema.types.entity import Entity, entity_from_node
from graphapi.schema.types.relationship import Relationship, relationship_from_record
from graphapi.security.principal import Principal
from graphapi.security.redaction import may_see_victims
from graphapi.store import GraphStore, Node
from graphapi.store import Relationship as RelationshipRecord

T = TypeVar("T")


class Shown:
    """One request's record -> type maker (see the module docstring)."""

    def __init__(self, store: GraphStore, principal: Principal, protected: LevelBatcher) -> None:
        self.masked = not may_see_victims(principal)
        self._agency = principal.agency
        #: what was redacted (``extensions.redacted``); None for a reader with victim-data
        self.redactions = Redactions(store, principal) if self.masked else None
        self._protected = protected
        self._pending: list[Any] = []

    def entity(self, node: Node) -> Entity:
        """The GraphQL entity of ``node``, shown once :meth:`ready` has run; ``quarantined`` as
        the reader's agency reads it (a mark of its own, never another's: write_correlation)."""
        if self._agency in node.quarantined_for and not node.properties.get("quarantined"):
            node = replace(node, properties={**node.properties, "quarantined": True})
        obj = entity_from_node(node)
        if self.masked:
            self._pending.append(obj)
        else:
            obj._view = EntityView(node, False, None)
        return obj

    def relationship(self, rel: RelationshipRecord) -> Relationship:
        """The GraphQL relationship of ``rel``, shown once :meth:`ready` has run."""
        obj = relationship_from_record(rel)
        if self.masked:
            self._pending.append(obj)
        else:
            obj._view = RelationshipView(rel, False, False, None)
        return obj

    def prime(self, ids: Iterable[str], protected: Iterable[str] | bool) -> None:
        """A statement said which of ``ids`` are protected for the reader (``protected``: those
        that are, or one flag for all): no round trip to ask again."""
        if not self.masked:
            return
        held = protected if isinstance(protected, bool) else frozenset(protected)
        for i in ids:
            self._protected.prime(i, held if isinstance(held, bool) else i in held)

    async def ready(self, value: T) -> T:
        """``value`` once every record built since the last call has its view."""
        pending, self._pending = self._pending, []
        if not pending:
            return value
        ids: list[str] = []
        for obj in pending:
            if isinstance(obj, Entity):
                if identifying(obj._node.labels):  # other labels are never protected
                    ids.append(obj._node.id)
            else:
                ids += (obj._rel.start, obj._rel.end)
        flags: dict[str, bool] = {}
        if ids:
            unique = list(dict.fromkeys(ids))
            flags = dict(zip(unique, await self._protected.load_many(unique), strict=True))
        for obj in pending:
            if isinstance(obj, Entity):
                obj._view = EntityView(obj._node, flags.get(obj._node.id, False), self.redactions)
            else:
                rel = obj._rel
                obj._view = RelationshipView(rel, flags[rel.start], flags[rel.end], self.redactions)
        return value
