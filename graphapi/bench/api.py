"""The API under test: a uvicorn subprocess on loopback, the GraphQL documents, HTTP clients.

:class:`ApiServer` starts uvicorn on the app ``lintas serve`` runs (``graphapi.serving``: with its
garbage-collector tuning; plain ``create_app`` left that out of the figures) on 127.0.0.1 and a free
port, on the bench's own store (``LINTAS_DATA_DIR`` / ``LINTAS_GRAPH`` for the embedded server,
which the bench process shares; ``NEO4J_*`` passed through for Neo4j), in demo mode (anonymous
requests run as the demo principal, which sees the GREEN bench graph) and without the per-minute
rate limit, which would otherwise cap the throughput figure.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx

from graphapi.bench.config import STATEMENT_TIMEOUT_MS
from graphapi.bench.measure import peak_rss_mib, summarize
from graphapi.serving import SERVED_APP

#: The GraphQL operations measured, by bench operation name.
DOCUMENTS: dict[str, str] = {
    "lookup": "query Lookup($id: String!) { entity(id: $id) { lintasId label caption } }",
    "values": (
        "query Values($id: String!, $property: String!) { entity(id: $id) { lintasId values(property: $property) "
        "{ value sources { source recordId firstSeen lastSeen owner tlp } } } }"
    ),
    "search": (
        "query Search($text: String!) { search(text: $text, first: 10) "
        "{ edges { score node { lintasId label caption } } } }"
    ),
    "relationships": (
        "query Rels($id: String!) { entity(id: $id) { lintasId relationships(first: 20) "
        "{ totalCount edges { direction relationship { id type } node { lintasId caption } } } } }"
    ),
    "neighbourhood": (
        "query Hood($id: String!) { neighborhood(id: $id, depth: 2, limit: 100) "
        "{ truncated nodes { lintasId label caption } edges { id type sourceId targetId } } }"
    ),
    "path": (
        "query Path($from: String!, $to: String!) { shortestPaths(fromId: $from, toId: $to, maxHops: 6, limit: 10) "
        "{ length nodes { lintasId caption } relationships { id type } } }"
    ),
    # Nested: an entity, 10 of its relationships, and 5 relationships of each neighbour. With
    # DataLoaders this is one round trip per level (3), whatever the fan-out.
    "nested": (
        "query Nested($id: String!) { entity(id: $id) { lintasId caption relationships(first: 10) { edges { node "
        "{ lintasId caption relationships(first: 5) { edges { relationship { id type } node { lintasId caption } } } } "
        "} } } }"
    ),
}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ApiServer:
    """``uvicorn`` serving ``create_app()`` as a child process; use as an async context manager."""

    def __init__(self, env: Mapping[str, str], log_path: Path, startup_timeout_s: float = 180.0) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = dict(env)
        self.log_path = log_path
        self.startup_timeout_s = startup_timeout_s
        self.proc: subprocess.Popen[bytes] | None = None
        self.peak_mib: float | None = None

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def command(self) -> list[str]:
        """The server's command line: uvicorn on the served app factory, on loopback."""
        return [sys.executable, "-m", "uvicorn", SERVED_APP, "--factory", "--host", "127.0.0.1",
                "--port", str(self.port), "--log-level", "warning", "--no-access-log"]

    async def __aenter__(self) -> ApiServer:
        args = self.command()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(args, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        log.close()
        deadline = time.monotonic() + self.startup_timeout_s
        async with httpx.AsyncClient(base_url=self.url, timeout=2.0) as client:
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"API server exited with {self.proc.returncode}; see {self.log_path}")
                try:
                    if (await client.get("/readyz")).status_code == 200:
                        return self
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.1)
        await self.__aexit__(None, None, None)
        raise RuntimeError(f"API server not ready within {self.startup_timeout_s}s; see {self.log_path}")

    async def __aexit__(self, *exc: object) -> None:
        if self.proc is None:
            return
        self.peak_mib = peak_rss_mib(self.proc.pid) or self.peak_mib
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.to_thread(self.proc.wait, 30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                await asyncio.to_thread(self.proc.wait, 10)
        self.proc = None

    def sample_memory(self) -> float | None:
        """Read the server's peak RSS now (MiB) and remember it."""
        if self.proc is not None:
            self.peak_mib = peak_rss_mib(self.proc.pid) or self.peak_mib
        return self.peak_mib


def api_env(base: Mapping[str, str], backend: str, data_dir: Path, graph: str) -> dict[str, str]:
    """The API process's environment for the bench store."""
    env = {k: v for k, v in base.items() if not k.startswith("LINTAS_")}
    env.update({"LINTAS_DATA_DIR": str(data_dir), "LINTAS_GRAPH": graph, "LINTAS_DEMO": "true",
                "LINTAS_RATE_LIMIT_PER_MINUTE": "0", "LINTAS_ENV": "production",
                "LINTAS_STATEMENT_TIMEOUT_MS": str(STATEMENT_TIMEOUT_MS)})
    if backend == "embedded":
        env.pop("NEO4J_URI", None)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (base.get("PYTHONPATH"), os.getcwd()) if p)
    return env


async def graphql(client: httpx.AsyncClient, document: str, variables: Mapping[str, Any]) -> dict[str, Any]:
    """POST one GraphQL operation; returns ``data``. Raises RuntimeError on HTTP or GraphQL errors."""
    resp = await client.post("/graphql", json={"query": document, "variables": dict(variables)})
    if resp.status_code != 200:
        raise RuntimeError(f"GraphQL HTTP {resp.status_code}: {resp.text[:300]}")
    body = resp.json()
    if body.get("errors"):
        raise RuntimeError(f"GraphQL errors: {body['errors'][:2]}")
    return body["data"]


async def throughput(
    url: str, ids: list[str], clients: int, duration_s: float, max_requests: int
) -> dict[str, Any]:
    """``clients`` concurrent loopback clients each send point lookups for ``ids`` (round robin)
    until ``duration_s`` seconds pass or ``max_requests`` requests in all were sent.

    Returns ``{clients, requests, errors, seconds, requests_per_s, latency}``.
    """
    sent = 0
    errors = 0
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=30.0, limits=limits) as client:
        # Warm every connection first so the figure is steady-state.
        await asyncio.gather(*(graphql(client, DOCUMENTS["lookup"], {"id": ids[i % len(ids)]})
                               for i in range(clients)))
        start = time.perf_counter()
        deadline = start + duration_s

        async def worker(k: int) -> None:
            nonlocal sent, errors
            i = k
            while sent < max_requests and time.perf_counter() < deadline:
                sent += 1
                t = time.perf_counter()
                try:
                    await graphql(client, DOCUMENTS["lookup"], {"id": ids[i % len(ids)]})
                    latencies.append(time.perf_counter() - t)
                except (RuntimeError, httpx.HTTPError):
                    errors += 1
                i += clients

        await asyncio.gather(*(worker(k) for k in range(clients)))
        seconds = time.perf_counter() - start
    ok = len(latencies)
    return {"clients": clients, "requests": sent, "ok": ok, "errors": errors, "seconds": round(seconds, 3),
            "requests_per_s": round(ok / seconds, 1) if seconds > 0 else 0.0,
            "latency": summarize(latencies).as_dict() if latencies else None}
