"""An embedded FalkorDB statement stopped by the store's per-query timeout ("Query timed out") is a
StoreTimeout (GraphQL ``TIMEOUT``: narrow the request), not a StoreError answered ``INTERNAL``;
the store answers the next statement."""

import pytest
from store_datasets import holding

from graphapi.errors import public_error
from graphapi.ingest.fixture import load_fixture
from graphapi.store import StoreTimeout

pytestmark = pytest.mark.asyncio(loop_scope="session")

#: Every 4-tuple of the fixture's nodes: millions of rows, far past a 1 ms limit.
BROAD = "MATCH (a), (b), (c), (d) WHERE a.id + b.id + c.id + d.id = '' RETURN count(*) AS n"


async def test_a_statement_past_the_timeout_raises_store_timeout_and_the_store_goes_on(embedded_store):
    store = await holding(embedded_store, "fixture", load_fixture)
    limit = store.timeout_ms
    store.timeout_ms = 1
    try:
        with pytest.raises(StoreTimeout, match="Query timed out") as raised:
            await store._run(BROAD, None, read_only=True)
    finally:
        store.timeout_ms = limit
    assert public_error(raised.value)[0] == "TIMEOUT"
    assert await store._run("RETURN 1 AS one", None, read_only=True) == [{"one": 1}]
