"""Shared fixtures.

Policy (the yente habit): few, small, named datasets, opted into per test.
- ``store``: one embedded FalkorDB for the whole session, in a temporary data directory, with
  the ontology's schema applied (Neo4j's with ``LINTAS_TEST_BACKEND=neo4j``). Tests that write
  use ``empty_store`` or ``fixture_graph``.
- ``empty_store``: ``store`` with the graph cleared.
- ``fixture_graph``: ``store`` holding exactly the hand-checked fixture of ``seed/fixture`` (loaded
  again only when the graph is no longer exactly what the last load left: a read-only test costs
  one snapshot read, not a reload).
- ``@pytest.mark.backends`` on a test or module: ``store`` (and so ``empty_store``,
  ``fixture_graph`` and every fixture built on them) is each backend in turn, the embedded
  FalkorDB and Neo4j (marked ``neo4j``). Every test that talks to a store carries it, unless it
  tests the embedded server itself.
- ``backend_store``: the conformance fixture, parametrised over every backend: the embedded
  FalkorDB always, and Neo4j (marked ``neo4j``). Holds the fixture graph.
- ``any_store`` / ``backend_empty_store``: the same two backends, as found / cleared; a test
  that should hold on Neo4j too asks for these instead of ``store`` / ``empty_store``.
- ``@pytest.mark.one_store("why")`` on a test of such a module: it runs on the embedded store
  only, because what it checks is the same Python on both (HTTP plumbing, a job's lifecycle, a
  role check) and a test named in the reason proves the store's part on Neo4j. A Neo4j case costs
  seconds of query planning and a job process; the suite must stay under 15 minutes on 2 cores.
- ``@pytest.mark.drops_neo4j_plans`` on a module (``pytestmark``): it changes Neo4j's schema or
  clears its query caches (``tests/replan.py``), so Neo4j plans every statement anew afterwards
  (any index created or dropped clears the whole cache); such modules are handed out last.
  ``tests/test_suite_order.py`` checks that every module doing so carries it.
- ``neo4j_uri``: the Neo4j the tests use: ``NEO4J_URI`` if set, else a server started once per
  session by ``graphapi.devserver.neo4j`` (Neo4j Community through ``tests/neo4j/``; the first
  run downloads it into ``~/.m2``), only if a test asks for it. The server is started in the
  background as soon as collection selected a ``neo4j`` test (each xdist worker its own), and its
  schema applied, so its minute of JVM start-up and schema overlaps the embedded tests (the
  workers run files of no Neo4j test first: tests/durations.py); the fixture waits for it, and a start that
  failed fails the Neo4j tests exactly as a start in the fixture would. ``LINTAS_TEST_NEO4J``:
  ``required`` (CI) makes "no Neo4j" a test failure; unset or ``auto`` skips the Neo4j cases,
  with a one-line reason, when Java or Maven is missing (a launch that fails with both present
  fails them); ``off`` always skips them.
Nothing here listens beyond loopback: the embedded server on a unix socket, Neo4j on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import durations
import pytest
import pytest_asyncio
from redis.asyncio import Redis
from retained_apps import let_go_of_built_apps
from store_datasets import holding

from graphapi.devserver import neo4j as neo4j_server

# The search queue is files in the data directory, which the two xdist workers share (.lintas): one
# worker's slow search would hold the other's back. The queue's own tests turn it on in a folder of their own.
os.environ.setdefault("LINTAS_SEARCH_SLOTS", "0")
from graphapi.ingest.fixture import load_fixture
from graphapi.settings import Neo4jSettings, Settings
from graphapi.store import GraphStore, open_store

REPO = Path(__file__).resolve().parents[1]
#: The real public data shipped beside the repository (see ../shared/data/README.md).
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def embedded_store(tmp_path_factory: pytest.TempPathFactory):
    data_dir = tmp_path_factory.mktemp("lintas-store")
    st = await open_store(Settings(data_dir=data_dir, graph="test", neo4j=Neo4jSettings(uri=None)))
    await st.init_schema()
    yield st
    await st.close()


async def reset_rate_limits(store: GraphStore) -> None:
    """Empty the rate-limit buckets the embedded server shares between workers (apps), so each
    test starts with full budgets as a fresh deployment would."""
    socket = getattr(getattr(store, "server", None), "socket", None)
    if not socket:
        return
    client = Redis(unix_socket_path=socket)
    try:
        keys = await client.keys("lintas:ratelimit:*")
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


@pytest.fixture(scope="session")
def store(request: pytest.FixtureRequest) -> GraphStore:
    """The session's default store: the embedded FalkorDB, or Neo4j with ``LINTAS_TEST_BACKEND=neo4j``
    (to try the whole suite on Neo4j; the embedded-only tests then fail, as they should); each
    backend in turn for a test marked ``backends``."""
    backend = getattr(request, "param", None) or os.environ.get("LINTAS_TEST_BACKEND", "falkordb")
    return request.getfixturevalue("neo4j_store" if backend == "neo4j" else "embedded_store")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    one = metafunc.definition.get_closest_marker("one_store")
    if one is not None and not (one.args and isinstance(one.args[0], str) and one.args[0].strip()):
        raise pytest.UsageError(f"{metafunc.definition.nodeid}: one_store needs its reason (what proves it on Neo4j)")
    backends = BACKENDS[:1] if one else BACKENDS
    if "store" in metafunc.fixturenames and metafunc.definition.get_closest_marker("backends"):
        metafunc.parametrize("store", backends, indirect=True, scope="session")
    elif one and "_backend" in metafunc.fixturenames:
        metafunc.parametrize("_backend", backends, indirect=True, scope="session")


@pytest_asyncio.fixture(loop_scope="session")
async def empty_store(store: GraphStore) -> GraphStore:
    await store.clear()
    await reset_rate_limits(store)
    return store


async def holding_fixture(store: GraphStore) -> GraphStore:
    """``store`` holding exactly the fixture graph (see ``holding``)."""
    return await holding(store, "fixture", load_fixture)


@pytest_asyncio.fixture(loop_scope="session")
async def fixture_graph(store: GraphStore) -> GraphStore:
    await reset_rate_limits(store)
    return await holding_fixture(store)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    """After each test, the apps it built are let go (tests/retained_apps.py: FastAPI's caches kept
    them all, and the GC's full collections grew with them)."""
    yield
    let_go_of_built_apps()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "neo4j: runs against Neo4j (NEO4J_URI or the launcher in tests/neo4j)")
    config.addinivalue_line("markers", "backends: runs once per backend (``store`` is each in turn)")
    config.addinivalue_line("markers", "one_store(reason): of a two-backend module, runs on the embedded store only")
    config.addinivalue_line("markers", "drops_neo4j_plans: a module that makes Neo4j drop every cached plan "
                                       "(schema change, db.clearQueryCaches); handed out last")


def _neo4j_mode() -> str:
    mode = os.environ.get("LINTAS_TEST_NEO4J", "auto").strip().lower() or "auto"
    if mode not in ("auto", "required", "off"):
        raise pytest.UsageError(f"LINTAS_TEST_NEO4J must be auto, required or off, not {mode!r}")
    return mode


def _no_neo4j(reason: str) -> None:
    """Skip (auto, off) or fail (required) a test that needs Neo4j, saying why."""
    if _neo4j_mode() == "required":
        pytest.fail(f"LINTAS_TEST_NEO4J=required, but {reason}", pytrace=False)
    pytest.skip(f"Neo4j tests skipped: {reason}")


@pytest.fixture(scope="session")
def neo4j_launcher():
    """``graphapi.devserver.neo4j``, once it is known that it can launch a server here (Java,
    Maven and the launcher files present); skips or fails (``required``) otherwise."""
    if _neo4j_mode() == "off":
        _no_neo4j("LINTAS_TEST_NEO4J=off")
    if reason := neo4j_server.missing_tools():
        _no_neo4j(reason)
    return neo4j_server


def _neo4j_home() -> Path:
    # In memory where the machine has a tmpfs: every test commits transactions, and a commit's
    # fsync on a busy disk costs more than the write (the fixture loads in about 2/3 of the time).
    shm = Path("/dev/shm")
    usable = shm.is_dir() and os.access(shm, os.W_OK)
    return Path(tempfile.mkdtemp(prefix="lintas-neo4j-", dir=shm if usable else None))


#: The session's Neo4j, being started in the background (``pytest_collection_finish``), with its
#: home directory; None when no selected test needs it or it cannot be launched here.
_early_neo4j: tuple[Future, Path] | None = None


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the session's Neo4j now if a selected test will ask for it (see the module docstring)."""
    global _early_neo4j
    if os.environ.get("NEO4J_URI") or _neo4j_mode() == "off" or neo4j_server.missing_tools():
        return  # the fixtures say why, when a test asks
    if not any(item.get_closest_marker("neo4j") for item in session.items):
        return
    home = _neo4j_home()
    pool = ThreadPoolExecutor(1, thread_name_prefix="neo4j-start")
    _early_neo4j = (pool.submit(_started_with_schema, home), home)
    pool.shutdown(wait=False)  # the start goes on; its Future holds the server or the error


def _started_with_schema(home: Path) -> neo4j_server.Neo4jServer:
    """A Neo4j started in ``home`` with the ontology's schema applied: ``init_schema``'s first run on
    a fresh server took 10-25 s of the first Neo4j test's setup (a worker waiting idle: ci90's
    first Neo4j tests took 26 and 31 s, 0.4 s on FalkorDB), run here it overlaps the embedded
    tests as the start does; the fixture's own run then finds it all in one read."""
    server = neo4j_server.start(home, jvm_options=neo4j_server.JVM_OPTIONS_TESTS)
    try:
        asyncio.run(_apply_schema(server.uri))
    except BaseException:
        server.kill()
        raise
    return server


async def _apply_schema(uri: str) -> None:
    st = await open_store(neo4j_settings(uri))
    try:
        await st.init_schema()
    finally:
        await st.close()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Stop a background-started Neo4j that no test asked for (the fixture stops one it took)."""
    if _early_neo4j is not None:
        future, home = _early_neo4j
        if future.exception() is None:  # waits for a start still going on
            future.result().kill()
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def neo4j_uri(request: pytest.FixtureRequest):
    """The Bolt URI of the session's Neo4j (see the module docstring)."""
    if uri := os.environ.get("NEO4J_URI"):
        yield uri
        return
    launcher = request.getfixturevalue("neo4j_launcher")
    if _early_neo4j is not None:
        future, home = _early_neo4j
    else:
        future, home = None, _neo4j_home()
    try:
        # Java and Maven are here: a launch that fails is a defect to see, never a skip.
        server = future.result() if future is not None else launcher.start(home, jvm_options=launcher.JVM_OPTIONS_TESTS)
        yield server.uri
        server.kill()  # a throw-away store: no clean shutdown (its checkpoint) needed
    finally:
        shutil.rmtree(home, ignore_errors=True)


def neo4j_settings(uri: str, **fields) -> Settings:
    """Settings for the test Neo4j at ``uri`` (the user and password from the environment, if any)."""
    return Settings(neo4j=Neo4jSettings(uri=uri), **fields)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def neo4j_store(neo4j_uri: str):
    """One Neo4jStore for the session over ``neo4j_uri``, schema applied."""
    st = await open_store(neo4j_settings(neo4j_uri))
    await st.init_schema()
    yield st
    await st.close()


BACKENDS = ["falkordb", pytest.param("neo4j", marks=pytest.mark.neo4j)]


@pytest.fixture(scope="session", params=BACKENDS)
def _backend(request: pytest.FixtureRequest) -> GraphStore:
    # sync, so that the async store fixtures it asks for run in the session loop, not inside it
    name = "embedded_store" if request.param == "falkordb" else "neo4j_store"
    return request.getfixturevalue(name)


@pytest_asyncio.fixture(loop_scope="session")
async def backend_store(_backend: GraphStore) -> GraphStore:
    await reset_rate_limits(_backend)  # a test's budgets never depend on which tests ran before it
    return await holding_fixture(_backend)


@pytest.fixture
def any_store(_backend: GraphStore) -> GraphStore:
    """Each backend in turn, holding whatever the last test left (the test clears it)."""
    return _backend


@pytest_asyncio.fixture(loop_scope="session")
async def backend_empty_store(_backend: GraphStore) -> GraphStore:
    """Each backend in turn, cleared."""
    await _backend.clear()
    return _backend


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Longest files first (tests/durations.py says why); a stable sort: each file's tests stay
    # together and in their own order
    rank = durations.longest_first([item.nodeid.split("::", 1)[0] for item in items], durations.measured())
    items.sort(key=lambda item: rank[item.nodeid.split("::", 1)[0]])
    # ... but the workers first run files of no Neo4j test while the session's Neo4j starts
    by_file: dict[str, list[pytest.Item]] = {}
    for item in items:
        by_file.setdefault(item.nodeid.split("::", 1)[0], []).append(item)
    uses_neo4j = {f for f, tests in by_file.items() if any(t.get_closest_marker("neo4j") for t in tests)}
    order = durations.neo4j_waits_last(list(by_file), uses_neo4j, durations.measured(), _workers(config))
    # ... and files that make Neo4j drop its cached plans come last (tests/durations.py)
    drop_plans = {f for f, tests in by_file.items() if tests[0].get_closest_marker("drops_neo4j_plans")}
    order = durations.plans_dropped_last(order, drop_plans)
    items[:] = [item for f in order for item in by_file[f]]


def _workers(config: pytest.Config) -> int:
    """How many xdist workers share the files (each worker's collection must order them alike)."""
    workerinput = getattr(config, "workerinput", None)
    count = workerinput["workercount"] if workerinput else getattr(config.option, "numprocesses", None)
    return count if isinstance(count, int) and count > 0 else 1
