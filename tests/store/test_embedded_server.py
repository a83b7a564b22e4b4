"""The embedded FalkorDB server: one per data directory, shared, restarted, shut down cleanly."""

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from graphapi.store import GraphStore
from graphapi.store import embedded_server as es
from graphapi.store.falkordb import EmbeddedStore


def _alive(pid: int) -> bool:
    return es.pid_alive(pid)


@pytest.mark.asyncio(loop_scope="session")
async def test_second_store_attaches_to_the_running_server(tmp_path):
    a = await EmbeddedStore.open(tmp_path, "g")
    b = await EmbeddedStore.open(tmp_path, "g")
    try:
        assert a.server == b.server
        await a.write("admin/clear")
        assert await b.read("entity/by_ids", {"ids": ["x"], "agency": None}) == []
    finally:
        await a.close()
        assert _alive(b.server.pid), "server must outlive a client while another is attached"
        pid = b.server.pid
        await b.close()
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(pid), "last client to leave stops the server"


@pytest.mark.asyncio(loop_scope="session")
async def test_another_process_attaches_instead_of_starting_a_second_server(tmp_path):
    store = await EmbeddedStore.open(tmp_path, "g")
    try:
        code = (
            "import sys; from pathlib import Path; from graphapi.store import embedded_server as es; "
            "print(es.ensure_server(Path(sys.argv[1])).pid)"
        )
        out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True)
        assert int(out.stdout.strip()) == store.server.pid
    finally:
        await store.close()


@pytest.mark.asyncio(loop_scope="session")
async def test_data_survives_a_killed_server(tmp_path):
    store = await EmbeddedStore.open(tmp_path, "g")
    try:
        await store.init_schema()
        await store.write_batches("ingest/merge_nodes", [{"id": "per-1", "props": {"name": "A", "tlp": "CLEAR"}}],
                                  labels="Person")
        time.sleep(1.2)  # appendfsync everysec
        old = store.server.pid
        os.kill(old, signal.SIGKILL)
        rows = await store.read("entity/by_ids", {"ids": ["per-1"], "agency": None})
        assert store.server.pid != old
        assert rows[0]["node"]["properties"]["name"] == "A"
    finally:
        await store.close()


@pytest.mark.asyncio(loop_scope="session")
async def test_a_ping_starts_a_killed_server_again(tmp_path):
    # attack round 23, C6: /readyz pings; with no statement in between the worker stayed unready
    store = await EmbeddedStore.open(tmp_path, "g")
    try:
        old = store.server.pid
        os.kill(old, signal.SIGKILL)
        await store.ping()
        assert store.server.pid != old and _alive(store.server.pid)
    finally:
        await store.close()


def test_stale_server_record_of_a_dead_process_is_replaced(tmp_path):
    (tmp_path / "server.json").write_text('{"pid": 999999, "socket": "/tmp/none.sock"}')
    info = es.ensure_server(tmp_path)
    try:
        assert info.pid != 999999 and _alive(info.pid)
    finally:
        es.stop_server(info)


def _aof_files(data_dir):
    aof = data_dir / "appendonlydir"
    return {p.name.split(".")[-1]: p for p in aof.iterdir() if p.suffix in (".rdb", ".aof")}


async def test_checkpoint_leaves_a_file_grown_by_less_than_the_bound_and_compacts_one_grown_past_it(tmp_path):
    store = await EmbeddedStore.open(tmp_path)
    try:
        await store.init_schema()  # a new data directory: compacted once, at init
        rows = [{"id": f"phone:+6681{i:07d}", "props": {"number": f"+6681{i:07d}"}} for i in range(2000)]
        await store.write_batches("ingest/create_nodes", rows, 500, labels="Phone")
        grown = _aof_files(tmp_path)["aof"].stat().st_size
        assert grown > 100_000
        await store.checkpoint(min_growth_bytes=grown + 1)  # a small load into a big graph
        assert _aof_files(tmp_path)["aof"].stat().st_size == grown  # left to replay, not rewritten
        await store.checkpoint(min_growth_bytes=grown)  # the statements add up to the bound
        assert _aof_files(tmp_path)["aof"].stat().st_size == 0
    finally:
        await store.close()


async def test_checkpoint_compacts_the_append_only_file_into_a_snapshot(tmp_path):
    store = await EmbeddedStore.open(tmp_path)
    try:
        await store.init_schema()
        rows = [{"id": f"phone:+6681{i:07d}", "props": {"number": f"+6681{i:07d}"}} for i in range(2000)]
        await store.write_batches("ingest/create_nodes", rows, 500, labels="Phone")
        assert _aof_files(tmp_path)["aof"].stat().st_size > 100_000  # the statements, as sent
        await store.checkpoint()
        files = _aof_files(tmp_path)
        assert files["aof"].stat().st_size == 0  # nothing left to replay statement by statement
        assert files["rdb"].stat().st_size > 10_000  # the graph, as a snapshot
    finally:
        await store.close()
    again = await EmbeddedStore.open(tmp_path)
    try:
        assert (await again.read("ingest/count_graph", {}))[0]["nodes"] == 2000
    finally:
        await again.close()


@pytest.mark.asyncio(loop_scope="session")
async def test_store_adds_up_the_time_the_server_reports(empty_store: GraphStore):
    before = empty_store.stats.server_seconds
    await empty_store.read("ingest/count_graph")
    assert empty_store.stats.server_seconds > before


@pytest.mark.asyncio(loop_scope="session")
async def test_the_server_keeps_a_query_plan_for_every_statement(store: GraphStore):
    # with FalkorDB's default of 25 plans, one load evicted the search's plan and the next search
    # planned search/fulltext again: seconds each time on a busy machine
    from pathlib import Path

    from redis.asyncio import Redis

    statements = list((Path(__file__).resolve().parents[2] / "cypher").rglob("*.cypher"))
    client = Redis(unix_socket_path=store.server.socket)
    try:
        [_, plans] = await client.execute_command("GRAPH.CONFIG", "GET", "CACHE_SIZE")
    finally:
        await client.aclose()
    assert plans == es.PLAN_CACHE_SIZE >= len(statements) > 100


@pytest.mark.asyncio(loop_scope="session")
async def test_a_killed_servers_restart_runs_off_the_event_loop(tmp_path, monkeypatch):
    # attack round a-88, 4: the retry's reconnect started the server again on the event loop, every
    # request of the worker (/healthz too) waiting 1.4 s for the restart and the data's reload
    store = await EmbeddedStore.open(tmp_path, "g")
    try:
        loop_thread, started_on = threading.get_ident(), []
        ensure = es.ensure_server

        def watched(data_dir):
            started_on.append(threading.get_ident())
            return ensure(data_dir)

        monkeypatch.setattr(es, "ensure_server", watched)
        old = store.server.pid
        os.kill(old, signal.SIGKILL)
        await store.ping()  # a statement's retry reconnects alike
        assert store.server.pid != old
        assert started_on and loop_thread not in started_on
    finally:
        await store.close()
