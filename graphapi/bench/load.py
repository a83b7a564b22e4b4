"""Load the bench feeds through the real ingest path and account for where the time goes.

Each feed is read by the ingest mapped-CSV reader with the bench's mapping
(``graphapi/bench/mappings/<feed>.yaml``; :class:`graphapi.bench.feeds.FeedReader` only where that
reader is absent), guarded and written by the ingest pipeline (``run_load``: guard + batched writer)
into a :class:`TimedStore`, a transparent proxy that adds up the wall time of every store call
by statement name. Wall time of a feed = reading/normalising (time inside the record iterator)
+ store statements + the rest (the writer's own Python: buffering, provenance merge, caption and
search-text derivation, row building).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphapi.bench.feeds import FeedReader
from graphapi.bench.generate import SOURCE, Manifest
from graphapi.bench.measure import cpu_seconds
from graphapi.ingest.records import Rejection
from graphapi.ingest.writer import Provenance, write_records
from graphapi.store.base import DEFAULT_BATCH_SIZE, BatchSummary, GraphStore, Row

#: The bench feeds' mappings, in the mapped-CSV loader's format (``lintas load csv --mapping``).
MAPPINGS = Path(__file__).resolve().parent / "mappings"
#: Fixed provenance so runs are comparable; GREEN so the demo principal sees the whole graph.
BENCH_PROVENANCE = dict(owner="bench", tlp="GREEN", seen="2026-01-01T00:00:00Z")


class TimedStore:
    """A GraphStore proxy that records seconds and calls per statement name (``seconds``, ``calls``)
    and, given the store server's pid, the server's CPU seconds while each ran (``cpu``: a
    statement that overlaps another, the write lease's renewal beside a batch, is charged the
    other's CPU too)."""

    def __init__(self, inner: GraphStore, server_pid: int | None = None) -> None:
        self.inner = inner
        self.dialect = inner.dialect
        self.stats = inner.stats
        self.server_pid = server_pid
        self.seconds: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)

    def _server_cpu(self) -> float | None:
        return cpu_seconds(self.server_pid) if self.server_pid else None

    def _spent(self, name: str, t: float, cpu: float | None) -> None:
        self.seconds[name] += time.perf_counter() - t
        if cpu is not None and (after := self._server_cpu()) is not None:
            self.cpu[name] += after - cpu

    async def read(self, name: str, params: Mapping[str, Any] | None = None, *, timeout_ms: int | None = None,
                   bulk: bool = False, **placeholders: str) -> list[Row]:
        t, cpu = time.perf_counter(), self._server_cpu()
        try:
            return await self.inner.read(name, params, timeout_ms=timeout_ms, bulk=bulk, **placeholders)
        finally:
            self._spent(name, t, cpu)
            self.calls[name] += 1

    async def write(self, name: str, params: Mapping[str, Any] | None = None, **placeholders: str) -> list[Row]:
        t, cpu = time.perf_counter(), self._server_cpu()
        try:
            return await self.inner.write(name, params, **placeholders)
        finally:
            self._spent(name, t, cpu)
            self.calls[name] += 1

    async def write_batches(
        self, name: str, rows: Iterable[Row], batch_size: int = DEFAULT_BATCH_SIZE,
        params: Mapping[str, Any] | None = None, **placeholders: str
    ) -> BatchSummary:
        t, cpu = time.perf_counter(), self._server_cpu()
        try:
            summary = await self.inner.write_batches(name, rows, batch_size, params, **placeholders)
        finally:
            self._spent(name, t, cpu)
        self.calls[name] += summary.batches
        return summary

    def __getattr__(self, name: str) -> Any:  # init_schema, ping, clear, close, server, ...
        return getattr(self.inner, name)


class _TimedIter:
    """Wraps an iterator and adds up the time spent producing its items."""

    def __init__(self, it: Iterator[Any]) -> None:
        self.it = it
        self.seconds = 0.0

    def __iter__(self) -> _TimedIter:
        return self

    def __next__(self) -> Any:
        t = time.perf_counter()
        try:
            return next(self.it)
        finally:
            self.seconds += time.perf_counter() - t


@dataclass
class FeedLoad:
    """One feed's load: rows, records, what the writer created, and the time split (seconds)."""

    feed: str
    rows: int
    nodes_created: int
    relationships_created: int
    rejected: int
    dangling: int
    seconds: float
    read_seconds: float
    store_seconds: dict[str, float]
    reader: str
    store_cpu_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def writer_python_seconds(self) -> float:
        """Wall time neither in reading nor in store calls: the writer's own Python."""
        return max(0.0, self.seconds - self.read_seconds - sum(self.store_seconds.values()))


@dataclass
class LoadResult:
    """The whole load: per-feed figures and totals."""

    feeds: list[FeedLoad] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return sum(f.seconds for f in self.feeds)

    @property
    def nodes_created(self) -> int:
        return sum(f.nodes_created for f in self.feeds)

    @property
    def relationships_created(self) -> int:
        return sum(f.relationships_created for f in self.feeds)

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.feeds)

    def store_cpu_split(self) -> dict[str, float]:
        """The store server's CPU seconds by statement name, over every feed (empty without a pid)."""
        out: dict[str, float] = defaultdict(float)
        for f in self.feeds:
            for name, s in f.store_cpu_seconds.items():
                out[name] += s
        return dict(out)

    def time_split(self) -> dict[str, float]:
        """Seconds by where they went: ``read`` (CSV + normalise), ``writer`` (Python), and each
        store statement name."""
        out: dict[str, float] = {"read": sum(f.read_seconds for f in self.feeds),
                                 "writer": sum(f.writer_python_seconds for f in self.feeds)}
        for f in self.feeds:
            for name, s in f.store_seconds.items():
                out[f"store:{name}"] = out.get(f"store:{name}", 0.0) + s
        return out


class _TimedReader:
    """A Reader proxy whose ``records()`` adds up the time spent producing records."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.stats = inner.stats
        self.canonical_ids = getattr(inner, "canonical_ids", False)
        self.timed: _TimedIter | None = None

    def records(self) -> Iterator[Any]:
        self.timed = _TimedIter(iter(self.inner.records()))
        return self.timed

    @property
    def seconds(self) -> float:
        return self.timed.seconds if self.timed else 0.0


async def _write(store: GraphStore, reader: _TimedReader, source: str, batch_size: int) -> tuple[int, int, int, int]:
    """Run one load through the ingest pipeline (``run_load``: guard + writer) if present, else
    straight into the writer. Returns (nodes created, relationships created, rejected, dangling)."""
    prov = Provenance(**BENCH_PROVENANCE)
    try:
        from graphapi.ingest.pipeline import run_load
    except ImportError:
        run_load = None
    if run_load is not None:
        s = await run_load(store, reader, source=source, provenance=prov, batch_size=batch_size)
        return s.nodes_created, s.relationships_created, s.rows_rejected + s.relationships_rejected, s.dangling
    rejected: list[Rejection] = []

    def records() -> Iterator[Any]:
        for item in reader.records():
            if isinstance(item, Rejection):
                rejected.append(item)
            else:
                yield item

    c = await write_records(store, records(), batch_size=batch_size, provenance=prov, source=source)
    return c.nodes_created, c.relationships_created, len(rejected) + len(c.rejected), len(c.dangling)


def feed_reader(feed: str, path: Path, source: str, fallback: FeedReader) -> tuple[Any, str]:
    """The reader for one feed file and its kind: the ingest mapped-CSV reader with the bench's
    mapping (``graphapi/bench/mappings/<feed>.yaml``) when present, else the bench's own."""
    try:
        from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
    except ImportError:
        return fallback.read(feed, path, source), "bench.feeds"
    mapping = load_mapping(MAPPINGS / f"{feed}.yaml")
    return MappedCsvReader(mapping, [path], source=source), "ingest.mapped_csv"


async def load_feeds(
    store: GraphStore, manifest: Manifest, feed_dir: Path, batch_size: int = DEFAULT_BATCH_SIZE,
    feeds: Iterable[str] | None = None, server_pid: int | None = None,
) -> LoadResult:
    """Load the feeds of ``manifest`` (all, or those named in ``feeds``) from ``feed_dir`` into
    ``store``; returns the figures (with ``server_pid``, the store server's CPU by statement).

    Feeds load one after another in manifest order (KYC feeds first, then events), each through
    the ingest pipeline (identifier guard + batched writer). Raises what the writer and store raise.
    """
    fallback = FeedReader()
    result = LoadResult()
    wanted = set(feeds) if feeds is not None else None
    for feed, filename in manifest.files.items():
        if wanted is not None and feed not in wanted:
            continue
        timed = TimedStore(store, server_pid)
        source = f"{SOURCE}:{feed}"
        inner, kind = feed_reader(feed, feed_dir / filename, source, fallback)
        rd = _TimedReader(inner)
        t = time.perf_counter()
        nodes, rels, rejected, dangling = await _write(timed, rd, source, batch_size)
        seconds = time.perf_counter() - t
        result.feeds.append(FeedLoad(
            feed=feed, rows=rd.stats.rows, nodes_created=nodes, relationships_created=rels, rejected=rejected,
            dangling=dangling, seconds=seconds, read_seconds=rd.seconds, store_seconds=dict(timed.seconds),
            reader=kind, store_cpu_seconds=dict(timed.cpu),
        ))
    return result


async def reload_feeds(
    store: GraphStore, manifest: Manifest, feed_dir: Path, batch_size: int = DEFAULT_BATCH_SIZE,
    server_pid: int | None = None,
) -> dict[str, Any]:
    """Issue 14's incremental, idempotent load: the feeds of ``manifest`` loaded again, through
    the same path, into the graph their first load built. Every record is compared with what is
    stored (its statements probed) and nothing new is written; ``idempotent`` says that no node or
    relationship was created and the graph's counts did not move. ``relationships_per_s``: the
    relationships the feeds name, over the wall time. Raises what :func:`load_feeds` raises."""
    before = await _graph_counts(store)
    cpu, server_cpu = time.process_time(), cpu_seconds(server_pid) if server_pid else None
    server_s, trips = store.stats.server_seconds, store.stats.round_trips
    lr = await load_feeds(store, manifest, feed_dir, batch_size, server_pid=server_pid)
    cpu = time.process_time() - cpu
    server_cpu = cpu_seconds(server_pid) - server_cpu if server_pid and server_cpu is not None else None
    server_s, trips = store.stats.server_seconds - server_s, store.stats.round_trips - trips
    rels, secs = manifest.relationships, lr.seconds
    return {
        "seconds": round(secs, 3), "rows": lr.rows, "relationships": rels,
        "relationships_per_s": round(rels / secs, 1) if secs else None,
        "relationships_per_server_s": round(rels / server_s, 1) if server_s else None,
        "store_server_s": round(server_s, 3), "store_round_trips": trips,
        "loader_cpu_s": round(cpu, 3), "loader_cpu_us_per_row": round(1e6 * cpu / lr.rows, 1) if lr.rows else None,
        "store_server_cpu_s": round(server_cpu, 3) if server_cpu is not None else None,
        "store_cpu_us_per_relationship": round(1e6 * server_cpu / rels, 1) if server_cpu is not None and rels else None,
        "nodes_created": lr.nodes_created, "relationships_created": lr.relationships_created,
        "idempotent": lr.nodes_created == 0 and lr.relationships_created == 0 and before == await _graph_counts(store),
        "time_split_s": {k: round(v, 3) for k, v in sorted(lr.time_split().items(), key=lambda kv: -kv[1])},
    }


async def _graph_counts(store: GraphStore) -> tuple[int, int]:
    [row] = await store.read("ingest/count_graph")
    return int(row["nodes"]), int(row["relationships"])
