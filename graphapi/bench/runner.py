"""``lintas bench``: generate or reuse the feeds, load them, measure every analyst operation.

Sections (``--only`` takes section or operation names, comma-separated):

- ``reader``: the mapped-CSV reader alone on the call-record feed, value maps and transforms
  included, warm memo, best pass of CPU time per row (:mod:`graphapi.bench.reader_speed`).
- ``load``: the feeds through the real ingest path (:mod:`graphapi.bench.load`): nodes/s and
  relationships/s over the whole load's wall time, per feed, and where the time went; on the
  embedded store also the store's own ceiling (:mod:`graphapi.bench.ceiling`: the writer's
  statements fed prepared rows).
- ``reads``: each operation as an in-process service call (``investigate``): ``lookup``,
  ``values``, ``search``, ``relationships``, ``neighbourhood`` (2 hops), ``path`` (shortest); best
  of ``--rounds``, interleaved, with the store's own time and this process's CPU per call
  (:mod:`graphapi.bench.reads`).
- ``analytics``: p50/p95 of the investigation analytics (2-hop expand, shortest path, 4-hop money
  trail, co-travel, communities) on seeds that exercise them, best of ``--rounds``, with the
  store's own time, CPU time and load average (:mod:`graphapi.bench.analytics`).
- ``graphql``: the same operations as GraphQL over HTTP to a uvicorn subprocess, interleaved with
  the raw service call on the same input; ratio of the p50s, measured in the same run.
- ``roundtrips``: store round trips per nested GraphQL request (entity -> 10 relationships ->
  5 relationships of each neighbour), counted by the store server (embedded) and by the store's
  own counter (in-process app).
- ``throughput``: a weighted mix of reads (lookup, search, relationships page, neighbourhood)
  from ``--clients`` connections of a client process of its own, to ``--workers`` API workers:
  requests/s and p50/p95/p99 per document and overall (:mod:`graphapi.bench.traffic`).
- ``memory``: peak RSS of the API process (its workers summed), the store server and the bench
  (loader) process.
- ``soak`` (only when named or given ``--soak-s``): the throughput mix for minutes while API and
  store memory are sampled; first, last, peak and slope (:mod:`graphapi.bench.soak`).

The 1-minute load average before and after each section is kept in ``meta.load_average_1m``.

Backends: ``embedded`` (FalkorDB in the bench's data directory), ``neo4j`` (``NEO4J_URI``; if it
is unset, a Neo4j Community server started by the project's launcher, ``graphapi.devserver.neo4j``,
in ``root/neo4j`` for the run), or ``both``: the same workload on each, one after the other, in one
run, reported side by side (``result["backends"]``). On Neo4j the load section also runs the
store ceiling (before the load, in the same database) and reports the server's own execution
time beside wall time.

The bench keeps its own data under ``root`` (default ``.lintas/bench``): ``feeds/`` (generated
CSVs, reused while the generator version, scale and seed match) and ``data/`` (the embedded
store; a directory is only ever deleted if it carries the bench's marker file). It never touches
the user's graph; on Neo4j it refuses to clear a non-empty database unless told to.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import shutil
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

from graphapi.bench import api, overhead, soak, traffic
from graphapi.bench.analytic_seeds import draw_analytic_seeds
from graphapi.bench.analytics import measure_analytics
from graphapi.bench.ceiling import SCRATCH_GRAPH, store_ceiling
from graphapi.bench.config import OPERATIONS, SECTIONS, STATEMENT_TIMEOUT_MS, BenchConfig, BenchError
from graphapi.bench.generate import GENERATOR_VERSION, cached_or_generate
from graphapi.bench.load import MAPPINGS, TimedStore, load_feeds, reload_feeds
from graphapi.bench.measure import cpu_seconds, git_commit, load_average, machine, own_peak_rss_mib, peak_rss_mib
from graphapi.bench.profiling import Profiler
from graphapi.bench.reader_speed import reader_speed
from graphapi.bench.reads import measure_reads, read_calls
from graphapi.bench.samples import draw_samples
from graphapi.bench.soak import SOAK_S
from graphapi.settings import Neo4jSettings, Settings
from graphapi.store import GraphStore, StoreError, open_store
from graphapi.store.clearing import clear_in_parts

MARKER = ".lintas-bench"
REPO = Path(__file__).resolve().parents[2]


def _data_dir(cfg: BenchConfig) -> Path:
    return Path(cfg.root) / "data" / f"S{cfg.scale:g}"


def _fresh_dir(path: Path) -> None:
    if path.exists():
        if not (path / MARKER).exists():
            raise BenchError(f"{path} exists and is not a bench directory; not deleting it")
        shutil.rmtree(path)
    path.mkdir(parents=True)
    (path / MARKER).write_text("lintas bench data; safe to delete\n")


#: Backends ``--backend`` takes; ``both`` runs the first two in turn.
BACKENDS = ("embedded", "neo4j", "both")
#: The launched Neo4j's page cache: the bench graph at the default scale fits several times over.
NEO4J_PAGE_CACHE_MIB = 256


def _settings(cfg: BenchConfig) -> Settings:
    """Settings of the bench's store (embedded in its data dir, or the Neo4j at ``NEO4J_URI`` of
    the bench's environment, user and password as the process's ``NEO4J_*`` say)."""
    if cfg.backend == "neo4j":
        return Settings(neo4j=Neo4jSettings(uri=cfg.env.get("NEO4J_URI")), statement_timeout_ms=STATEMENT_TIMEOUT_MS)
    return Settings(data_dir=_data_dir(cfg), graph="bench", neo4j=Neo4jSettings(uri=None),
                    statement_timeout_ms=STATEMENT_TIMEOUT_MS)


#: Neo4j's store ceiling writes at most this many relationships: on this shared 2-core machine a
#: 100,000-row ceiling kept ``bench --backend both --scale 0.01`` running for far too long.
NEO4J_CEILING_CAP = 10_000
#: Items one transaction of the bench's clearing of a Neo4j database deletes at most.
NEO4J_CLEAR_PART = 10_000


def ceiling_relationships(loaded: int, backend: str) -> int:
    """How many prepared relationships the store ceiling writes for a load of ``loaded``: the
    load's own size within 10,000..100,000, and on Neo4j never more than NEO4J_CEILING_CAP."""
    rows = max(10_000, min(loaded, 100_000))
    return min(rows, NEO4J_CEILING_CAP) if backend == "neo4j" else rows


async def _open(cfg: BenchConfig, data_dir: Path) -> GraphStore:
    if cfg.backend == "embedded":
        return await open_store(Settings(data_dir=data_dir, graph="bench", neo4j=Neo4jSettings(uri=None),
                                         statement_timeout_ms=STATEMENT_TIMEOUT_MS))
    if cfg.backend == "neo4j":
        if not cfg.env.get("NEO4J_URI"):
            raise BenchError("--backend neo4j needs NEO4J_URI (and NEO4J_USER / NEO4J_PASSWORD)")
        return await open_store(_settings(cfg))
    raise BenchError(f"unknown backend {cfg.backend!r}; use {', '.join(BACKENDS)}")


@contextlib.asynccontextmanager
async def _neo4j_for(cfg: BenchConfig, progress: Callable[[str], None]) -> AsyncIterator[int | None]:
    """With ``NEO4J_URI`` unset, start Neo4j with the project's launcher for the run (its store
    in ``root/neo4j``), put its URI in ``cfg.env`` and yield its pid; else yield None."""
    if cfg.backend != "neo4j" or cfg.env.get("NEO4J_URI"):
        yield None
        return
    from graphapi.devserver import neo4j as launcher

    if reason := launcher.missing_tools():
        raise BenchError(f"--backend neo4j: NEO4J_URI is unset and Neo4j cannot be started here: {reason}")
    home = Path(cfg.root) / "neo4j"
    _fresh_dir(home)
    progress("starting Neo4j (NEO4J_URI unset: the project's launcher)")
    try:
        server = await asyncio.to_thread(launcher.start, home, page_cache_mib=NEO4J_PAGE_CACHE_MIB,
                                         jvm_options=launcher.JVM_OPTIONS_THROUGHPUT)
    except launcher.Neo4jLaunchError as exc:
        raise BenchError(str(exc)) from None
    cfg.env["NEO4J_URI"] = server.uri
    try:
        yield server.process.pid
    finally:
        cfg.env.pop("NEO4J_URI", None)
        await asyncio.to_thread(server.kill)  # a throw-away store: no clean shutdown needed


async def _count(store: GraphStore) -> dict[str, int] | None:
    try:
        rows = await store.read("ingest/count_graph")
    except (StoreError, KeyError, LookupError):
        return None
    return {"nodes": int(rows[0]["nodes"]), "relationships": int(rows[0]["relationships"])} if rows else None


@contextlib.contextmanager
def _section(result: dict[str, Any], name: str) -> Iterator[None]:
    """Note the 1-minute load average before and after section ``name`` in the result's meta: a
    figure measured while the machine got busier says so."""
    before = load_average()
    try:
        yield
    finally:
        result["meta"].setdefault("load_average_1m", {})[name] = {"before": before, "after": load_average()}


async def _guard(result: dict[str, Any], key: str, work: Any) -> None:
    """``result[key] = await work``; a section that fails records ``{"error": ...}`` instead, so
    one failure never loses the figures already measured."""
    try:
        result[key] = await work
    except Exception as exc:  # noqa: BLE001 - reported in the result and the table
        result[key] = {"error": f"{type(exc).__name__}: {exc}"[:500]}


async def run_bench(cfg: BenchConfig, progress: Callable[[str], None] = lambda _m: None) -> dict[str, Any]:
    """Run the selected measurements; returns the JSON-ready result (see :mod:`.report`); for
    ``backend="both"`` ``{"meta", "feeds", "backends": {"embedded": result, "neo4j": result}}``.

    Raises BenchError for a bad configuration and the store's errors if it fails.
    """
    if not cfg.scale > 0:
        raise BenchError("--scale must be > 0")
    unknown = (cfg.only or frozenset()) - set(SECTIONS) - set(OPERATIONS)
    if unknown:
        raise BenchError(f"unknown --only names {sorted(unknown)}; known: {', '.join(SECTIONS + OPERATIONS)}")
    if cfg.backend not in BACKENDS:
        raise BenchError(f"unknown backend {cfg.backend!r}; use {', '.join(BACKENDS)}")
    if cfg.backend == "both":
        started = time.time()
        results = {}
        for backend in ("embedded", "neo4j"):
            profile_dir = Path(cfg.profile_dir) / backend if cfg.profile_dir is not None else None
            results[backend] = await run_bench(dataclasses.replace(cfg, backend=backend, env=dict(cfg.env),
                                                                   profile_dir=profile_dir),
                                               lambda msg, b=backend: progress(f"{b}: {msg}"))
        meta = {**results["embedded"]["meta"], "backend": "both", "seconds": round(time.time() - started, 1)}
        return {"meta": meta, "feeds": results["embedded"]["feeds"], "backends": results}
    started = time.time()
    result: dict[str, Any] = {
        "meta": {"scale": cfg.scale, "backend": cfg.backend, "seed": cfg.seed, "generator": GENERATOR_VERSION,
                 "commit": git_commit(REPO), "machine": machine(),
                 "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
                 "only": sorted(cfg.only) if cfg.only else None},
    }
    progress(f"feeds at scale {cfg.scale:g}")
    t = time.perf_counter()
    manifest, feed_dir, reused = cached_or_generate(Path(cfg.root) / "feeds", cfg.scale, cfg.seed)
    result["feeds"] = {"dir": str(feed_dir), "reused": reused, "seconds": round(time.perf_counter() - t, 3),
                       "rows": manifest.rows, "nodes": manifest.nodes, "relationships": manifest.relationships}

    if cfg.wants("reader"):
        progress("reader: the call-record feed through its mapping, no store")
        with _section(result, "reader"):
            result["reader"] = reader_speed(MAPPINGS / "cdr.yaml", feed_dir / manifest.files["cdr"])
        if cfg.only == frozenset({"reader"}):  # nothing else needs the store
            result["meta"]["seconds"] = round(time.time() - started, 1)
            return result
    data_dir = _data_dir(cfg)
    loaded_file = data_dir / "loaded.json"
    want_load = cfg.wants("load")
    if cfg.backend == "embedded" and not want_load:
        try:
            done = json.loads(loaded_file.read_text())
            want_load = not (done.get("seed") == cfg.seed and done.get("generator") == GENERATOR_VERSION)
        except (OSError, ValueError):
            want_load = True
    if cfg.backend == "embedded" and want_load:
        _fresh_dir(data_dir)
    async with _neo4j_for(cfg, progress) as neo4j_pid:
        if neo4j_pid is not None:
            want_load = True  # a new, empty server
        result["meta"]["neo4j_launched"] = neo4j_pid is not None
        store = await _open(cfg, data_dir)
        try:
            await _run(cfg, store, manifest, feed_dir, data_dir, want_load, result, progress, neo4j_pid)
        finally:
            await store.close()
    result["meta"]["seconds"] = round(time.time() - started, 1)
    return result


async def _run(cfg: BenchConfig, store: GraphStore, manifest: Any, feed_dir: Path, data_dir: Path,
               want_load: bool, result: dict[str, Any], progress: Callable[[str], None],
               neo4j_pid: int | None = None) -> None:
    profiler = Profiler(cfg.profile_dir)
    if want_load:
        ceiling = None
        if cfg.backend == "neo4j":
            counts = await _count(store)
            if counts and counts["nodes"] and not cfg.clear_neo4j:
                raise BenchError(f"the Neo4j database holds {counts['nodes']} nodes; pass --clear-neo4j to let "
                                 "the bench delete them (use a database of its own)")
            await clear_in_parts(store, NEO4J_CLEAR_PART)
            # Neo4j has one database here: the ceiling runs first, in it, and clears it after.
            rows = ceiling_relationships(manifest.relationships, "neo4j")
            progress(f"store ceiling: the writer's statements with prepared rows ({rows:,} relationships, "
                     f"capped at {NEO4J_CEILING_CAP:,} on Neo4j)")
            settings = _settings(cfg)
            ceiling = await store_ceiling(lambda: open_store(settings), rows, cfg.batch_size)
        await store.init_schema()
        progress(f"loading {manifest.relationships:,} relationships through the ingest path")
        server_s, trips = store.stats.server_seconds, store.stats.round_trips
        cpu_s = time.process_time()
        # the store server's CPU: on a shared box its run time counts waiting for a core, its CPU does not
        store_pid = getattr(getattr(store, "server", None), "pid", None) or neo4j_pid
        store_cpu = cpu_seconds(store_pid) if store_pid else None
        with profiler.section("load"), _section(result, "load"):
            lr = await load_feeds(store, manifest, feed_dir, cfg.batch_size, server_pid=store_pid)
        cpu_s = time.process_time() - cpu_s
        store_cpu_after = cpu_seconds(store_pid) if store_pid else None
        store_cpu_s = store_cpu_after - store_cpu if store_cpu is not None and store_cpu_after is not None else None
        server_s, trips = store.stats.server_seconds - server_s, store.stats.round_trips - trips
        secs = lr.seconds
        result["load"] = {
            "seconds": round(secs, 3), "rows": lr.rows, "nodes_created": lr.nodes_created,
            "relationships_created": lr.relationships_created,
            "nodes_per_s": round(lr.nodes_created / secs, 1) if secs else None,
            "relationships_per_s": round(lr.relationships_created / secs, 1) if secs else None,
            "records_per_s": round((lr.nodes_created + lr.relationships_created) / secs, 1) if secs else None,
            "rejected": sum(f.rejected for f in lr.feeds), "dangling": sum(f.dangling for f in lr.feeds),
            "expected_nodes": manifest.nodes, "expected_relationships": manifest.relationships,
            "batch_size": cfg.batch_size,
            # The store's own execution time over the whole load (FalkorDB's run time, Neo4j's
            # result available + consumed after: no client, wire or commit) and its statements.
            "store_server_s": round(server_s, 3), "store_round_trips": trips,
            # CPU time of this process (reader, guard, writer, client) over the load: unlike wall
            # time, it hardly moves with what else the machine runs
            "loader_cpu_s": round(cpu_s, 3),
            "loader_cpu_us_per_row": round(1e6 * cpu_s / lr.rows, 1) if lr.rows else None,
            "relationships_per_server_s": round(lr.relationships_created / server_s, 1) if server_s else None,
            "store_server_cpu_s": round(store_cpu_s, 3) if store_cpu_s is not None else None,
            "store_cpu_us_per_relationship": round(1e6 * store_cpu_s / lr.relationships_created, 1)
            if store_cpu_s is not None and lr.relationships_created else None,
            "time_split_s": {k: round(v, 3) for k, v in lr.time_split().items()},
            # the store server's CPU while each statement ran (a statement overlapping another is
            # charged both: the write lease's renewal beside a batch)
            "store_cpu_s_by_statement": {k: round(v, 3) for k, v in sorted(
                lr.store_cpu_split().items(), key=lambda kv: -kv[1])},
            "feeds": [{"feed": f.feed, "rows": f.rows, "nodes_created": f.nodes_created,
                       "relationships_created": f.relationships_created, "seconds": round(f.seconds, 3),
                       "relationships_per_s": round(f.relationships_created / f.seconds, 1) if f.seconds else None,
                       "read_s": round(f.read_seconds, 3), "writer_python_s": round(f.writer_python_seconds, 3),
                       "store_s": {k: round(v, 3) for k, v in f.store_seconds.items()}} for f in lr.feeds],
        }
        progress("loading the same feeds again: the incremental, idempotent load")
        with profiler.section("reload"), _section(result, "reload"):
            result["load"]["incremental"] = await reload_feeds(store, manifest, feed_dir, cfg.batch_size, store_pid)
        if ceiling is not None:
            result["load"]["store_ceiling"] = ceiling
        if cfg.backend == "embedded":
            progress("store ceiling: the writer's statements with prepared rows")

            async def scratch() -> GraphStore:
                return await open_store(Settings(data_dir=data_dir, graph=SCRATCH_GRAPH, neo4j=Neo4jSettings(uri=None),
                                                 statement_timeout_ms=STATEMENT_TIMEOUT_MS))

            result["load"]["store_ceiling"] = await store_ceiling(
                scratch, ceiling_relationships(lr.relationships_created, "embedded"), cfg.batch_size)
            loaded = {"seed": cfg.seed, "generator": GENERATOR_VERSION, "scale": cfg.scale}
            (data_dir / "loaded.json").write_text(json.dumps(loaded))
    result["graph"] = await _count(store)
    samples = draw_samples(manifest, feed_dir, cfg.seed)
    timed = TimedStore(store)
    ops = read_calls(timed, samples)
    server_pid = getattr(getattr(store, "server", None), "pid", None) or neo4j_pid

    if cfg.wants("reads"):
        with _section(result, "reads"):
            result["operations"], result["reads"] = await measure_reads(cfg, timed, ops, server_pid, profiler,
                                                                        progress)

    if cfg.wants("analytics"):
        progress("analytics: seeds from the feeds")
        seeds = draw_analytic_seeds(manifest, feed_dir, cfg.seed)
        with _section(result, "analytics"):
            await _guard(result, "analytics", measure_analytics(store, seeds, cfg.iterations, cfg.op_budget_s,
                                                                cfg.rounds, server_pid, progress))

    needs_api = any(cfg.wants(x) for x in ("graphql", "roundtrips", "throughput", "memory", "soak"))
    if needs_api:
        env = api.api_env(cfg.env, cfg.backend, data_dir.resolve(), "bench")
        result["meta"]["workers"] = cfg.workers
        async with api.ApiServer(env, Path(cfg.root) / "api.log", workers=cfg.workers) as server:
            import httpx

            # Cheap, steady figures first; the heavy GraphQL comparisons last, because a
            # statement abandoned by a timed-out client keeps a store thread busy afterwards.
            async with httpx.AsyncClient(base_url=server.url, timeout=60.0) as client:
                if cfg.wants("roundtrips"):
                    progress("round trips per nested GraphQL request")
                    with _section(result, "roundtrips"):
                        await _guard(result, "round_trips",
                                     overhead.round_trips(_settings(cfg), store, client, samples))
                if cfg.wants("throughput"):
                    progress(f"throughput: the read mix, {cfg.clients} clients, {cfg.workers} API worker(s)")
                    with _section(result, "throughput"):
                        await _guard(result, "throughput", traffic.measure_throughput(
                            server.url, samples.ids, samples.texts, cfg.clients, cfg.throughput_s,
                            cfg.throughput_max_requests, env, server.pid, cfg.workers))
                server.sample_memory()
                if cfg.wants("graphql"):
                    with _section(result, "graphql"):
                        await _guard(result, "graphql", overhead.graphql_vs_raw(cfg, client, ops, samples, progress))
            server.sample_memory()
            if cfg.wants("soak"):
                seconds = cfg.soak_s or SOAK_S
                progress(f"soak: the read mix for {seconds:g} s, memory every {cfg.soak_sample_s:g} s")
                with _section(result, "soak"):
                    await _guard(result, "soak", soak.soak(server.url, samples.ids, samples.texts, cfg.clients,
                                                           seconds, cfg.soak_sample_s, env, server.pid, server_pid))
                server.sample_memory()
            api_peak = server.peak_mib
    else:
        api_peak = None
    if cfg.wants("memory"):
        result["memory"] = {"api_peak_mib": api_peak,
                            "store_peak_mib": peak_rss_mib(server_pid) if server_pid else None,
                            "bench_process_peak_mib": own_peak_rss_mib(),
                            "store_pid": server_pid}
    if profiler.written:
        result["meta"]["profiles"] = profiler.written
