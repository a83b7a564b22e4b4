"""``lintas bench`` section ``analytics``: the issue's speed figures for the investigation analytics.

Each analytic is an in-process service call (``graphapi.investigate``) on seeds of the generated
graph that exercise it (:mod:`graphapi.bench.analytic_seeds`), timed as the ``reads`` section
times its operations: ``rounds`` rounds, interleaved, the round with the lowest p50 reported with
every round's p50 beside it (:func:`graphapi.bench.rounds.best_of_rounds`). Beside wall time: the
store's own execution time per call (FalkorDB's reported run time; Neo4j's result available +
consumed), this process's CPU time per call, store round trips per call, and what each call
returned (trails, travellers, scope size), so a fast figure that found nothing shows. CPU seconds
of this process and of the store server over the section, and the 1-minute load average before
and after, say how busy the machine was.

- ``expand_2hop``: ``expand`` 2 hops, limit 100.
- ``shortest_path``: ``shortest_paths`` within 6 hops, first path.
- ``money_trail_4hop``: ``money_trail`` downstream, 4 hops.
- ``co_travel``: ``co_travellers`` over all of a person's crossings (2-hour window, twice or more).
- ``communities``: ``syndicates`` over the 3-hop scope with the service's largest node budget
  (50,000 entities: ``graphapi.investigate.syndicates.MAX_SCOPE``, the issue's 50k-node scope).
  How many entities a scope holds depends on the scale: 3 hops around the busiest travellers
  reach about 6,000 entities at scale 0.01 and 29,000 at 0.05; a full 50,000 needs scale 0.1.
  Its figures add the scope's size (``scope_size_mean``/``_max``), how many scopes the budget cut,
  and the split of one call's time (``communities_split``: store reads per statement, and the
  in-process rest: graph building and the algorithms).
"""

from __future__ import annotations

import os
import time
from collections.abc import Awaitable, Callable
from typing import Any

from graphapi.bench.analytic_seeds import AnalyticSeeds
from graphapi.bench.load import TimedStore
from graphapi.bench.measure import cpu_seconds, own_peak_rss_mib, peak_rss_mib
from graphapi.bench.rounds import best_of_rounds
from graphapi.investigate import cotravel, expand, money, paths, syndicates
from graphapi.security.principal import DEMO_PRINCIPAL
from graphapi.store import GraphStore

#: The analytics measured, in order.
ANALYTICS = ("expand_2hop", "shortest_path", "money_trail_4hop", "co_travel", "communities")
COMMUNITY_DEPTH = 3


def _size(name: str, out: Any) -> int:
    """What a call returned, counted: entities for subgraphs (the whole scope for communities),
    trails, travellers, paths."""
    if name == "communities":
        return out.scope_size
    if name == "shortest_path":
        return len(out)
    if name == "money_trail_4hop":
        return len(out.trails)
    if name == "co_travel":
        return len(out.travellers)
    return len(out.subgraph.nodes)


def analytic_calls(store: GraphStore, s: AnalyticSeeds) -> dict[str, Callable[[int], Awaitable[Any]]]:
    """Each analytic as ``call(i)`` over its seeds (cycled)."""
    p = DEMO_PRINCIPAL
    return {
        "expand_2hop": lambda i: expand.expand(store, p, [s.expand[i % len(s.expand)]], depth=2, limit=100),
        "shortest_path": lambda i: paths.shortest_paths(store, p, *s.path_pairs[i % len(s.path_pairs)], max_hops=6,
                                                        limit=1),
        "money_trail_4hop": lambda i: money.money_trail(store, p, s.money[i % len(s.money)], "DOWNSTREAM", max_hops=4),
        "co_travel": lambda i: cotravel.co_travellers(store, p, s.travellers[i % len(s.travellers)], window=2,
                                                      min_occurrences=2),
        "communities": lambda i: syndicates.syndicates(store, p, [s.communities[i % len(s.communities)]],
                                                       depth=COMMUNITY_DEPTH, limit=syndicates.MAX_SCOPE),
    }


async def communities_split(store: GraphStore, seed: str) -> dict[str, Any]:
    """One ``communities`` call around ``seed``, its time split: wall and this process's CPU, each
    statement's wall time and round trips, the store's own time, and the in-process rest (scope
    bookkeeping, graph building, Leiden, PageRank, betweenness), with the scope's size."""
    timed = TimedStore(store)
    server, load = store.stats.server_seconds, os.getloadavg()[0]
    wall, cpu = time.perf_counter(), time.process_time()
    out = await syndicates.syndicates(timed, DEMO_PRINCIPAL, [seed], depth=COMMUNITY_DEPTH, limit=syndicates.MAX_SCOPE)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    reads = sum(timed.seconds.values())
    return {"seed": seed, "scope_size": out.scope_size, "scope_truncated": out.scope_truncated,
            "communities": out.community_count, "members_listed": len(out.members),
            "wall_ms": round(1000 * wall, 1), "process_cpu_ms": round(1000 * cpu, 1),
            "store_reads_ms": {k: round(1000 * v, 1) for k, v in sorted(timed.seconds.items(), key=lambda kv: -kv[1])},
            "store_round_trips": dict(timed.calls),
            "store_server_ms": round(1000 * (store.stats.server_seconds - server), 1),
            "in_process_ms": round(1000 * (wall - reads), 1), "load_average_1m": round(load, 2)}


async def measure_analytics(store: GraphStore, seeds: AnalyticSeeds, iterations: int, budget_s: float,
                            rounds: int, server_pid: int | None,
                            progress: Callable[[str], None] = lambda _m: None) -> dict[str, Any]:
    """The section's figures: per analytic the best round's latency summary and the rest (see the
    module docstring), plus ``cpu`` and ``memory``. A failing call is counted, never raised."""
    load_before = os.getloadavg()[0]
    cpu_before, server_cpu_before = time.process_time(), cpu_seconds(server_pid) if server_pid else None
    out: dict[str, Any] = {"rounds": rounds, "community_scope_limit": syndicates.MAX_SCOPE,
                           "seeds": {"expand": len(seeds.expand), "path_pairs": len(seeds.path_pairs),
                                     "money": len(seeds.money), "travellers": len(seeds.travellers),
                                     "communities": len(seeds.communities)},
                           "planted_seeds": {"money": seeds.money[0], "co_travel": seeds.travellers[0],
                                             "communities": seeds.communities[0]}}
    out["operations"] = await best_of_rounds(analytic_calls(store, seeds), store, rounds, iterations, budget_s,
                                             size_of=_size, progress=progress, label="analytics: ")
    if len(seeds.communities) > 1:  # the busiest traveller's scope: the largest the graph offers
        progress("analytics: one communities call, its time split")
        try:
            out["communities_split"] = await communities_split(store, seeds.communities[1])
        except Exception as exc:  # noqa: BLE001 - reported, never raised (as a failing call above)
            out["communities_split"] = {"error": f"{type(exc).__name__}: {exc}"[:500]}
    server_cpu_after = cpu_seconds(server_pid) if server_pid else None
    out["cpu"] = {"bench_process_s": round(time.process_time() - cpu_before, 3),
                  "store_server_s": round(server_cpu_after - server_cpu_before, 3)
                  if server_cpu_before is not None and server_cpu_after is not None else None,
                  "load_average_1m_before": round(load_before, 2),
                  "load_average_1m_after": round(os.getloadavg()[0], 2)}
    out["memory"] = {"store_peak_mib": peak_rss_mib(server_pid) if server_pid else None,
                     "bench_process_peak_mib": own_peak_rss_mib()}
    return out
