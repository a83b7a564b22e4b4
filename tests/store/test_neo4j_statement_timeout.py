"""A Neo4j statement that runs past the store's statement timeout is a StoreTimeout (GraphQL
``TIMEOUT``), not a bug reported as ``INTERNAL``; the store answers the next statement."""

import pytest
from neo4j import RoutingControl

from graphapi.errors import public_error
from graphapi.settings import Neo4jSettings, Settings
from graphapi.store import StoreTimeout, open_store
from graphapi.store.errors import WriteTimeout

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


async def test_a_write_that_waits_past_the_timeout_for_another_writers_lock_says_so(neo4j_uri):
    # attack round 16, N4: a lock wait ended by the timeout came back as "internal error"
    import neo4j

    store = await open_store(Settings(statement_timeout_ms=500, neo4j=Neo4jSettings(uri=neo4j_uri)))
    holder = neo4j.AsyncGraphDatabase.driver(neo4j_uri, auth=None)
    try:
        async with holder.session() as session:
            await (await session.run("MERGE (:LockProbe {id: 'n4'})")).consume()
            held = await session.begin_transaction()
            await (await held.run("MATCH (p:LockProbe {id: 'n4'}) SET p.by = 'another writer'")).consume()
            with pytest.raises(WriteTimeout, match="the write ran past the statement timeout, waiting for a lock "
                                                   "another writer holds") as raised:
                await store._run("MATCH (p:LockProbe {id: 'n4'}) SET p.by = 'this one'", None, RoutingControl.WRITE)
            # what a /loads job's poller reads too (attack round 19, N4b: it read "ask for less")
            assert public_error(raised.value) == ("TIMEOUT", "a write ran past the store's time limit, waiting for a "
                                                  "lock another writer (a load, a share) holds: nothing of this "
                                                  "statement was written; try again once it ends")
            await held.rollback()
            await (await session.run("MATCH (p:LockProbe) DELETE p")).consume()
    finally:
        await holder.close()
        await store.close()
