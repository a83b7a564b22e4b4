"""How many searches one principal may have running at once in this API worker (attack round 26,
G1): a search for a word with tens of thousands of matches the caller may see holds one of the
store's query threads (the embedded store has 2) for seconds, and three in flight stalled every
other agency's reads (504 after 60 s) and aborted loads. Past the limit a search fails at once with
RATE_LIMITED, before it reaches the store; the bound counts only the caller's own searches, so no
other agency's data moves it. The statement itself is cut at ``LINTAS_SEARCH_TIMEOUT_MS``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from graphapi.errors import LintasError
from graphapi.security import Principal


class SearchesInFlight(LintasError):
    """The principal already has its limit of searches running in this worker."""

    code = "RATE_LIMITED"

    def __init__(self, limit: int) -> None:
        super().__init__(f"you already have {limit} search{'es' if limit > 1 else ''} running (at most {limit} "
                         "at once, LINTAS_SEARCH_IN_FLIGHT); retry when it ends")


class SearchGate:
    """Counts each principal's searches in flight (one event loop: no lock needed)."""

    def __init__(self) -> None:
        self.running: Counter[tuple[str | None, str]] = Counter()

    @asynccontextmanager
    async def enter(self, principal: Principal, limit: int) -> AsyncIterator[None]:
        """Run the body as one of ``principal``'s searches; SearchesInFlight if ``limit`` (> 0)
        are already running (0: no limit)."""
        key = (principal.agency, principal.subject)
        if limit and self.running[key] >= limit:
            raise SearchesInFlight(limit)
        self.running[key] += 1
        try:
            yield
        finally:
            self.running[key] -= 1
            if not self.running[key]:
                del self.running[key]


#: This worker's gate (``graphapi/schema/queries/search.py``).
GATE = SearchGate()
