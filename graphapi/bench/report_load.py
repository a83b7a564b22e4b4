"""The report's reader and load tables: what reading and loading the feeds measured, for the console and Markdown."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from graphapi.bench.report_tables import LOAD_TARGETS, incremental_rows
from graphapi.bench.report_tables import fmt as _f


def print_load(console: Console, result: dict[str, Any]) -> None:
    """Print the ``reader`` and ``load`` sections' tables (load, where its time went, per feed)."""
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


def load_markdown(result: dict[str, Any]) -> list[str]:
    """The ``reader`` and ``load`` sections as Markdown lines (no per-feed table)."""
    out: list[str] = []
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
    return out
