"""The typed per-request GraphQL context: principal, store, request id, fresh DataLoaders."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING

from strawberry.fastapi import BaseContext

from graphapi.errors import Unavailable
from graphapi.schema.loaders import Loaders
from graphapi.security.access import AccessRequestStore
from graphapi.security.audit import AuditSink
from graphapi.security.hits import HitBudget
from graphapi.security.principal import Principal
from graphapi.security.redaction import may_see_victims
from graphapi.security.victim_ids import victim_ids
from graphapi.security.victim_lookup import GivenIds, lookup_ids
from graphapi.store import GraphStore, Node

if TYPE_CHECKING:
    from graphapi.schema.shown import Shown


class Context(BaseContext):
    """What every resolver gets as ``info.context``.

    ``store`` raises :class:`Unavailable` when the app has no open store (it failed to start);
    ``request_id`` appears in masked errors' ``extensions.requestId`` and in the server log.
    """

    def __init__(
        self,
        store: GraphStore | None,
        principal: Principal,
        request_id: str | None = None,
        *,
        audit: AuditSink | None = None,
        access_requests: AccessRequestStore | None = None,
        hit_budget: HitBudget | None = None,
        lookup_budget: HitBudget | None = None,
    ) -> None:
        super().__init__()
        self._store = store
        self.principal = principal
        self.request_id = request_id or uuid.uuid4().hex
        #: Audit sink and access-request store (graphapi.security); None = the process-wide ones.
        self.audit = audit
        self.access_requests = access_requests
        #: The restrictedHits budget (graphapi.security.hits); None = the process-wide one.
        self.hit_budget = hit_budget
        #: The restrictedLookup budget, in ids; None = the process-wide one.
        self.lookup_budget = lookup_budget
        #: Held by each full-text search of this request while it waits or runs: aliased searches run
        #: one after another and take one place of the principal's LINTAS_SEARCH_IN_FLIGHT.
        self.searching = asyncio.Lock()
        self._loaders: Loaders | None = None
        self._shown: Shown | None = None

    @property
    def store(self) -> GraphStore:
        """The open store; raises Unavailable if there is none."""
        if self._store is None:
            raise Unavailable("the graph store is unavailable; try again shortly")
        return self._store

    @property
    def loaders(self) -> Loaders:
        """This request's DataLoaders (created on first use)."""
        if self._loaders is None:
            self._loaders = Loaders(self.store, self.principal)
        return self._loaders

    @property
    def shown(self) -> Shown:
        """Where this request's records become GraphQL types, redacted (``graphapi.schema.shown``)."""
        if self._shown is None:
            from graphapi.schema.shown import Shown  # imports the types, which import this module

            self._shown = Shown(self.store, self.principal, self.loaders.protected)
        return self._shown

    async def given_entities(self, given: Sequence[str]) -> list[Node | None]:
        """The visible entities of the ids ``given`` (``vid:`` tokens taken back), None for an id
        no visible entity has, in one round trip: the statement that reads them says which are
        protected (``entity/shown_by_ids``), and a protected id typed in clear answers None, as an
        id nobody has (:mod:`graphapi.security.victim_lookup`), without asking about it first."""
        tokens = victim_ids()
        real = [tokens.resolve(g) for g in given]
        # one id (a lookup) is loaded as itself: load_many gathers even one future
        nodes = [await self.loaders.nodes.load(real[0])] if len(real) == 1 else await self.loaders.nodes.load_many(real)
        if may_see_victims(self.principal):
            return nodes
        clear = [r for g, r, n in zip(given, real, nodes, strict=True) if g == r and n is not None]
        held = dict(zip(clear, await self.loaders.protected.load_many(clear), strict=True)) if clear else {}
        return [None if n is not None and g == r and held[r] else n for g, r, n in zip(given, real, nodes, strict=True)]

    async def lookup_ids(self, given: Sequence[str]) -> GivenIds:
        """The ids to look ``given`` up by for this request's principal: a victim's token resolved,
        a protected id typed in clear made unreachable (:func:`graphapi.security.victim_lookup.lookup_ids`),
        through this request's ``protected`` DataLoader, so root fields share one round trip."""
        return await lookup_ids(self.store, self.principal, loader=self.loaders.protected, given=given)
