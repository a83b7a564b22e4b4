"""Print a bench result as rich tables with the anchors beside the figures; write it as JSON.

Anchors (published figures on other systems, for orientation; not the same hardware or data):

- ingest: Neo4j Python driver, batched ``UNWIND ... MERGE``, about 31k nodes/s and 58k
  relationships/s on a laptop; issue 14's targets for Lintas on 2 cores: a first build into an
  empty graph >= 150k relationships/s, an incremental load >= 40k relationships/s;
- short reads: Neo4j on LDBC SNB Interactive short reads IS1-IS7, 7-11 ms;
- GraphQL layer: Hasura reports its overhead over the database within a few per cent.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from graphapi.bench.report_tables import (
    LOAD_TARGETS,
    Spec,
    fmt,
    incremental_rows,
    reads_table,
    section_loads_line,
    soak_table,
    throughput_table,
)

ANCHORS: dict[str, dict[str, Any]] = {
    "ingest_nodes_per_s": {"value": 31_000, "what": "Neo4j Python driver UNWIND ingest, nodes/s (laptop)"},
    "ingest_relationships_per_s": {"value": 58_000,
                                   "what": "Neo4j Python driver UNWIND ingest, relationships/s (laptop)"},
    "ingest_target_first_build_relationships_per_s": {
        "value": 150_000, "what": "Lintas target on 2 cores, first build into an empty graph (issue 14)"},
    "ingest_target_incremental_relationships_per_s": {
        "value": 40_000, "what": "Lintas target on 2 cores, incremental idempotent load (issue 14)"},
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


_f = fmt


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
        rows.append(row(f"{op}: p50 / p95 ms (store ms)", lambda r, op=op: _analytic(r, op, "operations")))
    for op in ("expand_2hop", "shortest_path", "money_trail_4hop", "co_travel", "communities"):
        rows.append(row(f"analytics {op}: p50 / p95 ms (store ms)",
                        lambda r, op=op: _analytic(r["analytics"], op, "operations")))
    for op in ("lookup", "search", "neighbourhood", "path"):
        rows.append(row(f"{op} over GraphQL/HTTP: p50 ms (x raw call)",
                        lambda r, op=op: f"{_f(r['graphql'][op]['graphql_http']['p50_ms'])} "
                                         f"({_f(r['graphql'][op]['ratio_p50'], 'x')})"))
    rows += [
        row("mixed reads/s over HTTP (p95 ms)", lambda r: f"{_f(r['throughput']['overall']['requests_per_s'])} "
                                                          f"({_f(r['throughput']['overall']['latency']['p95_ms'])})"),
        row("peak RSS, API process (MiB)", lambda r: r["memory"]["api_peak_mib"]),
        row("peak RSS, store server (MiB)", lambda r: r["memory"]["store_peak_mib"]),
        row("peak RSS, bench/loader process (MiB)", lambda r: r["memory"]["bench_process_peak_mib"]),
    ]
    return rows


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


def _analytic(result: dict[str, Any], op: str, key: str) -> str:
    o = result[key][op]
    return f"{_pair(o, 'p50_ms', 'p95_ms')} ({_f(o.get('store_ms_per_call'))})"


def _pair(o: dict[str, Any], a: str, b: str) -> str:
    return f"{_f(o[a])} / {_f(o[b])}"


#: The report's width, whatever the terminal's or none: wide enough that every table is as wide
#: as its text (rich fits a table to the terminal, or to 80 columns when piped, wrapping or
#: cutting its cells: new-user report, ``lintas bench | tee bench.txt`` lost figures).
REPORT_WIDTH = 1_000


def report_console() -> Console:
    """The console the report is printed on: stdout (the progress line is on stderr), lines
    never wrapped, tables at their natural width, the same on a terminal and in a pipe."""
    return Console(width=REPORT_WIDTH, soft_wrap=True)


def print_report(result: dict[str, Any], console: Console | None = None) -> None:
    """Print the result's tables to ``console`` (:func:`report_console` by default); for
    ``--backend both``, each backend's tables and then the headline figures side by side."""
    console = console or report_console()
    if "backends" in result:
        for name, sub in result["backends"].items():
            console.print(f"== backend {name} ==")  # not a rule: it would run the console's width
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
                  f"58,000 (Neo4j driver UNWIND, laptop); {LOAD_TARGETS}")
        if ld.get("relationships_per_server_s"):
            t.add_row("relationships per second of the store's own time", _f(ld["relationships_per_server_s"]),
                      f"the store executed {ld['store_round_trips']:,} statements in {ld['store_server_s']:.1f} s "
                      "(no client, wire or commit)")
        if ld.get("store_cpu_us_per_relationship"):
            t.add_row("store server CPU per relationship (µs)", _f(ld["store_cpu_us_per_relationship"]),
                      f"{ld['store_server_cpu_s']:.1f} s of the store server's CPU over the load (its run time "
                      "above also counts waiting for a core)")
        if ld.get("loader_cpu_us_per_row"):
            t.add_row("loader CPU per feed row (µs)", _f(ld["loader_cpu_us_per_row"]),
                      f"{ld['loader_cpu_s']:.1f} s of this process's CPU (reader, guard, writer, client)")
        for row in incremental_rows(ld):
            t.add_row(*row)
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
        cpu = ld.get("store_cpu_s_by_statement") or {}
        t = Table(title="Where the load time went")
        t.add_column("part")
        t.add_column("seconds", justify="right")
        t.add_column("share", justify="right")
        t.add_column("store server CPU s", justify="right")
        for k, v in sorted(split.items(), key=lambda kv: -kv[1]):
            used = cpu.get(k.removeprefix("store:")) if k.startswith("store:") else None
            t.add_row(k, f"{v:.2f}", f"{100 * v / total:.0f}%", "" if used is None else f"{used:.2f}")
        console.print(t)
        t = Table(title="Per feed")
        for col in ("feed", "rows", "nodes", "rels", "s", "rels/s"):
            t.add_column(col, justify="left" if col == "feed" else "right")
        for f in ld["feeds"]:
            t.add_row(f["feed"], _f(f["rows"]), _f(f["nodes_created"]), _f(f["relationships_created"]),
                      _f(f["seconds"]), _f(f["relationships_per_s"]))
        console.print(t)

    if "operations" in result:
        _print(console, reads_table(result))

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
    for spec in _traffic_tables(result):
        _print(console, spec)
    if line := section_loads_line(result):
        console.print(line)
    console.print(f"total bench time {meta.get('seconds', '-')} s")


def _traffic_tables(result: dict[str, Any]) -> list[Spec]:
    """The throughput and soak tables, for the sections that ran and did not fail."""
    return [build(result) for key, build in (("throughput", throughput_table), ("soak", soak_table))
            if key in result and "error" not in result[key]]


def _print(console: Console, spec: Spec) -> None:
    t = Table(title=spec.title)
    for i, col in enumerate(spec.columns):
        t.add_column(col, justify="left" if i == 0 else "right")
    for row in spec.rows:
        t.add_row(*row)
    console.print(t)
    for note in spec.notes:
        console.print(note)


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
                f"(laptop); {LOAD_TARGETS} |",
                f"| relationships per second of the store's own time | {_f(ld.get('relationships_per_server_s'))} | "
                f"{_f(ld.get('store_round_trips'))} statements, {_f(ld.get('store_server_s'))} s executing "
                "(no client, wire or commit) |",
                f"| store server CPU per relationship (µs) | {_f(ld.get('store_cpu_us_per_relationship'))} | "
                f"{_f(ld.get('store_server_cpu_s'))} s of the store server's CPU over the load |",
                f"| loader CPU per feed row (µs) | {_f(ld.get('loader_cpu_us_per_row'))} | "
                f"{_f(ld.get('loader_cpu_s'))} s of the loader's CPU (reader, guard, writer, client) |",
                f"| wall time, rows | {ld['seconds']:.1f} s, {ld['rows']:,} rows | |"]
        out += [f"| {figure} | {measured} | {note} |" for figure, measured, note in incremental_rows(ld)]
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
        cpu = ld.get("store_cpu_s_by_statement") or {}
        out += ["| where the load time went | s | share | store server CPU s |", "|---|---:|---:|---:|"]
        for k, v in sorted(split.items(), key=lambda kv: -kv[1]):
            used = cpu.get(k.removeprefix("store:")) if k.startswith("store:") else None
            out.append(f"| {k} | {v:.1f} | {100 * v / total:.0f}% | {'' if used is None else f'{used:.2f}'} |")
        out.append("")
    if "operations" in result:
        out += reads_table(result).markdown()
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
    mem = result.get("memory")
    if mem:
        rows += [("peak RSS, API process", f"{_f(mem['api_peak_mib'])} MiB"),
                 ("peak RSS, store server", f"{_f(mem['store_peak_mib'])} MiB"),
                 ("peak RSS, bench/loader process", f"{_f(mem['bench_process_peak_mib'])} MiB")]
    if rows:
        out += ["| API and store | measured |", "|---|---:|"] + [f"| {a} | {b} |" for a, b in rows] + [""]
    for spec in _traffic_tables(result):
        out += spec.markdown()
    if line := section_loads_line(result):
        out += [line, ""]
    return "\n".join(out)
