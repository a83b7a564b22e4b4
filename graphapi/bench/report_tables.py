"""The report's tables of the reads, throughput and soak sections, built once and printed by
:mod:`graphapi.bench.report` both as rich tables and as Markdown.

A table is a :class:`Spec`: a title, column names (the first left-aligned, the rest numbers) and
rows of already formatted cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Issue 14's load targets on 2 cores (embedded store): a first build into an empty graph (what the
#: bench's load is) and an incremental, idempotent load into a graph that holds data.
LOAD_TARGETS = "targets (issue 14): first build >= 150,000, incremental >= 40,000 on 2 cores"


def fmt(v: Any, unit: str = "") -> str:
    """A figure as the report prints it: thousands separated, 3 significant digits under 100, '-'
    for None."""
    if v is None:
        return "-"
    if isinstance(v, float):
        text = f"{v:,.1f}" if abs(v) >= 100 else f"{v:,.3g}"
    elif isinstance(v, int):
        text = f"{v:,}"
    else:
        text = str(v)
    return f"{text}{unit}"


@dataclass
class Spec:
    """One table: ``title``, ``columns``, ``rows`` of cells, and ``notes`` printed below it."""

    title: str
    columns: tuple[str, ...]
    rows: list[tuple[str, ...]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def markdown(self) -> list[str]:
        """The table as Markdown lines (its title as the first column's header), notes after."""
        head = (self.title, *self.columns[1:])
        out = ["| " + " | ".join(head) + " |", "|---" + "|---:" * (len(self.columns) - 1) + "|"]
        out += ["| " + " | ".join(row) + " |" for row in self.rows]
        return out + [""] + [*self.notes, ""] if self.notes else out + [""]


def _load(before: Any, after: Any) -> str:
    return f"load average {fmt(before)} -> {fmt(after)}"


READS_COLUMNS = ("operation", "n", "p50", "p95", "p99", "store ms/call", "CPU ms/call", "round trips",
                 "rounds' p50", "errors")


def reads_table(result: dict[str, Any]) -> Spec:
    """Per operation of the ``reads`` section: the best round's wall p50/p95/p99, the store's own
    time and this process's CPU per call, round trips, every round's p50, errors."""
    section = result.get("reads") or {}
    rounds = section.get("rounds", 1)
    spec = Spec(f"Analyst operations, in-process service call (ms), best of {rounds} rounds, interleaved",
                READS_COLUMNS)
    for name, o in result["operations"].items():
        spec.rows.append((name, str(o["n"]), fmt(o["p50_ms"]), fmt(o["p95_ms"]), fmt(o["p99_ms"]),
                          fmt(o.get("store_ms_per_call")), fmt(o.get("process_cpu_ms_per_call")),
                          fmt(o["round_trips_per_call"]), " ".join(fmt(x) for x in o.get("rounds_p50_ms", [])),
                          fmt(o["errors"])))
    if section:
        spec.notes.append(
            f"store ms: the store's own execution time (no client, wire or decoding); CPU ms: this process "
            f"(our Python and the client's decoding). CPU s over the section: bench "
            f"{fmt(section.get('bench_process_cpu_s'))}, store {fmt(section.get('store_server_cpu_s'))}; "
            f"{_load(section.get('load_average_1m_before'), section.get('load_average_1m_after'))}. "
            "Anchor: Neo4j LDBC SNB Interactive short reads IS1-IS7, 7-11 ms.")
    return spec


TRAFFIC_COLUMNS = ("document", "weight", "ok", "errors", "req/s", "p50", "p95", "p99")


def _traffic_rows(tp: dict[str, Any]) -> list[tuple[str, ...]]:
    rows = []
    for name, d in [*tp["documents"].items(), ("all", tp["overall"])]:
        lat = d.get("latency") or {}
        rows.append((name, fmt(tp["mix"].get(name)), fmt(d["ok"]), fmt(d["errors"]), fmt(d["requests_per_s"]),
                     fmt(lat.get("p50_ms")), fmt(lat.get("p95_ms")), fmt(lat.get("p99_ms"))))
    return rows


def throughput_table(result: dict[str, Any]) -> Spec:
    """The ``throughput`` mix: per document and overall, requests/s and latency (ms)."""
    tp = result["throughput"]
    spec = Spec(f"Mixed reads over HTTP: {tp['clients']} clients, {tp['workers']} API worker(s), "
                f"{fmt(tp['seconds'])} s (ms)", TRAFFIC_COLUMNS, _traffic_rows(tp))
    spec.notes.append(
        f"Client in a process of its own: {fmt(tp['client_cpu_s'])} CPU s ({fmt(tp['client_cpu_share'])} of a core; "
        f"near 1, the client was the limit). API processes' CPU s (supervisor and workers): "
        f"{', '.join(fmt(x) for x in tp['api_cpu_s']) or '-'}; "
        f"{_load(tp.get('load_average_1m_before'), tp.get('load_average_1m_after'))}.")
    return spec


SOAK_COLUMNS = ("process", "first MiB", "last MiB", "peak MiB", "slope MiB/min", "samples")


def soak_table(result: dict[str, Any]) -> Spec:
    """The ``soak``: resident memory of the API (workers summed) and of the store over the run."""
    sk = result["soak"]
    tp = sk["traffic"]
    lat = tp["overall"].get("latency") or {}
    spec = Spec(f"Soak: the read mix for {fmt(sk['seconds'])} s, memory (RSS) every {fmt(sk['sample_s'])} s",
                SOAK_COLUMNS)
    for name in ("api", "store"):
        m = sk.get(name)
        if m:
            spec.rows.append((name, fmt(m["first_mib"]), fmt(m["last_mib"]), fmt(m["peak_mib"]),
                              fmt(m["slope_mib_per_min"]), fmt(m["samples"])))
    spec.notes.append(
        f"Mix over the soak: {fmt(tp['overall']['requests_per_s'])} req/s, p50 {fmt(lat.get('p50_ms'))} ms, "
        f"p95 {fmt(lat.get('p95_ms'))} ms, {fmt(tp['overall']['errors'])} errors; "
        f"{_load(sk.get('load_average_1m_before'), sk.get('load_average_1m_after'))}.")
    return spec


def section_loads_line(result: dict[str, Any]) -> str | None:
    """The 1-minute load average before -> after each section, on one line (None if none)."""
    loads = result["meta"].get("load_average_1m")
    if not loads:
        return None
    return "Load average (1 min) before -> after each section: " + "; ".join(
        f"{name} {fmt(v['before'])} -> {fmt(v['after'])}" for name, v in loads.items())


def incremental_rows(load: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The incremental load's figures (the same feeds loaded again: ``bench.load.reload_feeds``)
    as (figure, measured, note) rows of the load table; none where it was not measured."""
    inc = load.get("incremental")
    if not inc:
        return []
    top = ", ".join(f"{name} {fmt(s)} s" for name, s in list(inc["time_split_s"].items())[:4])
    return [
        ("incremental load (the same feeds again): relationships/s", fmt(inc["relationships_per_s"]),
         "target (issue 14) >= 40,000 on 2 cores; nothing new, every record compared with the stored graph"),
        ("incremental: relationships per second of the store's own time", fmt(inc["relationships_per_server_s"]),
         f"{fmt(inc['store_round_trips'])} statements, {fmt(inc['store_server_s'])} s executing"),
        ("incremental: loader CPU per feed row / store server CPU per relationship (µs)",
         f"{fmt(inc['loader_cpu_us_per_row'])} / {fmt(inc['store_cpu_us_per_relationship'])}",
         f"{fmt(inc['seconds'])} s wall; most time: {top}"),
        ("incremental: idempotent (nothing created, graph counts unchanged)", "yes" if inc["idempotent"] else "NO",
         f"{fmt(inc['nodes_created'])} nodes, {fmt(inc['relationships_created'])} relationships created"),
    ]
