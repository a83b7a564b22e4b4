"""Per-request DataLoaders: one store round trip per query level, not one per item.

``nodes``: Lintas id -> visible ``Node`` or ``None`` (``investigate.entities.get_nodes``; for a
reader without victim-data ``get_shown_nodes``, whose answer of which are protected fills ``protected``).
``relationships``: :class:`RelationshipsKey` -> ``RelationshipPage``; keys that share the
same arguments go to ``investigate.relationship_pages.relationships_of`` together, in one round trip.
``values``: ``(id, property)`` -> ``[PropertyValue]``; one round trip per property asked
(``investigate.values.property_values``); ``relationship_values``: ``(id, start, end, property)``
-> ``[PropertyValue]``, the same for relationships (``relationship_property_values``).
``sources``: Lintas id -> the sources of its statements the reader may see, or ``None`` for a node
without one (``investigate.values.visible_sources``).
Loaders cache per request only (a new :class:`Loaders` per request), so no principal ever
sees another's answers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from strawberry.dataloader import DataLoader

from graphapi.investigate.entities import get_nodes, get_shown_nodes
from graphapi.investigate.relationship_pages import RelationshipPage, relationships_of
from graphapi.investigate.values import (
    PropertyValue,
    property_values,
    relationship_property_values,
    visible_sources,
)
from graphapi.schema.batching import LevelBatcher
from graphapi.security.principal import Principal
from graphapi.security.redaction import may_see_victims, protected_ids
from graphapi.store import GraphStore, Node


@dataclass(frozen=True)
class RelationshipsKey:
    """One entity's relationship page request: the entity id and the connection arguments."""

    id: str
    types: tuple[str, ...] | None
    direction: str
    since: str | None
    until: str | None
    first: int | None
    after: str | None
    last: int | None = None
    before: str | None = None

    def args(self) -> tuple:
        """Everything but the id: keys with equal ``args()`` are fetched together."""
        return (self.types, self.direction, self.since, self.until, self.first, self.after, self.last, self.before)


class Loaders:
    """The DataLoaders of one request, bound to its store and principal."""

    def __init__(self, store: GraphStore, principal: Principal) -> None:
        self.store = store
        self.principal = principal
        #: the reader is shown victims' tokens: statements that read records say which are protected
        self.masked = not may_see_victims(principal)
        #: Is the id a victim's (or its phone's, account's) for this principal? Asked for the ids
        #: typed in clear (graphapi.security.victim_lookup) and for every entity shown (the
        #: redaction, graphapi.schema.security_redaction): one cache, so an id is asked once per
        #: request, and one round trip per response level.
        self.protected = LevelBatcher(self._load_protected, default=False)

    # Each DataLoader is made when first used: a request uses one or two of them, and making all
    # five was ~3% of a point lookup's CPU (issue 14).
    @cached_property
    def nodes(self) -> DataLoader[str, Node | None]:
        return DataLoader(load_fn=self._load_nodes)

    @cached_property
    def relationships(self) -> DataLoader[RelationshipsKey, RelationshipPage]:
        return DataLoader(load_fn=self._load_relationships)

    @cached_property
    def values(self) -> DataLoader[tuple[str, str], list[PropertyValue]]:
        return DataLoader(load_fn=self._load_values)

    @cached_property
    def relationship_values(self) -> DataLoader[tuple[str, str, str, str], list[PropertyValue]]:
        return DataLoader(load_fn=self._load_relationship_values)

    @cached_property
    def sources(self) -> DataLoader[str, list[str] | None]:
        return DataLoader(load_fn=self._load_sources)

    async def _load_protected(self, ids: list[str]) -> dict[str, bool]:
        return dict.fromkeys(await protected_ids(self.store, self.principal, ids), True)

    async def _load_sources(self, ids: list[str]) -> list[list[str] | None]:
        found = await visible_sources(self.store, self.principal, ids)
        return [found.get(i) for i in ids]

    async def _load_values(self, keys: list[tuple[str, str]]) -> list[list[PropertyValue] | BaseException]:
        by_property: dict[str, list[str]] = defaultdict(list)
        for node_id, prop in keys:
            by_property[prop].append(node_id)
        answers: dict[tuple[str, str], list[PropertyValue] | BaseException] = {}
        for prop, ids in by_property.items():
            try:
                found = await property_values(self.store, self.principal, ids, prop)
            except Exception as exc:  # handed to each key's resolver, which reports it
                answers.update(((i, prop), exc) for i in ids)
            else:
                answers.update(((i, prop), found.get(i, [])) for i in ids)
        return [answers[k] for k in keys]

    async def _load_relationship_values(self, keys: list[tuple[str, str, str, str]]
                                        ) -> list[list[PropertyValue] | BaseException]:
        by_property: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for rel_id, start, end, prop in keys:
            by_property[prop].append((rel_id, start, end))
        answers: dict[tuple[str, str, str, str], list[PropertyValue] | BaseException] = {}
        for prop, rels in by_property.items():
            try:
                found = await relationship_property_values(self.store, self.principal, rels, prop)
            except Exception as exc:  # handed to each key's resolver, which reports it
                answers.update(((*r, prop), exc) for r in rels)
            else:
                answers.update(((*r, prop), found.get(r[0], [])) for r in rels)
        return [answers[k] for k in keys]

    async def _load_nodes(self, ids: list[str]) -> list[Node | None]:
        if not self.masked:
            found = await get_nodes(self.store, self.principal, ids)
            return [found.get(i) for i in ids]
        # with whether each is protected: the redaction of what is shown asks nothing more
        found, protected = await get_shown_nodes(self.store, self.principal, ids)
        for node_id in found:
            self.protected.prime(node_id, node_id in protected)
        return [found.get(i) for i in ids]

    async def _load_relationships(self, keys: list[RelationshipsKey]) -> list[RelationshipPage | BaseException]:
        groups: dict[tuple, list[RelationshipsKey]] = defaultdict(list)
        for key in keys:
            groups[key.args()].append(key)
        answers: dict[RelationshipsKey, RelationshipPage | BaseException] = {}
        for group in groups.values():
            k = group[0]
            try:
                pages = await relationships_of(
                    self.store, self.principal, [g.id for g in group], types=k.types, direction=k.direction,
                    since=k.since, until=k.until, first=k.first, after=k.after, last=k.last, before=k.before,
                )
            except Exception as exc:  # handed to each key's resolver, which reports it
                answers.update((g, exc) for g in group)
            else:
                answers.update(zip(group, pages, strict=True))
                if self.masked:  # the statement said which ends are protected: no lookup to redact them
                    unknown = [u for g, page in zip(group, pages, strict=True) for u in self._prime_page(g.id, page)]
                    if unknown:  # rows read by id (many hidden ones could fall on a page): asked before
                        # the pages are answered, so the next level's relationships still load in one batch
                        await self.protected.load_many(unknown)
        return [answers[k] for k in keys]

    def _prime_page(self, node_id: str, page: RelationshipPage) -> list[str]:
        """Record what ``page`` says of its node and far ends; the far ends it says nothing of."""
        if page.protected is not None:
            self.protected.prime(node_id, page.protected)
        unknown = []
        for edge in page.edges:
            if edge.other_protected is not None:
                self.protected.prime(edge.other.id, edge.other_protected)
            else:
                unknown.append(edge.other.id)
        return unknown
