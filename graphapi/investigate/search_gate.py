"""How many searches one principal may have running at once in this API worker (attack round 26,
G1): a search for a word with tens of thousands of matches the caller may see holds one of the
store's query threads (the embedded store has 2) for seconds, and three in flight stalled every
other agency's reads (504 after 60 s) and aborted loads. Past the limit a search fails with
RATE_LIMITED (after waiting up to a second for one to end: several aliased searches of one request
run one after the other), before it reaches the store; the bound counts only the caller's own searches, so no
other agency's data moves it. The statement itself is cut at ``LINTAS_SEARCH_TIMEOUT_MS``.

That bound is per worker, and an agency has many analysts: with two workers one analyst held both
of the embedded store's query threads, and four of one agency's analysts kept another agency's
entity read waiting 26-53 s (attack round 28, H1). So an agency's searches also take one of its
``LINTAS_SEARCH_PER_AGENCY`` slots (default 1), shared by every API worker on the data directory: a
lock file per slot (``flock``, which the kernel releases when a worker dies). One agency's searches
then never hold more than that many store threads, whatever its number of analysts or workers,
and the others' reads keep a thread. A search waits up to :data:`WAIT_S` for a slot (its
colleagues' searches are usually milliseconds), then fails with ``RATE_LIMITED``.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TypeVar

from graphapi.errors import LintasError
from graphapi.security import Principal
from graphapi.security.filelock import try_lock

T = TypeVar("T")

#: How long a search waits for its principal's or its agency's searches to end before RATE_LIMITED.
WAIT_S = 1.0
_POLL_S = 0.02


async def _waited(take: Callable[[], T | None], refusal: LintasError) -> T:
    """What ``take()`` gives once it gives something, trying again every _POLL_S; ``refusal``
    raised when it gave nothing for WAIT_S."""
    deadline = time.monotonic() + WAIT_S
    while (taken := take()) is None:
        if time.monotonic() >= deadline:
            raise refusal
        await asyncio.sleep(_POLL_S)
    return taken


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
        are still running after WAIT_S (0: no limit)."""
        key = (principal.agency, principal.subject)
        if limit:  # waiting: the aliased searches of one request run one after the other
            await _waited(lambda: self.running[key] < limit or None, SearchesInFlight(limit))
        self.running[key] += 1
        try:
            yield
        finally:
            self.running[key] -= 1
            if not self.running[key]:
                del self.running[key]


#: This worker's gate (``graphapi/schema/queries/search.py``).
GATE = SearchGate()


class AgencySearchesBusy(LintasError):
    """Every search slot of the caller's agency stayed taken for WAIT_S."""

    code = "RATE_LIMITED"

    def __init__(self, limit: int) -> None:
        super().__init__(f"your agency already has {limit} search{'es' if limit > 1 else ''} running (at most "
                         f"{limit} at once, LINTAS_SEARCH_PER_AGENCY); retry when one ends")


def _try_slot(folder: Path, agency: str | None, limit: int) -> int | None:
    """An open, locked slot file of ``agency`` (its descriptor), or None when all ``limit`` are taken."""
    name = hashlib.sha256((agency or "").encode()).hexdigest()[:16]  # any agency id is a safe file name
    return next((fd for i in range(limit) if (fd := try_lock(folder / f"{name}-{i}.lock")) is not None), None)


@asynccontextmanager
async def agency_slot(data_dir: Path, agency: str | None, limit: int) -> AsyncIterator[None]:
    """Run the body holding one of ``agency``'s ``limit`` search slots (0: no limit), shared by the
    API workers on ``data_dir``; AgencySearchesBusy if none frees within WAIT_S."""
    if not limit:
        yield
        return
    folder = Path(data_dir) / "search-slots"  # made (owner-only) by the first search
    fd = await _waited(lambda: _try_slot(folder, agency, limit), AgencySearchesBusy(limit))
    try:
        yield
    finally:
        os.close(fd)  # closing the only descriptor releases its lock
