"""Print a bench result as rich tables with the anchors beside the figures; write it as JSON.

Anchors (published figures on other systems, for orientation; not the same hardware or data):

- ingest: Neo4j Python driver, batched ``UNWIND ... MERGE``, about 31k nodes/s and 58k
  relationships/s on a laptop; issue 5/3's target for Lintas is >= 50k relationships/s on 2 cores;
- short reads: Neo4j on LDBC SNB Interactive short reads IS1-IS7, 7-11 ms;
- GraphQL layer: Hasura reports its overhead over the database within a few per cent.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

ANCHORS: dict[str, dict[str, Any]] = {
    "ingest_nodes_per_s": {"value": 31_000, "what": "Neo4j Python driver UNWIND ingest, nodes/s (laptop)"},
    "ingest_relationships_per_s": {"value": 58_000,
                                   "what": "Neo4j Python driver UNWIND ingest, relationships/s (laptop)"},
    "ingest_target_relationships_per_s": {"value": 50_000, "what": "Lintas target on 2 cores (issues 3 and 5)"},
    "short_read_ms": {"value": [7, 11], "what": "Neo4j LDBC SNB short reads IS1-IS7, ms"},
    "graphql_overhead": {"value": "within a few per cent", "what": "Hasura GraphQL overhead over the database"},
}


def with_anchors(result: dict[str, Any]) -> dict[str, Any]:
    """The result with the ``anchors`` block added (what the JSON file holds)."""
    return {**result, "anchors": ANCHORS}


def write_json(result: dict[str, Any], path: Path) -> None:
    """Write the result, anchors included, as indented JSON to ``path``."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(with_anchors(result), indent=2) + "\n", encoding="utf-8")


def _f(v: Any, unit: str = "") -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        text = f"{v:,.1f}" if abs(v) >= 100 else f"{v:,.3g}"
    elif isinstance(v, int):
        text = f"{v:,}"
    else:
        text = str(v)
    return f"{text}{unit}"


def _p(op: dict[str, Any] | None, key: str) -> Any:
    return op.get(key) if op and "error" not in op else None


def side_by_side(result: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """The headline figures of a ``--backend both`` result: ``(figure, embedded, neo4j)`` rows."""
    runs = [result["backends"]["embedded"], result["backends"]["neo4j"]]

    def row(name: str, get: Any) -> tuple[str, Any, Any]:
        values = []
        for r in runs:
            try:
                values.append(get(r))
            except (KeyError, TypeError):
                values.append(None)
        return (name, *values)

    rows = [
        row("load: nodes/s (whole ingest path)", lambda r: r["load"]["nodes_per_s"]),
        row("load: relationships/s (whole ingest path)", lambda r: r["load"]["relationships_per_s"]),
        row("load: relationships per second of the store's own time",
            lambda r: r["load"]["relationships_per_server_s"]),
        row("store ceiling: relationships/s (prepared rows, wall)",
            lambda r: r["load"]["store_ceiling"]["relationships_per_s"]),
        row("store ceiling: relationships/s (prepared rows, server time)",
            lambda r: r["load"]["store_ceiling"]["relationships_per_server_s"]),
        row("engine floor: bare CREATE relationships/s (wall / server time)",
            lambda r: f"{_f(r['load']['store_ceiling'].get('bare_create_per_s'))} / "
                      f"{_f(r['load']['store_ceiling'].get('bare_create_per_server_s'))}"),
    ]
    for op in ("lookup", "search", "relationships", "neighbourhood", "path"):
        rows.append(row(f"{op}: p50 / p95 ms", lambda r, op=op: _pair(r["operations"][op], "p50_ms", "p95_ms")))
    for op in ("expand_2hop", "shortest_path", "money_trail_4hop", "co_travel", "communities"):
        rows.append(row(f"analytics {op}: p50 / p95 ms (store ms)", lambda r, op=op: _analytic(r, op)))
    for op in ("lookup", "search", "neighbourhood", "path"):
        rows.append(row(f"{op} over GraphQL/HTTP: p50 ms (x raw call)",
                        lambda r, op=op: f"{_f(r['graphql'][op]['graphql_http']['p50_ms'])} "
                                         f"({_f(r['graphql'][op]['ratio_p50'], 'x')})"))
    rows += [
        row("point lookups/s over HTTP", lambda r: r["throughput"]["requests_per_s"]),
        row("peak RSS, API process (MiB)", lambda r: r["memory"]["api_peak_mib"]),
        row("peak RSS, store server (MiB)", lambda r: r["memory"]["store_peak_mib"]),
        row("peak RSS, bench/loader process (MiB)", lambda r: r["memory"]["bench_process_peak_mib"]),
    ]
    return rows


ANALYTICS_COLUMNS = ("analytic", "n", "p50", "p95", "store ms/call", "round trips", "result size (mean)",
                     "rounds' p50", "errors")


def _analytics_row(name: str, o: dict[str, Any]) -> tuple[str, ...]:
    return (name, str(o["n"]), _f(o["p50_ms"]), _f(o["p95_ms"]), _f(o["store_ms_per_call"]),
            _f(o["round_trips_per_call"]), _f(o["result_size_mean"]), " ".join(_f(x) for x in o["rounds_p50_ms"]),
            _f(o["errors"]))


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


def _analytic(result: dict[str, Any], op: str) -> str:
    o = result["analytics"]["operations"][op]
    return f"{_pair(o, 'p50_ms', 'p95_ms')} ({_f(o['store_ms_per_call'])})"


def _pair(o: dict[str, Any], a: str, b: str) -> str:
    return f"{_f(o[a])} / {_f(o[b])}"


def print_report(result: dict[str, Any], console: Console | None = None) -> None:
    """Print the result's tables to ``console`` (stderr by default); for ``--backend both``, each
    backend's tables and then the headline figures side by side."""
    console = console or Console(stderr=True)
    if "backends" in result:
        for name, sub in result["backends"].items():
            console.rule(f"backend {name}")
            print_report(sub, console)
        t = Table(title=f"Side by side, one run (scale {result['meta']['scale']:g}, "
                        f"{result['feeds']['nodes']:,} nodes, {result['feeds']['relationships']:,} relationships)")
        for col in ("figure", "embedded (FalkorDB)", "Neo4j"):
            t.add_column(col, justify="left" if col == "figure" else "right")
        for name, a, b in side_by_side(result):
            t.add_row(name, _f(a), _f(b))
        console.print(t)
        console.print(f"total bench time {result['meta'].get('seconds', '-')} s")
        return
    meta = result["meta"]
    m = meta["machine"]
    console.print(f"[bold]lintas bench[/] scale {meta['scale']:g} ({result['feeds']['nodes']:,} nodes, "
                  f"{result['feeds']['relationships']:,} relationships in the feeds), backend {meta['backend']}, "
                  f"seed {meta['seed']}, commit {meta.get('commit') or '-'}")
    console.print(f"machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, Python {m['python']}; "
                  f"load average at start {_f(m.get('load_average_1m_at_start'))} (figures are noisy on a shared box)")

    if "reader" in result:
        rd = result["reader"]
        t = Table(title=f"Reader alone: {rd['feed']} through bench mapping {rd['mapping']} (value map, "
                        f"transforms, condition), warm memo, no store")
        for col in ("figure", "measured", "bound"):
            t.add_column(col, justify="right" if col != "figure" else "left")
        t.add_row(f"reader CPU per row (µs), best of {rd['passes']}", _f(rd["reader_us_per_row"]),
                  f"<= {rd['bound_us']:g} (issue 13)")
        t.add_row("rows per CPU second", _f(rd["rows_per_cpu_s"]), "")
        t.add_row("every pass (µs/row)", " ".join(f"{x:g}" for x in rd["cpu_us_per_row"]), "")
        t.add_row("rows / rejected", f"{rd['rows']:,} / {rd['rejected']:,}", "")
        console.print(t)

    if "load" in result:
        ld = result["load"]
        t = Table(title=f"Load through the ingest path ({ld['seconds']:.1f} s, batch {ld['batch_size']})")
        for col in ("figure", "measured", "anchor"):
            t.add_column(col, justify="right" if col != "figure" else "left")
        t.add_row("nodes/s", _f(ld["nodes_per_s"]), "31,000 (Neo4j driver UNWIND, laptop)")
        t.add_row("relationships/s", _f(ld["relationships_per_s"]),
                  "58,000 (Neo4j driver UNWIND, laptop); target >= 50,000 on 2 cores")
        if ld.get("relationships_per_server_s"):
            t.add_row("relationships per second of the store's own time", _f(ld["relationships_per_server_s"]),
                      f"the store executed {ld['store_round_trips']:,} statements in {ld['store_server_s']:.1f} s "
                      "(no client, wire or commit)")
        if ld.get("loader_cpu_us_per_row"):
            t.add_row("loader CPU per feed row (µs)", _f(ld["loader_cpu_us_per_row"]),
                      f"{ld['loader_cpu_s']:.1f} s of this process's CPU (reader, guard, writer, client)")
        ceiling = ld.get("store_ceiling")
        if ceiling:
            t.add_row("store ceiling: relationships/s", _f(ceiling["relationships_per_s"]),
                      f"the writer's statement, {ceiling['relationships']:,} prepared rows, no reading/merging")
            if ceiling.get("relationships_per_server_s"):
                t.add_row("store ceiling, server time only: relationships/s",
                          _f(ceiling["relationships_per_server_s"]), "the same, by the server's own execution time")
            if ceiling.get("bare_create_per_s"):
                bare_server = _f(ceiling.get("bare_create_per_server_s"))
                t.add_row("engine floor: bare CREATE relationships/s", _f(ceiling["bare_create_per_s"]),
                          f"the same rows, index seeks and CREATE only; server time {bare_server}")
            t.add_row("store ceiling: nodes/s", _f(ceiling["nodes_per_s"]), "the writer's statement, prepared rows")
        t.add_row("nodes created / expected", f"{ld['nodes_created']:,} / {ld['expected_nodes']:,}", "")
        t.add_row("relationships created / expected",
                  f"{ld['relationships_created']:,} / {ld['expected_relationships']:,}", "")
        t.add_row("rows rejected / dangling", f"{ld['rejected']:,} / {ld['dangling']:,}", "")
        console.print(t)
        split = ld["time_split_s"]
        total = sum(split.values()) or 1.0
        t = Table(title="Where the load time went")
        t.add_column("part")
        t.add_column("seconds", justify="right")
        t.add_column("share", justify="right")
        for k, v in sorted(split.items(), key=lambda kv: -kv[1]):
            t.add_row(k, f"{v:.2f}", f"{100 * v / total:.0f}%")
        console.print(t)
        t = Table(title="Per feed")
        for col in ("feed", "rows", "nodes", "rels", "s", "rels/s"):
            t.add_column(col, justify="left" if col == "feed" else "right")
        for f in ld["feeds"]:
            t.add_row(f["feed"], _f(f["rows"]), _f(f["nodes_created"]), _f(f["relationships_created"]),
                      _f(f["seconds"]), _f(f["relationships_per_s"]))
        console.print(t)

    if "operations" in result:
        t = Table(title="Analyst operations, in-process service call (ms); anchor: Neo4j LDBC SNB IS1-IS7 7-11 ms")
        for col in ("operation", "n", "p50", "p95", "p99", "errors", "round trips"):
            t.add_column(col, justify="left" if col == "operation" else "right")
        for name, o in result["operations"].items():
            t.add_row(name, str(o["n"]), _f(o["p50_ms"]), _f(o["p95_ms"]), _f(o["p99_ms"]), _f(o["errors"]),
                      _f(o["round_trips_per_call"]))
        console.print(t)

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

    errors = [(k, v["error"]) for k, v in result.items() if isinstance(v, dict) and "error" in v]
    for key, err in errors:
        console.print(f"[red]{key}: failed: {err}[/]")
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

    rows: list[tuple[str, str]] = []
    if "round_trips" in result and "error" not in result["round_trips"]:
        rt = result["round_trips"]
        rows.append(("round trips per nested request (HTTP, counted by the store)",
                     _f(rt["round_trips_per_request_http"])))
        rows.append(("round trips per nested request (in-process store counter)",
                     _f(rt["round_trips_per_request_in_process"])))
        rows.append(("entities returned per nested request", _f(rt["entities_per_request"])))
    if "throughput" in result and "error" not in result["throughput"]:
        tp = result["throughput"]
        rows.append((f"point lookups/s, {tp['clients']} concurrent clients ({tp['ok']:,} ok, {tp['errors']} errors)",
                     _f(tp["requests_per_s"])))
        if tp.get("latency"):
            rows.append(("  latency under load p50 / p99 ms",
                         f"{_f(tp['latency']['p50_ms'])} / {_f(tp['latency']['p99_ms'])}"))
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
    console.print(f"total bench time {meta.get('seconds', '-')} s")


def to_markdown(result: dict[str, Any]) -> str:
    """The figures as Markdown tables (what docs/performance.md shows); for
    ``--backend both`` the side-by-side table first, then each backend's tables."""
    if "backends" in result:
        meta, m = result["meta"], result["meta"]["machine"]
        out = [f"Scale {meta['scale']:g} ({result['feeds']['nodes']:,} nodes, {result['feeds']['relationships']:,} "
               f"relationships), both backends in one run, seed {meta['seed']}, commit {meta.get('commit') or '-'}; "
               f"{m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB RAM, Python {m['python']}, load average "
               f"{_f(m.get('load_average_1m_at_start'))} at start.", "",
               "| figure | embedded (FalkorDB) | Neo4j |", "|---|---:|---:|"]
        out += [f"| {name} | {_f(a)} | {_f(b)} |" for name, a, b in side_by_side(result)]
        for name, sub in result["backends"].items():
            out += ["", f"### Backend {name}", "", to_markdown(sub)]
        return "\n".join(out)
    meta, m = result["meta"], result["meta"]["machine"]
    out = [f"Scale {meta['scale']:g} ({result['feeds']['nodes']:,} nodes, {result['feeds']['relationships']:,} "
           f"relationships), backend {meta['backend']}, seed {meta['seed']}, commit {meta.get('commit') or '-'}; "
           f"{m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB RAM, Python {m['python']}, load average "
           f"{_f(m.get('load_average_1m_at_start'))} at start (a shared machine: figures are noisy).", ""]
    if "reader" in result:
        rd = result["reader"]
        out += ["| reader alone (call-record feed, value map + transforms, warm memo) | measured | bound |",
                "|---|---:|---|",
                f"| CPU per row, best of {rd['passes']} (µs) | {_f(rd['reader_us_per_row'])} | <= {rd['bound_us']:g} |",
                f"| rows per CPU second | {_f(rd['rows_per_cpu_s'])} | |", ""]
    if "load" in result:
        ld = result["load"]
        out += ["| load (through the ingest path) | measured | anchor |", "|---|---:|---|",
                f"| nodes/s | {_f(ld['nodes_per_s'])} | Neo4j Python driver UNWIND ~31,000 (laptop) |",
                f"| relationships/s | {_f(ld['relationships_per_s'])} | Neo4j Python driver UNWIND ~58,000 "
                "(laptop); target >= 50,000 on 2 cores |",
                f"| relationships per second of the store's own time | {_f(ld.get('relationships_per_server_s'))} | "
                f"{_f(ld.get('store_round_trips'))} statements, {_f(ld.get('store_server_s'))} s executing "
                "(no client, wire or commit) |",
                f"| loader CPU per feed row (µs) | {_f(ld.get('loader_cpu_us_per_row'))} | "
                f"{_f(ld.get('loader_cpu_s'))} s of the loader's CPU (reader, guard, writer, client) |",
                f"| wall time, rows | {ld['seconds']:.1f} s, {ld['rows']:,} rows | |"]
        if ld.get("store_ceiling"):
            c = ld["store_ceiling"]
            out += [f"| store ceiling: relationships/s | {_f(c['relationships_per_s'])} | the writer's statement fed "
                    f"{c['relationships']:,} prepared rows (no reading, normalising, merging) |",
                    f"| store ceiling, server time only: relationships/s | "
                    f"{_f(c.get('relationships_per_server_s'))} | the same, by the server's own execution time |",
                    "| engine floor: bare CREATE relationships/s (wall / server time) | "
                    f"{_f(c.get('bare_create_per_s'))} / {_f(c.get('bare_create_per_server_s'))} | "
                    "the same rows, index seeks and CREATE only (no checks) |",
                    f"| store ceiling: nodes/s | {_f(c['nodes_per_s'])} | the writer's statement, prepared rows |"]
        out.append("")
        split = ld["time_split_s"]
        total = sum(split.values()) or 1.0
        out += ["| where the load time went | s | share |", "|---|---:|---:|"]
        out += [f"| {k} | {v:.1f} | {100 * v / total:.0f}% |" for k, v in sorted(split.items(), key=lambda kv: -kv[1])]
        out.append("")
    if "operations" in result:
        out += ["| operation (in-process service call) | n | p50 ms | p95 ms | p99 ms | errors | round trips |",
                "|---|---:|---:|---:|---:|---:|---:|"]
        out += [f"| {k} | {o['n']} | {_f(o['p50_ms'])} | {_f(o['p95_ms'])} | {_f(o['p99_ms'])} | {o['errors']} | "
                f"{_f(o['round_trips_per_call'])} |" for k, o in result["operations"].items()]
        out += ["", "Anchor: Neo4j LDBC SNB Interactive short reads IS1-IS7, 7-11 ms.", ""]
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
    rows = []
    rt = result.get("round_trips")
    if rt and "error" not in rt:
        rows.append(("store round trips per nested GraphQL request (entity, 10 relationships, 5 of each neighbour)",
                     f"{_f(rt['round_trips_per_request_http'])} ({_f(rt['entities_per_request'])} entities)"))
    tp = result.get("throughput")
    if tp and "error" not in tp:
        rows.append((f"point lookups/s over HTTP, {tp['clients']} concurrent clients",
                     f"{_f(tp['requests_per_s'])} ({tp['errors']} errors)"))
    mem = result.get("memory")
    if mem:
        rows += [("peak RSS, API process", f"{_f(mem['api_peak_mib'])} MiB"),
                 ("peak RSS, store server", f"{_f(mem['store_peak_mib'])} MiB"),
                 ("peak RSS, bench/loader process", f"{_f(mem['bench_process_peak_mib'])} MiB")]
    if rows:
        out += ["| API and store | measured |", "|---|---:|"] + [f"| {a} | {b} |" for a, b in rows] + [""]
    return "\n".join(out)
