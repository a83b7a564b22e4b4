"""GraphQL over HTTP measured against the raw service call, and store round trips per request."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from graphapi.bench import api
from graphapi.bench.config import OPERATIONS
from graphapi.bench.measure import sample, summarize, warmup_for
from graphapi.bench.samples import Samples
from graphapi.security.principal import DEMO_PRINCIPAL
from graphapi.settings import Settings
from graphapi.store import GraphStore


def variables(op: str, s: Samples, i: int) -> dict[str, str]:
    """The GraphQL variables of the ``i``-th call of operation ``op`` (same input as the raw call)."""
    if op == "search":
        return {"text": s.texts[i % len(s.texts)]}
    if op == "values":
        node_id = s.ids[i % len(s.ids)]
        return {"id": node_id, "property": s.property_of(node_id)}
    if op == "path":
        a, b = s.pairs[i % len(s.pairs)]
        return {"from": a, "to": b}
    return {"id": s.ids[i % len(s.ids)]}


async def graphql_vs_raw(cfg: Any, client: Any, ops: dict[str, Callable[[int], Any]], s: Samples,
                         progress: Callable[[str], None]) -> dict[str, Any]:
    """Each selected operation as a raw service call and as GraphQL over HTTP, interleaved on the
    same inputs; p50/p95/p99 of both and the ratio of the p50s."""
    import httpx

    out: dict[str, Any] = {}
    for name in OPERATIONS:
        if not cfg.wants(name):
            continue
        progress(f"GraphQL over HTTP vs raw: {name}")
        raw_t: list[float] = []
        gql_t: list[float] = []
        doc = api.DOCUMENTS[name]

        errors: list[str] = []

        async def both(i: int, doc: str = doc, name: str = name, raw_t: list[float] = raw_t,
                       gql_t: list[float] = gql_t, errors: list[str] = errors) -> None:
            """One raw call and one GraphQL call on the same input; only pairs where both
            succeeded are kept, so the two distributions describe the same work."""
            t = time.perf_counter()
            try:
                await ops[name](i)
            except Exception as exc:  # noqa: BLE001
                errors.append(f"raw {type(exc).__name__}: {exc}"[:300])
                return
            t1 = time.perf_counter()
            try:
                await api.graphql(client, doc, variables(name, s, i))
            except (RuntimeError, OSError, httpx.HTTPError) as exc:
                errors.append(f"graphql {type(exc).__name__}: {exc}"[:300])
                return
            raw_t.append(t1 - t)
            gql_t.append(time.perf_counter() - t1)

        await sample(both, cfg.iterations, cfg.op_budget_s)
        w = min(warmup_for(cfg.iterations), max(0, len(raw_t) - 1))
        raw_t, gql_t = raw_t[w:], gql_t[w:]  # without the warm-up pairs
        if not raw_t:
            out[name] = {"errors": len(errors), "error_sample": errors[:3], "pairs": 0}
            continue
        raw, gql = summarize(raw_t), summarize(gql_t)
        out[name] = {"raw": raw.as_dict(), "graphql_http": gql.as_dict(), "pairs": len(raw_t),
                     "errors": len(errors), "error_sample": errors[:3],
                     "ratio_p50": round(gql.p50_ms / raw.p50_ms, 2) if raw.p50_ms else None,
                     "overhead_p50_ms": round(gql.p50_ms - raw.p50_ms, 3)}
    return out


async def server_queries(store: GraphStore) -> int | None:
    """GRAPH.QUERY + GRAPH.RO_QUERY calls the embedded server has served (INFO commandstats)."""
    graph = getattr(store, "_graph", None)
    if graph is None:
        return None
    try:
        info = await graph.execute_command("INFO", "commandstats")
    except Exception:  # not a redis-protocol store
        return None
    if isinstance(info, dict):
        return sum(int(v.get("calls", 0)) for k, v in info.items()
                   if k.lower() in ("cmdstat_graph.query", "cmdstat_graph.ro_query"))
    return None


async def round_trips(settings: Settings, store: GraphStore, client: Any, s: Samples) -> dict[str, Any]:
    """Round trips per nested request, over HTTP (counted by the server) and in-process."""
    import httpx

    from graphapi.app import create_app

    n = min(20, len(s.ids))
    doc = api.DOCUMENTS["nested"]
    fetched = 0
    before = await server_queries(store)
    for i in range(n):
        data = await api.graphql(client, doc, {"id": s.ids[i]})  # an error fails the section: reported
        ent = data["entity"] or {}
        edges = (ent.get("relationships") or {}).get("edges") or []
        fetched += 1 + len(edges) + sum(len((e["node"].get("relationships") or {}).get("edges") or []) for e in edges)
    after = await server_queries(store)
    http_rt = round((after - before) / n, 2) if before is not None and after is not None else None
    # In-process: the same app on this process's store, whose own counter sees every statement.
    app = create_app(settings, principal_provider=lambda _r: DEMO_PRINCIPAL, store=store)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as local:
        start = store.stats.round_trips
        for i in range(n):
            await api.graphql(local, doc, {"id": s.ids[i]})
        inproc_rt = round((store.stats.round_trips - start) / n, 2)
    return {"query": "entity -> relationships(first:10) -> node -> relationships(first:5) -> node",
            "requests": n, "entities_per_request": round(fetched / n, 1),
            "round_trips_per_request_http": http_rt, "round_trips_per_request_in_process": inproc_rt}
