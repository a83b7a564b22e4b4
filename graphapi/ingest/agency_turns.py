"""One ``ingest`` call at a time per agency in this process, so one agency's flood of parallel
calls cannot fill the store's write-lease queue ahead of everyone else's.

The write lease (``write_lease.py``) lets writers in the order they asked, one at a time. Forty
parallel ``ingest`` calls of 2,000 records from one agency took forty places in that line, and
another agency's 10-record call waited 34-38 s behind them (attack round 10, Q1). Here an
agency's calls wait for each other in the process before they ask for the lease, so the line
holds at most one call per agency per API worker: another agency waits for at most that many
of the flooding agency's calls, and the flood waits for itself.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

_turns: dict[str, asyncio.Lock] = {}


@contextlib.asynccontextmanager
async def agency_turn(agency: str) -> AsyncIterator[None]:
    """Hold ``agency``'s turn to write for the block (agencies are a short, fixed list)."""
    lock = _turns.setdefault(agency, asyncio.Lock())
    async with lock:
        yield
