"""Print a bench result as rich tables with the anchors beside the figures; write it as JSON.

Anchors (published figures on other systems, for orientation; not the same hardware or data):

- ingest: Neo4j Python driver, batched ``UNWIND ... MERGE``, about 31k nodes/s and 58k
  relationships/s on a laptop; issue 14's targets for Lintas on 2 cores: a first build into an
  empty graph >= 150k relationships/s, an incremental load >= 40k relationships/s;
- short reads: Neo4j on LDBC SNB Interactive short reads IS1-IS7, 7-11 ms;
- GraphQL layer: Hasura reports its overhead over the database within a few per cent.

The sections' tables: :mod:`graphapi.bench.report_load` (reader, load),
:mod:`graphapi.bench.report_reads` (analytics, GraphQL, API and store) and
:mod:`graphapi.bench.report_tables` (reads, throughput, soak; the figures' format).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from graphapi.bench.report_load import load_markdown, print_load
from graphapi.bench.report_reads import (
    analytics_markdown,
    api_and_store_markdown,
    graphql_markdown,
    print_analytics,
    print_api_and_store,
    print_graphql,
)
from graphapi.bench.report_tables import (
    Spec,
    fmt,
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

    print_load(console, result)
    if "operations" in result:
        _print(console, reads_table(result))
    print_analytics(console, result)

    errors = [(k, v["error"]) for k, v in result.items() if isinstance(v, dict) and "error" in v]
    for key, err in errors:
        console.print(f"[red]{key}: failed: {err}[/]")
    print_graphql(console, result)
    print_api_and_store(console, result)
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
    out += load_markdown(result)
    if "operations" in result:
        out += reads_table(result).markdown()
    out += analytics_markdown(result)
    out += graphql_markdown(result)
    out += api_and_store_markdown(result)
    for spec in _traffic_tables(result):
        out += spec.markdown()
    if line := section_loads_line(result):
        out += [line, ""]
    return "\n".join(out)
