"""The API under test: a uvicorn subprocess on loopback, the GraphQL documents, one request.

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

from graphapi.bench.children import die_with_parent
from graphapi.bench.config import STATEMENT_TIMEOUT_MS
from graphapi.bench.measure import peak_rss_mib, tree_mib
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
    """``uvicorn`` serving ``create_app()`` as a child process; use as an async context manager.

    ``workers`` > 1 runs uvicorn's supervisor with that many worker processes sharing the port
    (``lintas serve --workers``); it is ready once every worker has finished its start-up, so no
    client connection is handed to the first worker alone while the others are still starting.
    """

    def __init__(self, env: Mapping[str, str], log_path: Path, startup_timeout_s: float = 180.0,
                 workers: int = 1) -> None:
        self.workers = workers
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
        # info level says when each worker's start-up is complete (no access log: no line per request)
        level = "info" if self.workers > 1 else "warning"
        args = [sys.executable, "-m", "uvicorn", SERVED_APP, "--factory", "--host", "127.0.0.1",
                "--port", str(self.port), "--log-level", level, "--no-access-log"]
        return args + (["--workers", str(self.workers)] if self.workers > 1 else [])

    def _workers_started(self, offset: int) -> int:
        """Workers whose start-up completed, by their log lines after ``offset``."""
        try:
            with self.log_path.open("rb") as fh:
                fh.seek(offset)
                return fh.read().count(b"Application startup complete.")
        except OSError:
            return 0

    async def __aenter__(self) -> ApiServer:
        args = self.command()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(args, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, preexec_fn=die_with_parent)
        log.close()
        deadline = time.monotonic() + self.startup_timeout_s
        async with httpx.AsyncClient(base_url=self.url, timeout=2.0) as client:
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"API server exited with {self.proc.returncode}; see {self.log_path}")
                try:
                    if (await client.get("/readyz")).status_code == 200 and (
                            self.workers == 1 or self._workers_started(offset) >= self.workers):
                        return self
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.1)
        await self.__aexit__(None, None, None)
        raise RuntimeError(f"API server not ready within {self.startup_timeout_s}s; see {self.log_path}")

    async def __aexit__(self, *exc: object) -> None:
        if self.proc is None:
            return
        self.sample_memory()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.to_thread(self.proc.wait, 30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                await asyncio.to_thread(self.proc.wait, 10)
        self.proc = None

    def sample_memory(self) -> float | None:
        """Read the server's peak RSS now (MiB, summed over its workers) and remember it."""
        if self.proc is not None:
            self.peak_mib = tree_mib(self.proc.pid, peak_rss_mib) or self.peak_mib
        return self.peak_mib


def api_env(base: Mapping[str, str], backend: str, data_dir: Path, graph: str) -> dict[str, str]:
    """The API process's environment for the bench store."""
    env = {k: v for k, v in base.items() if not k.startswith("LINTAS_")}
    # The bench's clients stand for a room of analysts but share the demo principal: neither the
    # rate limit nor the search queue (LINTAS_SEARCH_SLOTS, LINTAS_SEARCH_IN_FLIGHT) apply to them.
    env.update({"LINTAS_DATA_DIR": str(data_dir), "LINTAS_GRAPH": graph, "LINTAS_DEMO": "true",
                "LINTAS_RATE_LIMIT_PER_MINUTE": "0", "LINTAS_SEARCH_IN_FLIGHT": "0",
                "LINTAS_SEARCH_SLOTS": "0", "LINTAS_ENV": "production",
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
