"""A Neo4j statement that runs past the store's statement timeout is a StoreTimeout (GraphQL
``TIMEOUT``), not a bug reported as ``INTERNAL``; the store answers the next statement."""

import pytest
from neo4j import RoutingControl

from graphapi.settings import Neo4jSettings, Settings
from graphapi.store import StoreTimeout, open_store

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.neo4j]

SLOW = "UNWIND range(1, 2000000000) AS i WITH i WHERE i < 0 RETURN count(i) AS n"


async def test_a_statement_past_the_timeout_raises_store_timeout_and_the_store_goes_on(neo4j_uri):
    store = await open_store(Settings(statement_timeout_ms=500, neo4j=Neo4jSettings(uri=neo4j_uri)))
    try:
        with pytest.raises(StoreTimeout, match="TransactionTimedOut"):
            await store._run(SLOW, None, RoutingControl.READ)
        assert (await store.ping()).startswith("Neo4j/")
    finally:
        await store.close()
