"""The report's analytics, GraphQL and API tables: what the read sections measured, for the console and Markdown."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from graphapi.bench.report_tables import fmt as _f

ANALYTICS_COLUMNS = ("analytic", "n", "p50", "p95", "store ms/call", "CPU ms/call", "round trips",
                     "result size (mean)", "rounds' p50", "errors")


def _analytics_row(name: str, o: dict[str, Any]) -> tuple[str, ...]:
    return (name, str(o["n"]), _f(o["p50_ms"]), _f(o["p95_ms"]), _f(o["store_ms_per_call"]),
            _f(o.get("process_cpu_ms_per_call")), _f(o["round_trips_per_call"]), _f(o["result_size_mean"]),
            " ".join(_f(x) for x in o["rounds_p50_ms"]), _f(o["errors"]))


def _split_line(split: dict[str, Any]) -> str:
    """One communities call's time split (:func:`graphapi.bench.analytics.communities_split`)."""
    if "error" in split:
        return f"communities split: failed: {split['error']}"
    reads = ", ".join(f"{k} {_f(v)} ms x{split['store_round_trips'][k]}" for k, v in split["store_reads_ms"].items())
    return (f"communities split ({split['scope_size']:,} entities{', cut' if split['scope_truncated'] else ''}, "
            f"{split['communities']} communities, load {_f(split['load_average_1m'])}): "
            f"wall {_f(split['wall_ms'])} ms, "
            f"process CPU {_f(split['process_cpu_ms'])} ms, store {_f(split['store_server_ms'])} ms of its own; "
            f"reads: {reads}; in process {_f(split['in_process_ms'])} ms")


def print_analytics(console: Console, result: dict[str, Any]) -> None:
    """Print the ``analytics`` section's table and its communities lines, unless it failed."""
    an = result.get("analytics")
    if an and "error" not in an:
        cpu = an["cpu"]
        t = Table(title=f"Analytics, in-process service call (ms), best of {an['rounds']} rounds; CPU s: bench "
                        f"{_f(cpu['bench_process_s'])}, store {_f(cpu['store_server_s'])}; load average "
                        f"{_f(cpu['load_average_1m_before'])} -> {_f(cpu['load_average_1m_after'])}")
        for col in ANALYTICS_COLUMNS:
            t.add_column(col, justify="left" if col == "analytic" else "right")
        for name, o in an["operations"].items():
            t.add_row(*_analytics_row(name, o))
        console.print(t)
        console.print(f"communities: scope at most {an['community_scope_limit']:,} entities (the service's limit); "
                      f"store peak RSS {_f(an['memory']['store_peak_mib'])} MiB")
        if split := an.get("communities_split"):
            console.print(_split_line(split))


def analytics_markdown(result: dict[str, Any]) -> list[str]:
    """The ``analytics`` section as Markdown lines, unless it failed."""
    out: list[str] = []
    an = result.get("analytics")
    if an and "error" not in an:
        cpu = an["cpu"]
        out += ["| " + " | ".join(ANALYTICS_COLUMNS) + " |", "|---" + "|---:" * (len(ANALYTICS_COLUMNS) - 1) + "|"]
        out += ["| " + " | ".join(_analytics_row(k, o)) + " |" for k, o in an["operations"].items()]
        out += ["", f"Best of {an['rounds']} rounds; CPU: bench process {_f(cpu['bench_process_s'])} s, store server "
                f"{_f(cpu['store_server_s'])} s; load average {_f(cpu['load_average_1m_before'])} before, "
                f"{_f(cpu['load_average_1m_after'])} after; communities over at most "
                f"{an['community_scope_limit']:,} entities; store peak RSS {_f(an['memory']['store_peak_mib'])} MiB.",
                ""]
        if split := an.get("communities_split"):
            out += [_split_line(split), ""]
    return out


def print_graphql(console: Console, result: dict[str, Any]) -> None:
    """Print the GraphQL over HTTP vs raw call table, unless the section failed."""
    if "graphql" in result and "error" not in result["graphql"]:
        t = Table(title="GraphQL over HTTP vs raw service call, same inputs, same run (ms); "
                        "anchor: Hasura overhead within a few per cent")
        for col in ("operation", "pairs", "raw p50", "GraphQL p50", "GraphQL p99", "overhead p50", "ratio", "errors"):
            t.add_column(col, justify="left" if col == "operation" else "right")
        for name, g in result["graphql"].items():
            if not g.get("pairs"):
                t.add_row(name, "0", "-", "-", "-", "-", "-", f"[red]{g['errors']}[/]")
                continue
            t.add_row(name, _f(g["pairs"]), _f(g["raw"]["p50_ms"]), _f(g["graphql_http"]["p50_ms"]),
                      _f(g["graphql_http"]["p99_ms"]), _f(g["overhead_p50_ms"]), _f(g["ratio_p50"], "x"),
                      _f(g["errors"]))
        console.print(t)


def graphql_markdown(result: dict[str, Any]) -> list[str]:
    """The GraphQL over HTTP vs raw call table as Markdown lines, unless the section failed."""
    out: list[str] = []
    g = result.get("graphql")
    if g and "error" not in g:
        out += ["| GraphQL over HTTP vs raw call | pairs | raw p50 ms | GraphQL p50 ms | GraphQL p99 ms | ratio "
                "| errors |",
                "|---|---:|---:|---:|---:|---:|---:|"]
        for k, v in g.items():
            if v.get("pairs"):
                out.append(f"| {k} | {v['pairs']} | {_f(v['raw']['p50_ms'])} | {_f(v['graphql_http']['p50_ms'])} | "
                           f"{_f(v['graphql_http']['p99_ms'])} | {_f(v['ratio_p50'])}x | {v['errors']} |")
            else:
                out.append(f"| {k} | 0 | - | - | - | - | {v.get('errors')} |")
        out += ["", "Anchor: Hasura's GraphQL overhead over the database, within a few per cent.", ""]
    return out


def print_api_and_store(console: Console, result: dict[str, Any]) -> None:
    """Print the round trips, peak memory and graph counts the run measured, as one table."""
    rows: list[tuple[str, str]] = []
    if "round_trips" in result and "error" not in result["round_trips"]:
        rt = result["round_trips"]
        rows.append(("round trips per nested request (HTTP, counted by the store)",
                     _f(rt["round_trips_per_request_http"])))
        rows.append(("round trips per nested request (in-process store counter)",
                     _f(rt["round_trips_per_request_in_process"])))
        rows.append(("entities returned per nested request", _f(rt["entities_per_request"])))
    if "memory" in result:
        mem = result["memory"]
        rows.append(("peak RSS, API process (MiB)", _f(mem["api_peak_mib"])))
        rows.append(("peak RSS, store server (MiB)", _f(mem["store_peak_mib"])))
        rows.append(("peak RSS, bench/loader process (MiB)", _f(mem["bench_process_peak_mib"])))
    if "graph" in result and result["graph"]:
        rows.append(("graph after the run: nodes / relationships",
                     f"{result['graph']['nodes']:,} / {result['graph']['relationships']:,}"))
    if rows:
        t = Table(title="API and store")
        t.add_column("figure")
        t.add_column("measured", justify="right")
        for a, b in rows:
            t.add_row(a, b)
        console.print(t)


def api_and_store_markdown(result: dict[str, Any]) -> list[str]:
    """The round trips and peak memory the run measured as Markdown lines."""
    out: list[str] = []
    rows = []
    rt = result.get("round_trips")
    if rt and "error" not in rt:
        rows.append(("store round trips per nested GraphQL request (entity, 10 relationships, 5 of each neighbour)",
                     f"{_f(rt['round_trips_per_request_http'])} ({_f(rt['entities_per_request'])} entities)"))
    mem = result.get("memory")
    if mem:
        rows += [("peak RSS, API process", f"{_f(mem['api_peak_mib'])} MiB"),
                 ("peak RSS, store server", f"{_f(mem['store_peak_mib'])} MiB"),
                 ("peak RSS, bench/loader process", f"{_f(mem['bench_process_peak_mib'])} MiB")]
    if rows:
        out += ["| API and store | measured |", "|---|---:|"] + [f"| {a} | {b} |" for a, b in rows] + [""]
    return out
