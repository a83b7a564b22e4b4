"""``lintas bench`` section ``reads``: the analyst operations as in-process service calls.

``lookup``, ``values`` (per-value provenance of one property: docs/provenance.md), ``search``,
``relationships``, ``neighbourhood`` (2 hops, limit 100) and ``path`` (shortest, within 6 hops),
each timed ``rounds`` times over, interleaved, best round reported
(:func:`graphapi.bench.rounds.best_of_rounds`). Per operation: p50/p95/p99 wall, the store's own
time per call (``store_ms_per_call``: what the server reports executing, no client or wire), this
process's CPU per call (``process_cpu_ms_per_call``: our Python and the client's decoding), round
trips, and the client-side wall time per call of each statement (``statement_wall_ms_per_call``:
the store call as :class:`graphapi.bench.load.TimedStore` times it, wire and decoding included).
For the section: the load average before and after, CPU seconds of this process and of the store
server.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from graphapi.bench.config import OPERATIONS, BenchConfig
from graphapi.bench.load import TimedStore
from graphapi.bench.measure import cpu_seconds, load_average
from graphapi.bench.profiling import Profiler
from graphapi.bench.rounds import Measured, best_of_rounds
from graphapi.bench.samples import Samples
from graphapi.investigate import entities, expand, paths, relationship_pages, search, values
from graphapi.security.principal import DEMO_PRINCIPAL
from graphapi.store import GraphStore


def read_calls(store: GraphStore, s: Samples) -> dict[str, Callable[[int], Awaitable[Any]]]:
    """Each operation of :data:`graphapi.bench.config.OPERATIONS` as ``call(i)`` over the samples
    (cycled), as the demo principal."""
    p = DEMO_PRINCIPAL
    return {
        "lookup": lambda i: entities.get_node(store, p, s.ids[i % len(s.ids)]),
        "values": lambda i: values.property_values(store, p, [s.ids[i % len(s.ids)]],
                                                   s.property_of(s.ids[i % len(s.ids)])),
        "search": lambda i: search.search(store, p, s.texts[i % len(s.texts)], first=10),
        "relationships": lambda i: relationship_pages.relationships_of(store, p, [s.ids[i % len(s.ids)]], first=20),
        "neighbourhood": lambda i: expand.neighborhood(store, p, s.ids[i % len(s.ids)], depth=2, limit=100),
        "path": lambda i: paths.shortest_paths(store, p, *s.pairs[i % len(s.pairs)], max_hops=6, limit=10),
    }


async def measure_reads(cfg: BenchConfig, timed: TimedStore, ops: dict[str, Callable[[int], Awaitable[Any]]],
                        server_pid: int | None, profiler: Profiler,
                        progress: Callable[[str], None] = lambda _m: None) -> tuple[dict[str, Any], dict[str, Any]]:
    """Time the selected operations of ``ops`` (built on ``timed``); returns ``(operations,
    section)``: per operation the best round's figures (see the module docstring), and the
    section's ``rounds``, load average before/after and CPU seconds."""
    calls = {name: ops[name] for name in OPERATIONS if cfg.wants(name)}

    @contextlib.contextmanager
    def one_round(name: str, r: int) -> Iterator[None]:
        timed.seconds.clear()
        timed.calls.clear()
        # the first round of each operation is profiled (a profiled round is slower, so with
        # two rounds or more the best one is an unprofiled one)
        with profiler.section(f"read-{name}") if r == 0 else contextlib.nullcontext():
            yield

    def statement_wall(_name: str, measured: Measured) -> dict[str, Any]:
        n = measured.calls or 1
        return {"statement_wall_ms_per_call": {k: round(1000 * v / n, 3) for k, v in timed.seconds.items()}}

    before, cpu = load_average(), time.process_time()
    store_cpu = cpu_seconds(server_pid) if server_pid else None
    operations = await best_of_rounds(calls, timed, cfg.rounds, cfg.iterations, cfg.op_budget_s,
                                      section=one_round, extra=statement_wall, progress=progress, label="reads: ")
    store_cpu_after = cpu_seconds(server_pid) if server_pid else None
    section = {"rounds": cfg.rounds, "load_average_1m_before": before, "load_average_1m_after": load_average(),
               "bench_process_cpu_s": round(time.process_time() - cpu, 3),
               "store_server_cpu_s": round(store_cpu_after - store_cpu, 3)
               if store_cpu is not None and store_cpu_after is not None else None}
    return operations, section
