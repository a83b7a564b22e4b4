"""The planted analytics graph (``graphapi.ingest.planted``) on every backend: ``planted_store``
is ``(store, Planted)``, the store holding exactly the planted graph (loaded again only when a
test changed it: see ``holding`` in tests/conftest.py)."""

from __future__ import annotations

import pytest_asyncio
from store_datasets import holding

from graphapi.ingest.planted import Planted, build_planted, load_planted
from graphapi.store import GraphStore


@pytest_asyncio.fixture(loop_scope="session")
async def planted_store(_backend: GraphStore) -> tuple[GraphStore, Planted]:
    await holding(_backend, "planted", load_planted)
    return _backend, build_planted()
