"""``lintas bench`` section ``soak`` (off by default: ``--only soak`` or ``--soak-s SECONDS``).

The ``throughput`` mix (:mod:`graphapi.bench.traffic`) runs for the given seconds (600 by
default: the issue's 10-minute soak) while the bench samples the resident memory (``VmRSS``) of
the API process, its workers summed, and of the store server every ``sample_s`` seconds (10 by
default), at the start and at the end too (the store server alone: the children FalkorDB forks
to write a snapshot share its pages, and adding them up would count those twice). Per process:
first, last and peak sample and the slope of a least-squares line through the samples, MiB per
minute: a server that holds its memory over a long run shows a slope near 0 and a last sample
near the first.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping, Sequence
from typing import Any

from graphapi.bench.measure import load_average, rss_mib, tree_mib
from graphapi.bench.traffic import mix_in_subprocess

#: The issue's soak: 10 minutes, memory sampled every 10 s.
SOAK_S = 600.0
SAMPLE_S = 10.0


def slope_per_minute(points: Sequence[tuple[float, float]]) -> float | None:
    """Least-squares slope of ``(seconds, MiB)`` points in MiB per minute; None under two points
    or when they all share one time."""
    if len(points) < 2:
        return None
    n = len(points)
    mean_t = sum(t for t, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    var = sum((t - mean_t) ** 2 for t, _ in points)
    if var == 0:
        return None
    return round(60 * sum((t - mean_t) * (y - mean_y) for t, y in points) / var, 3)


def memory_trend(points: Sequence[tuple[float, float]]) -> dict[str, Any]:
    """``{first_mib, last_mib, peak_mib, slope_mib_per_min, samples}`` of ``(seconds, MiB)`` points."""
    if not points:
        return {"first_mib": None, "last_mib": None, "peak_mib": None, "slope_mib_per_min": None, "samples": 0}
    return {"first_mib": points[0][1], "last_mib": points[-1][1], "peak_mib": max(y for _, y in points),
            "slope_mib_per_min": slope_per_minute(points), "samples": len(points)}


async def soak(url: str, ids: Sequence[str], texts: Sequence[str], clients: int, seconds: float, sample_s: float,
               env: Mapping[str, str], api_pid: int | None, store_pid: int | None) -> dict[str, Any]:
    """Run the mix for ``seconds`` from a client process and sample memory meanwhile; returns the
    mix's figures (``requests_per_s``, latencies per document) under ``traffic`` and, under
    ``api`` and ``store``, :func:`memory_trend` of each (``None`` for a process not known)."""
    before = load_average()
    samples: dict[str, list[tuple[float, float]]] = {"api": [], "store": []}
    start = time.perf_counter()

    def take() -> None:
        t = round(time.perf_counter() - start, 2)
        for name, mib in (("api", tree_mib(api_pid, rss_mib) if api_pid else None),
                          # the store alone: FalkorDB's snapshot children share its pages
                          ("store", rss_mib(store_pid) if store_pid else None)):
            if mib is not None:
                samples[name].append((t, mib))

    take()
    client = asyncio.ensure_future(mix_in_subprocess(url, ids, texts, clients, seconds, None, env))
    while not client.done():
        await asyncio.wait([client], timeout=sample_s)
        take()  # every sample_s seconds, and once more as the client ends
    traffic = client.result()
    return {"seconds": seconds, "sample_s": sample_s, "traffic": traffic,
            "api": memory_trend(samples["api"]) if api_pid else None,
            "store": memory_trend(samples["store"]) if store_pid else None,
            "series_mib": samples, "load_average_1m_before": before, "load_average_1m_after": load_average()}
