"""The planted analytics graph (``graphapi.ingest.planted``) on every backend: ``planted_store``
is ``(store, Planted)``, the store holding exactly the planted graph."""

from __future__ import annotations

import pytest_asyncio

from graphapi.ingest.planted import Planted, load_planted
from graphapi.store import GraphStore


@pytest_asyncio.fixture(loop_scope="session")
async def planted_store(_backend: GraphStore) -> tuple[GraphStore, Planted]:
    await _backend.clear()
    planted = await load_planted(_backend)
    return _backend, planted
