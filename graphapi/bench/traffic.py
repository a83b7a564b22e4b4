"""Mixed read traffic over HTTP, sent from a client process of its own: the ``throughput`` and
``soak`` sections' load.

``clients`` concurrent keep-alive connections send the GraphQL documents of :data:`MIX` in a
weighted round robin (:func:`schedule`: smooth, so a neighbourhood is never a burst), until
``duration_s`` seconds pass or ``max_requests`` were sent. The client runs in a separate Python
process (``python -m graphapi.bench.traffic``, arguments as JSON on stdin, figures as JSON on
stdout): on 2 cores a client in the bench's own event loop, beside its store client, was itself
the limit. It reports its own CPU seconds, so a client that is still the limit shows
(``client_cpu_share`` near 1).

Figures: requests/s and p50/p95/p99 per document and overall; failed requests are counted, not
timed.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from graphapi.bench.api import DOCUMENTS, graphql
from graphapi.bench.children import die_with_parent
from graphapi.bench.measure import cpu_seconds, load_average, process_tree, summarize

#: The documents of the mix and their weights: point reads most, a 2-hop neighbourhood least.
MIX: dict[str, int] = {"lookup": 4, "search": 2, "relationships": 2, "neighbourhood": 1}


def schedule(weights: Mapping[str, int]) -> list[str]:
    """One cycle of the smooth weighted round robin over ``weights`` (nginx's): each name as
    often as its weight, spread out (``{"a": 2, "b": 1}`` -> ``["a", "b", "a"]``)."""
    total = sum(weights.values())
    current = dict.fromkeys(weights, 0)
    out = []
    for _ in range(total):
        for name, w in weights.items():
            current[name] += w
        pick = max(current, key=lambda n: current[n])  # first of the largest: deterministic
        current[pick] -= total
        out.append(pick)
    return out


def variables(document: str, ids: Sequence[str], texts: Sequence[str], i: int) -> dict[str, str]:
    """The ``i``-th request's variables: a search text for ``search``, else an entity id."""
    return {"text": texts[i % len(texts)]} if document == "search" else {"id": ids[i % len(ids)]}


def _figures(latencies: list[float], errors: int, seconds: float) -> dict[str, Any]:
    return {"ok": len(latencies), "errors": errors,
            "requests_per_s": round(len(latencies) / seconds, 1) if seconds > 0 else 0.0,
            "latency": summarize(latencies).as_dict() if latencies else None}


async def run_mix(url: str, ids: Sequence[str], texts: Sequence[str], clients: int, duration_s: float,
                  max_requests: int | None = None, mix: Mapping[str, int] = MIX) -> dict[str, Any]:
    """Send the mix (in this process); returns ``{clients, mix, requests, seconds, client_cpu_s,
    client_cpu_share, overall: {ok, errors, requests_per_s, latency}, documents: {name: same}}``."""
    order = schedule(mix)
    latencies: dict[str, list[float]] = {name: [] for name in mix}
    errors = dict.fromkeys(mix, 0)
    sent = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=60.0, limits=limits) as client:
        # every connection opened and every document run once before the clock starts
        await asyncio.gather(*(graphql(client, DOCUMENTS["lookup"], {"id": ids[k % len(ids)]})
                               for k in range(clients)))
        for name in mix:
            await graphql(client, DOCUMENTS[name], variables(name, ids, texts, 0))
        cpu, start = time.process_time(), time.perf_counter()
        deadline = start + duration_s

        async def worker() -> None:
            nonlocal sent
            while (max_requests is None or sent < max_requests) and time.perf_counter() < deadline:
                i = sent
                sent += 1
                name = order[i % len(order)]
                t = time.perf_counter()
                try:
                    await graphql(client, DOCUMENTS[name], variables(name, ids, texts, i))
                    latencies[name].append(time.perf_counter() - t)
                except (RuntimeError, httpx.HTTPError):
                    errors[name] += 1

        await asyncio.gather(*(worker() for _ in range(clients)))
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    every = [x for name in mix for x in latencies[name]]
    return {"clients": clients, "mix": dict(mix), "requests": sent, "seconds": round(seconds, 3),
            "client_cpu_s": round(cpu, 3), "client_cpu_share": round(cpu / seconds, 2) if seconds > 0 else None,
            "overall": _figures(every, sum(errors.values()), seconds),
            "documents": {name: _figures(latencies[name], errors[name], seconds) for name in mix}}


async def mix_in_subprocess(url: str, ids: Sequence[str], texts: Sequence[str], clients: int, duration_s: float,
                            max_requests: int | None, env: Mapping[str, str]) -> dict[str, Any]:
    """:func:`run_mix` in a client process of its own (environment ``env``); its figures.
    Raises RuntimeError with the client's stderr if it fails."""
    args = {"url": url, "ids": list(ids), "texts": list(texts), "clients": clients, "duration_s": duration_s,
            "max_requests": max_requests}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "graphapi.bench.traffic", stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=dict(env), preexec_fn=die_with_parent)
    out, err = await proc.communicate(json.dumps(args).encode())
    if proc.returncode != 0:
        raise RuntimeError(f"traffic client exited with {proc.returncode}: {err.decode(errors='replace')[-500:]}")
    return json.loads(out)


async def measure_throughput(url: str, ids: Sequence[str], texts: Sequence[str], clients: int, duration_s: float,
                             max_requests: int | None, env: Mapping[str, str], api_pid: int | None,
                             workers: int = 1) -> dict[str, Any]:
    """The ``throughput`` section: the mix from a client process, with the CPU seconds each API
    process spent meanwhile (``api_cpu_s``, supervisor and workers: how evenly the workers were
    used) and the load average before and after."""
    before, pids = load_average(), process_tree(api_pid) if api_pid else []
    cpu = {p: cpu_seconds(p) for p in pids}
    out = await mix_in_subprocess(url, ids, texts, clients, duration_s, max_requests, env)
    spent = [cpu_seconds(p) - c for p, c in cpu.items() if c is not None and cpu_seconds(p) is not None]
    return {**out, "workers": workers, "api_cpu_s": sorted((round(x, 2) for x in spent), reverse=True),
            "load_average_1m_before": before, "load_average_1m_after": load_average()}


def main() -> None:
    """The client process: arguments of :func:`run_mix` as JSON on stdin, its figures on stdout."""
    args = json.load(sys.stdin)
    json.dump(asyncio.run(run_mix(**args)), sys.stdout)


if __name__ == "__main__":
    main()
