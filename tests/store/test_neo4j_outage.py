"""A Neo4j server that goes away: a clean SERVICE_UNAVAILABLE within a bounded time, never a hang,
and the same store (no restart) answers again once the server is back.

Runs its own private server (the session's must not die) behind a relay on loopback: the relay
cut resets every connection and refuses the port as the server's death would, and put back on
the same port is the server back (a second start of the JVM cost 10-20 s of CPU on 2 cores).
The server is then stopped the way the launcher stops when its parent goes (stdin closed).
"""

import asyncio

import pytest
from neo4j import RoutingControl
from tcp_cut import TcpCut

from graphapi.schema.context import Context
from graphapi.schema.schema import schema
from graphapi.security import DEMO_PRINCIPAL
from graphapi.settings import Neo4jSettings, Settings
from graphapi.store import StoreUnavailable, open_store

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.neo4j]

#: A hang guard, not a speed bound: the store gives up after its retry time (1 s here) plus
#: connection timeouts; only a hang reaches this.
BOUND_S = 120
SLOW = "UNWIND range(1, 2000000000) AS i WITH i WHERE i < 0 RETURN count(i) AS n"


async def test_a_server_that_goes_away_answers_unavailable_and_recovers_without_restart(neo4j_launcher, tmp_path):
    server = neo4j_launcher.start(tmp_path / "neo4j")
    relay = await TcpCut("127.0.0.1", int(server.uri.rsplit(":", 1)[1])).up()
    neo = Neo4jSettings(uri=f"bolt://127.0.0.1:{relay.port}", retry_s=1, connect_timeout_s=2)
    settings = Settings(statement_timeout_ms=60_000, neo4j=neo)
    store = await open_store(settings)
    try:
        assert await store.read("ingest/count_graph") == [{"nodes": 0, "relationships": 0}]

        # Mid-request: a long statement is running when the server dies.
        running = asyncio.ensure_future(store._run(SLOW, None, RoutingControl.READ))
        await asyncio.sleep(1)
        await relay.down()
        with pytest.raises(StoreUnavailable):
            await asyncio.wait_for(running, BOUND_S)

        # Gone: the next statement, a ping and a GraphQL query answer unavailable, quickly.
        with pytest.raises(StoreUnavailable):
            await asyncio.wait_for(store.read("ingest/count_graph"), BOUND_S)
        with pytest.raises(StoreUnavailable):
            await asyncio.wait_for(store.ping(), BOUND_S)
        result = await asyncio.wait_for(
            schema.execute('{ entity(id: "x") { lintasId } }', context_value=Context(store, DEMO_PRINCIPAL)), BOUND_S)
        assert [e.formatted["extensions"]["code"] for e in result.errors] == ["SERVICE_UNAVAILABLE"]

        # Back on the same port: the same store answers, no restart.
        await relay.up()
        assert await store.read("ingest/count_graph") == [{"nodes": 0, "relationships": 0}]
        assert (await store.ping()).startswith("Neo4j/")
    finally:
        await store.close()
        await relay.down()
        # The launcher's stop signal, what its parent's death does: stdin closes, Neo4j shuts down.
        server.process.stdin.close()
        assert server.process.wait(120) == 0
        assert "Bolt server has been shut down" in (tmp_path / "neo4j" / "logs" / "debug.log").read_text()

