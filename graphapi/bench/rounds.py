"""Best of N rounds, interleaved: how the ``reads`` and ``analytics`` sections time their calls.

Every round times each operation once (:func:`graphapi.bench.measure.sample`), in order, before
the next round starts: a burst of load from another tenant then slows every operation of one
round rather than every round of one operation, and the round with the lowest p50 is the figure
the machine's other work disturbed least (on a shared machine others only ever add time). Every
round's p50 is kept beside it, so a figure that moved with the machine's load shows.

Beside wall time, per call: the store's own execution time (``store.stats.server_seconds``:
FalkorDB's reported run time; Neo4j's result available + consumed, without client, wire or
parameter parsing), this process's CPU time (``time.process_time()``: our Python and the
client's decoding; it hardly moves with what else runs) and store round trips.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager
from typing import Any

from graphapi.bench.measure import sample, summarize
from graphapi.store import GraphStore


class Measured:
    """Wraps a call ``call(i)``: counts calls, round trips, the store's own seconds, this process's
    CPU seconds, and what ``size_of`` says each result holds (when given)."""

    def __init__(self, call: Callable[[int], Awaitable[Any]], store: GraphStore,
                 size_of: Callable[[Any], int] | None = None) -> None:
        self.call, self.store, self.size_of = call, store, size_of
        self.calls = self.round_trips = 0
        self.server_s = self.cpu_s = 0.0
        self.sizes: list[int] = []

    async def __call__(self, i: int) -> Any:
        trips, server = self.store.stats.round_trips, self.store.stats.server_seconds
        cpu = time.process_time()
        self.calls += 1
        try:
            out = await self.call(i)
            if self.size_of is not None:
                self.sizes.append(self.size_of(out))
            return out
        finally:
            self.cpu_s += time.process_time() - cpu
            self.round_trips += self.store.stats.round_trips - trips
            self.server_s += self.store.stats.server_seconds - server

    def per_call(self) -> dict[str, Any]:
        """Round trips, store ms and process CPU ms per call; result sizes when counted."""
        n = self.calls or 1
        out: dict[str, Any] = {"round_trips_per_call": round(self.round_trips / n, 2),
                               "store_ms_per_call": round(1000 * self.server_s / n, 3),
                               "process_cpu_ms_per_call": round(1000 * self.cpu_s / n, 3)}
        if self.size_of is not None:
            out["result_size_mean"] = round(sum(self.sizes) / len(self.sizes), 1) if self.sizes else None
            out["result_size_max"] = max(self.sizes, default=None)
        return out


async def best_of_rounds(
    calls: dict[str, Callable[[int], Awaitable[Any]]], store: GraphStore, rounds: int, iterations: int,
    budget_s: float, *, size_of: Callable[[str, Any], int] | None = None,
    section: Callable[[str, int], AbstractContextManager[Any]] | None = None,
    extra: Callable[[str, Measured], dict[str, Any]] | None = None,
    progress: Callable[[str], None] = lambda _m: None, label: str = "",
) -> dict[str, dict[str, Any]]:
    """Time each of ``calls`` ``rounds`` times over, interleaved (round 1 of every call, then
    round 2, ...); returns per call the round with the lowest p50: its latency summary
    (:class:`graphapi.bench.measure.Latency`), errors, :meth:`Measured.per_call`, anything
    ``extra(name, measured)`` adds, and ``rounds_p50_ms`` (every round's p50, in order).

    ``size_of(name, result)``: what a result holds; ``section(name, round)``: a context around
    one call's round (the profiler's). A failing call is counted and sampled, never raised.
    """
    best: dict[str, dict[str, Any]] = {}
    p50s: dict[str, list[float]] = {name: [] for name in calls}
    for r in range(rounds):
        for name, call in calls.items():
            progress(f"{label}{name} (round {r + 1} of {rounds})")
            sized = (lambda out, name=name: size_of(name, out)) if size_of is not None else None
            measured = Measured(call, store, sized)
            with section(name, r) if section is not None else contextlib.nullcontext():
                got = await sample(measured, iterations, budget_s)
            figures = {**summarize(got.seconds).as_dict(), "errors": len(got.errors), "error_sample": got.errors[:3],
                       **measured.per_call(), **(extra(name, measured) if extra is not None else {})}
            p50s[name].append(figures["p50_ms"])
            if name not in best or figures["p50_ms"] < best[name]["p50_ms"]:
                best[name] = figures
    return {name: {**best[name], "rounds_p50_ms": p50s[name]} for name in calls}
