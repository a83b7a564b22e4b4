"""Neo4jStore against a real Neo4j (the session's: ``NEO4J_URI`` or the launcher, tests/conftest.py)."""

import subprocess

import pytest

from graphapi.settings import Neo4jSettings
from graphapi.store import StoreError
from graphapi.store.neo4j import Neo4jStore

pytestmark = pytest.mark.neo4j

PERSON = {"caption": "Somchai", "name": "Somchai", "tlp": "CLEAR", "owner": "TH-DSI"}


async def _ids(store) -> set[str]:
    return {row["id"] for row in await store.read("ingest/node_ids")}


async def test_ping_reports_the_server_product_and_version(neo4j_store):
    assert (await neo4j_store.ping()).startswith("Neo4j/5.")


async def test_a_failing_batch_is_rolled_back_whole(neo4j_store):
    await neo4j_store.clear()
    # A map is no property value in Neo4j: the second row fails, after the first was written.
    rows = [{"id": "per-ok", "props": PERSON}, {"id": "per-bad", "props": {**PERSON, "name": {"x": 1}}}]
    with pytest.raises(StoreError, match="Property values can only be of primitive types"):
        await neo4j_store.write_batches("ingest/create_nodes", rows, batch_size=10, labels="Person")
    assert await _ids(neo4j_store) == set()


async def test_batches_before_a_failing_one_stay_written(neo4j_store):
    await neo4j_store.clear()
    rows = [{"id": "per-ok", "props": PERSON}, {"id": "per-bad", "props": {**PERSON, "name": {"x": 1}}}]
    with pytest.raises(StoreError):
        await neo4j_store.write_batches("ingest/create_nodes", rows, batch_size=1, labels="Person")
    assert await _ids(neo4j_store) == {"per-ok"}


async def test_a_write_leaves_a_bookmark_the_next_read_waits_for(neo4j_store):
    await neo4j_store.clear()
    before = set(await neo4j_store.bookmarks.get_bookmarks())
    await neo4j_store.write_batches("ingest/create_nodes", [{"id": "per-a", "props": PERSON}], labels="Person")
    after = set(await neo4j_store.bookmarks.get_bookmarks())
    assert after and after != before
    assert await _ids(neo4j_store) == {"per-a"}


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
async def test_direct_and_routing_uris_reach_the_server(neo4j_uri, scheme):
    store = await Neo4jStore.open(Neo4jSettings(uri=f"{scheme}://{neo4j_uri.split('://', 1)[1]}"))
    try:
        assert (await store.ping()).startswith("Neo4j/")
        assert await store.read("ingest/count_graph") != []
    finally:
        await store.close()


@pytest.mark.parametrize("uri", ["neo4j+s://db.example.org", "bolt+s://db.example.org:7687", "neo4j+ssc://10.0.0.1"])
async def test_tls_uris_are_accepted_without_connecting(uri):
    store = await Neo4jStore.open(Neo4jSettings(uri=uri))
    await store.close()


@pytest.mark.parametrize("uri", ["http://localhost:7474", "localhost:7687", "redis://x"])
async def test_an_unknown_uri_scheme_is_refused_naming_the_accepted_ones(uri):
    with pytest.raises(StoreError, match=r"NEO4J_URI must start with one of bolt://, .*neo4j\+s://"):
        await Neo4jStore.open(Neo4jSettings(uri=uri))



async def test_statements_naming_what_the_graph_lacks_yet_log_no_server_notifications(neo4j_store, caplog):
    await neo4j_store.clear()
    caplog.set_level("INFO", logger="neo4j")
    # "the property quarantined does not exist" would be logged on every call of an empty graph
    rows = await neo4j_store.read("ingest/identifier_holders",
                                  {"ids": ["x"], "types": ["USES_PHONE"], "agencies": ["TH-DSI"]})
    assert rows == []
    assert [r for r in caplog.records if "notification" in r.getMessage()] == []


def test_the_test_neo4j_loads_its_pinned_jars_without_verifying_them(neo4j_launcher):
    # a quarter of each test JVM's start was verifying Neo4j's classes (graphapi/devserver/neo4j.py)
    java = [neo4j_launcher._java("java"), "-XX:+UnlockDiagnosticVMOptions"]  # the flag printed either way
    for options in (neo4j_launcher.JVM_OPTIONS_TESTS, neo4j_launcher.JVM_OPTIONS_THROUGHPUT):
        done = subprocess.run([*java, *options, "-XX:+PrintFlagsFinal", "-version"],
                              capture_output=True, text=True, check=True, stdin=subprocess.DEVNULL)
        flag = next(line.split() for line in done.stdout.splitlines() if " BytecodeVerificationRemote " in line)
        assert flag[:4] == ["bool", "BytecodeVerificationRemote", "=", "false"]
