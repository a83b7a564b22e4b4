"""A read flagged ``bulk`` (``read(..., bulk=True)``, graphapi.store.bulk): the same rows as the
read without the flag, its reply decoded in a thread of the store layer's, never on the event
loop's (attack round a-74, 2: 50,000 crossings held the loop 1.9 s on the embedded store)."""

from __future__ import annotations

import threading

import pytest

from graphapi.errors import public_error
from graphapi.store import StoreUnavailable, falkordb_values
from graphapi.store import neo4j as neo4j_store

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

CROSSINGS = {"since": None, "until": None, "checkpoints": None, "limit": 1000, "masked": True,
             "agency": "TH-DSI"}


async def test_a_bulk_read_answers_the_same_rows_in_the_same_order(fixture_graph):
    plain = await fixture_graph.read("analytics/crossings_between", CROSSINGS)
    bulk = await fixture_graph.read("analytics/crossings_between", CROSSINGS, bulk=True)
    assert len(plain) >= 2
    assert bulk == plain


def _recording(calls: list[int], fn):
    def on_thread(*args):
        calls.append(threading.get_ident())
        return fn(*args)
    return on_thread


def _recording_async(calls: list[int], fn):
    async def on_thread(*args):
        calls.append(threading.get_ident())
        return await fn(*args)
    return on_thread


async def test_a_bulk_reads_reply_is_decoded_off_the_event_loops_thread(fixture_graph, monkeypatch):
    decoders, loop_thread = [], threading.get_ident()
    # the embedded store's reply decoded, Neo4j's rows made plain
    monkeypatch.setattr(falkordb_values, "decode_rows", _recording(decoders, falkordb_values.decode_rows))
    monkeypatch.setattr(neo4j_store, "plain_row", _recording(decoders, neo4j_store.plain_row))
    if (graph := getattr(fixture_graph, "_graph", None)) is not None:
        # the embedded store's reply received and parsed: by the asyncio client, on the loop (was)
        monkeypatch.setattr(graph, "execute_command", _recording_async(decoders, graph.execute_command))

    rows = await fixture_graph.read("analytics/crossings_between", CROSSINGS, bulk=True)
    assert decoders and loop_thread not in decoders
    assert len(rows) >= 2


@pytest.mark.one_store("the socket timed out is the embedded store's own connection; Neo4j's driver has none of it")
async def test_a_read_whose_reply_passes_the_socket_timeout_is_the_store_unavailable_and_sent_once(empty_store,
                                                                                                   monkeypatch):
    # a-74: eight 50,000-row reads at once met the client's socket timeout; the request gets a
    # GraphQL SERVICE_UNAVAILABLE error, never a bare TimeoutError, and the read is not sent again
    # to the server still running it, nor are the other statements' connections cut (c-fix57)
    connect = empty_store._connect

    def short_socket_timeout(server=None):
        connect(server)
        empty_store._bulk.connection_pool.connection_kwargs["socket_timeout"] = 0.01

    monkeypatch.setattr(empty_store, "_connect", short_socket_timeout)
    await empty_store._reconnect()
    await empty_store._run("CREATE (:Probe)", {}, read_only=False)
    pool, trips = empty_store._pool, empty_store.stats.round_trips
    try:
        with pytest.raises(StoreUnavailable) as unavailable:
            await empty_store._run("UNWIND range(1, 1000000) AS x RETURN count(x) AS n", {}, read_only=True, bulk=True)
        sent, kept = empty_store.stats.round_trips - trips, empty_store._pool is pool
    finally:
        monkeypatch.undo()
        await empty_store._reconnect()
        await empty_store.clear()
    assert public_error(unavailable.value) == (
        "SERVICE_UNAVAILABLE", "the graph store is unavailable; try again shortly")
    assert "did not answer in time" in str(unavailable.value)
    assert (sent, kept) == (1, True)


async def test_one_agencys_bulk_reads_leave_threads_for_another_agencys():
    # attack round a-85, 1: one agency's reads past their slots held all four threads, and another
    # agency's read waited 2.2 s for one
    import asyncio
    import threading

    from graphapi.store.bulk import MAX_BULK_READS, bulk_share, off_loop

    done = threading.Event()
    with bulk_share("TH-DSI"):  # TH-DSI's four reads hold their threads until VN-MPS's is answered
        th = [asyncio.ensure_future(off_loop(done.wait, 30)) for _ in range(MAX_BULK_READS)]
    await asyncio.sleep(0.05)
    try:
        with bulk_share("VN-MPS"):  # was behind TH-DSI's four: never answered while they ran
            assert await asyncio.wait_for(off_loop(sum, [1, 2]), 10) == 3
    finally:
        done.set()
        await asyncio.gather(*th)


@pytest.mark.one_store("the collector's pause is the embedded store's bulk connection's; Neo4j's driver has none")
async def test_a_bulk_read_after_a_store_restart_reads_its_new_connections_handshake_unpaused(empty_store, monkeypatch):
    # attack round a-97, 1: a restart makes a new bulk pool; the first read on each of its
    # connections began the collector's pause at the handshake's HELLO reply and kept it through the
    # server's run of the statement
    from redis.connection import UnixDomainSocketConnection

    from graphapi.store import collection_pause

    await empty_store._reconnect()  # the server alive: new pools, never connected
    replies, read = [], UnixDomainSocketConnection.read_response

    def noted(self, *args, **kwargs):  # each reply, and whether the collector's pause was on for it
        paused = collection_pause._paused
        replies.append((paused, read(self, *args, **kwargs)))
        return replies[-1][1]

    monkeypatch.setattr(UnixDomainSocketConnection, "read_response", noted)
    rows = await empty_store._run("RETURN 7 AS n", {}, read_only=True, bulk=True)
    assert rows == [{"n": 7}]
    handshake = [reply for paused, reply in replies if not isinstance(reply, list)]
    assert handshake and handshake[0]["proto"] == 3  # HELLO's reply among them: a new connection
    assert [isinstance(reply, list) for paused, reply in replies if paused] == [True]  # the statement's only
