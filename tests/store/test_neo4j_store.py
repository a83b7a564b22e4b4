"""Neo4jStore without a server: a fake driver records what the store hands it; auth from settings.

The same store against a real server: test_neo4j_server.py, test_neo4j_outage.py.
"""

import neo4j
import neo4j.time
import pytest
from neo4j import RoutingControl
from neo4j.exceptions import CypherSyntaxError, ServiceUnavailable, SessionExpired

from graphapi.settings import Neo4jSettings
from graphapi.store.errors import StoreError, StoreUnavailable
from graphapi.store.neo4j import Neo4jStore, auth_of
from graphapi.store.neo4j_args import ARGS
from graphapi.store.neo4j_rows import ROWS


class FakeDriver:
    """Records what the store hands the driver: reads as ``("session", query, params, access
    mode, database)``, writes as ``(query, params, routing, database)``. ``errors`` are raised
    by the next calls, one each, before ``records`` is answered."""

    def __init__(self, records=None, error=None, errors=()):
        self.calls = []
        self.records = records or []
        self.errors = list(errors) or ([error] * 1000 if error else [])

    async def execute_query(self, query, params, routing_, database_, bookmark_manager_):
        self.calls.append((query, params, routing_, database_))
        if self.errors:
            raise self.errors.pop(0)
        return self.records, None, None

    def session(self, database, default_access_mode, bookmark_manager):
        return FakeSession(self, database, default_access_mode)


class FakeSession:
    def __init__(self, driver, database, mode):
        self.driver, self.database, self.mode = driver, database, mode

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        return False

    async def run(self, query, params):
        self.driver.calls.append(("session", query, params, self.mode, self.database))
        if self.driver.errors:
            raise self.driver.errors.pop(0)
        return FakeResult(self.driver.records)


class FakeResult:
    def __init__(self, records):
        self.records = records

    async def to_eager_result(self):
        return self.records, None, None


async def test_a_read_is_one_auto_commit_query_in_a_read_session_of_the_named_database():
    driver = FakeDriver()
    store = Neo4jStore(driver, "lintas", timeout_ms=5000)
    await store.read("entity/by_ids", {"ids": ["a"], "agency": None})
    [(kind, query, params, mode, database)] = driver.calls
    # the parameters go as one map, planned once whatever their types (graphapi/store/neo4j_args.py)
    assert (kind, mode, database, params) == ("session", neo4j.READ_ACCESS, "lintas",
                                              {ARGS: {"ids": ["a"], "agency": None}})
    assert isinstance(query, neo4j.Query) and query.timeout == 5.0
    assert "MATCH (n:Entity {id: nid})" in query.text


async def test_a_read_is_repeated_after_a_retryable_error():
    driver = FakeDriver(records=[{ROWS: [[{"id": "a"}]]}], errors=[SessionExpired("cluster member gone")])
    rows = await Neo4jStore(driver, "neo4j", 1000).read("entity/by_ids", {"ids": ["a"], "agency": None})
    assert rows == [{"node": {"id": "a"}}]
    assert len(driver.calls) == 2


async def test_a_read_failing_for_good_is_not_repeated():
    driver = FakeDriver(errors=[CypherSyntaxError()])
    with pytest.raises(StoreError):
        await Neo4jStore(driver, "neo4j", 1000).read("entity/by_ids", {"ids": ["a"], "agency": None})
    assert len(driver.calls) == 1


async def test_a_read_still_failing_after_the_retry_time_is_store_unavailable():
    driver = FakeDriver(error=ServiceUnavailable("down"))
    store = Neo4jStore(driver, "neo4j", 1000)
    store.retry_s = 0.3
    with pytest.raises(StoreUnavailable):
        await store.read("entity/by_ids", {"ids": [], "agency": None})
    assert 2 <= len(driver.calls) < 10


async def test_writes_route_to_the_leader():
    driver = FakeDriver()
    await Neo4jStore(driver, "neo4j", 1000).write("admin/clear")
    assert driver.calls[0][2] == RoutingControl.WRITE


async def test_neo4j_override_statement_is_used():
    driver = FakeDriver()
    await Neo4jStore(driver, "neo4j", 1000).read(
        "search/fulltext",
        {"query": "x*", "labels": None, "countries": None, "skip": 0, "limit": 2, "agency": None, "keys": [],
         "phrases": [], "latinPhrases": [], "wordsets": [], "latinWordsets": [], "ranked": 2, "victimData": False},
    )
    assert "db.index.fulltext.queryNodes('entity_search'" in driver.calls[0][1].text


async def test_temporal_values_come_back_as_iso_strings():
    node = {"d": neo4j.time.Date(2024, 10, 1), "m": {"at": neo4j.time.DateTime(2024, 10, 1, 10, 12, 0)}}
    store = Neo4jStore(FakeDriver(records=[{ROWS: [[node]]}]), "neo4j", 1000)
    rows = await store.read("entity/by_ids", {"ids": [], "agency": None})
    assert rows == [{"node": {"d": "2024-10-01", "m": {"at": "2024-10-01T10:12:00.000000000"}}}]


async def test_a_statement_answers_its_rows_in_one_record_in_their_order():
    driver = FakeDriver(records=[{ROWS: [[{"id": "b"}], [{"id": "a"}]]}])
    rows = await Neo4jStore(driver, "neo4j", 1000).read("entity/by_ids", {"ids": ["b", "a"], "agency": None})
    assert rows == [{"node": {"id": "b"}}, {"node": {"id": "a"}}]
    assert driver.calls[0][1].text.startswith("CALL {") and driver.calls[0][1].text.endswith(
        "RETURN collect([`node`]) AS lintas_rows")


async def test_unreachable_server_is_store_unavailable():
    store = Neo4jStore(FakeDriver(error=ServiceUnavailable("down")), "neo4j", 1000)
    store.retry_s = 0  # no retrying (the default's 15 s of it: the test below retries, for 0.3 s)
    with pytest.raises(StoreUnavailable):
        await store.read("entity/by_ids", {"ids": [], "agency": None})


async def test_round_trips_are_counted():
    store = Neo4jStore(FakeDriver(), "neo4j", 1000)
    await store.write_batches("admin/clear", [{}] * 5, batch_size=2)
    assert store.stats.round_trips == 3


def test_auth_is_a_bearer_token_when_one_is_set():
    auth = auth_of(Neo4jSettings(uri="neo4j://x", token="tok", password="pw"))
    assert (auth.scheme, auth.credentials) == ("bearer", "tok")


def test_auth_is_user_and_password_when_a_password_is_set():
    auth = auth_of(Neo4jSettings(uri="neo4j://x", user="lintas", password="pw"))
    assert (auth.scheme, auth.principal, auth.credentials) == ("basic", "lintas", "pw")


def test_no_password_and_no_token_means_no_authentication():
    assert auth_of(Neo4jSettings(uri="neo4j://x")) is None


def test_auth_reads_neo4j_user_password_and_token_from_the_environment(monkeypatch):
    monkeypatch.setenv("NEO4J_USER", "svc")
    monkeypatch.setenv("NEO4J_PASSWORD", "s3cret")
    assert auth_of(Neo4jSettings()) == neo4j.basic_auth("svc", "s3cret")
    monkeypatch.setenv("NEO4J_TOKEN", "jwt-token")
    assert auth_of(Neo4jSettings()) == neo4j.bearer_auth("jwt-token")
