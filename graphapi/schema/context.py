"""The typed per-request GraphQL context: principal, store, request id, fresh DataLoaders."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from strawberry.fastapi import BaseContext

from graphapi.errors import Unavailable
from graphapi.schema.loaders import Loaders
from graphapi.security.access import AccessRequestStore
from graphapi.security.audit import AuditSink
from graphapi.security.hits import HitBudget
from graphapi.security.principal import Principal
from graphapi.security.victim_lookup import GivenIds, lookup_ids
from graphapi.store import GraphStore


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
        self._loaders: Loaders | None = None

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

    async def lookup_ids(self, given: Sequence[str]) -> GivenIds:
        """The ids to look ``given`` up by for this request's principal: a victim's token resolved,
        a protected id typed in clear made unreachable (:func:`graphapi.security.victim_lookup.lookup_ids`),
        through this request's ``protected`` DataLoader, so root fields share one round trip."""
        return await lookup_ids(self.store, self.principal, loader=self.loaders.protected, given=given)
