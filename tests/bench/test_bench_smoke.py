"""``lintas bench --scale 0.001`` end to end: every figure is produced and sane. No timing asserts.

Runs the real thing (feeds generated, loaded through the ingest path into its own embedded
store, or the session's Neo4j, a uvicorn subprocess on loopback) with small sample counts so it
stays well under a minute per backend. Every figure of a whole run is checked on both backends
from one ``--backend both`` run in test_bench_smoke_neo4j.py (:func:`_check_every_figure`).
"""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from graphapi.bench.analytics import ANALYTICS
from graphapi.bench.cli import bench_app, generate_app
from graphapi.bench.generate import counts_for, generate
from graphapi.bench.planted_feeds import planted_rows
from graphapi.bench.runner import OPERATIONS
from graphapi.devserver import neo4j as launcher


def _app() -> typer.Typer:
    app = typer.Typer()
    app.add_typer(bench_app, name="bench")
    app.add_typer(generate_app, name="generate")
    return app


def _latency_ok(lat: dict) -> None:
    assert lat["n"] > 0
    assert 0 < lat["p50_ms"] <= lat["p95_ms"] <= lat["p99_ms"] <= lat["max_ms"]
    assert lat["mean_ms"] > 0


def test_generate_is_deterministic_and_counts_match(tmp_path: Path) -> None:
    a = generate(tmp_path / "a", 0.001, seed=7)
    b = generate(tmp_path / "b", 0.001, seed=7)
    assert a == b
    for name in a.files.values():
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    nodes, rows = counts_for(0.001)
    planted, _answers = planted_rows()  # the planted structures' rows come on top of the background's
    assert a.rows == {feed: rows.get(feed, 0) + len(planted.rows.get(feed, [])) for feed in a.files}
    # and the loader links each account of a bank the gazetteer knows to that bank's one node:
    # 13 of the 14 bank codes of the background are banks the seed gazetteer knows (not BCA)
    banks, links = a.nodes_by_label["Bank"], a.relationships_by_type["AT_BANK"]
    assert banks == 13
    assert a.nodes == sum(nodes.values()) + sum(planted.nodes_by_label().values()) + banks
    assert a.relationships == sum(a.rows.values()) + links


#: The smallest run that still yields every figure: a scale of ~1,800 relationships on top of the
#: planted structures (0.001, ~5,200, only took longer to load on Neo4j), 3 samples an operation.
SMOKE = ["--scale", "0.0003", "--iterations", "3", "--budget", "0.5", "--rounds", "1", "--duration", "1",
         "--clients", "4"]


def _check_every_figure(doc: dict, md: str, *, store_memory: bool,
                        ceiling_rows: tuple[int, int] = (10_000, 2_000)) -> None:
    load = doc["load"]
    assert load["nodes_created"] == load["expected_nodes"] == doc["feeds"]["nodes"]
    assert load["relationships_created"] == load["expected_relationships"] == doc["feeds"]["relationships"]
    assert load["rejected"] == 0 and load["dangling"] == 0
    assert load["nodes_per_s"] > 0 and load["relationships_per_s"] > 0 and load["seconds"] > 0
    assert sum(f["rows"] for f in load["feeds"]) == load["rows"]
    # the store's own time over the load is reported beside wall time (not compared: the server's
    # clock and the client's disagree by a few percent on a loaded machine, 3,861 against 3,976/s)
    assert load["store_round_trips"] > 0 and load["relationships_per_server_s"] > 0
    # ... and the store server's CPU over the load, which waiting for a core does not inflate (read
    # from /proc: a server the bench started; the session's Neo4j of the tests is not its own)
    if store_memory:
        assert load["store_server_cpu_s"] > 0 and load["store_cpu_us_per_relationship"] > 0
        assert load["store_cpu_s_by_statement"]["ingest/add_relationships"] > 0  # and by statement
    else:
        assert load["store_server_cpu_s"] is None and load["store_cpu_us_per_relationship"] is None
    ceiling = load["store_ceiling"]  # every prepared row written, then cleared
    assert (ceiling["relationships"], ceiling["nodes"]) == ceiling_rows
    assert ceiling["relationships_per_s"] > 0 and ceiling["nodes_per_s"] > 0
    assert ceiling["relationships_per_server_s"] > 0
    # the engine's floor (index seeks and CREATE, the same rows) is measured beside it
    assert ceiling["bare_create_per_server_s"] > 0 and ceiling["bare_create_per_s"] > 0
    assert doc["graph"] is None or doc["graph"] == {"nodes": load["expected_nodes"],
                                                     "relationships": load["expected_relationships"]}

    assert set(doc["operations"]) == set(OPERATIONS)
    for op in doc["operations"].values():
        _latency_ok(op)
        assert op["errors"] == 0, op["error_sample"]
        assert op["round_trips_per_call"] >= 1
        assert op["store_ms_per_call"] > 0 and op["process_cpu_ms_per_call"] > 0
    assert set(doc["graphql"]) == set(OPERATIONS)
    for g in doc["graphql"].values():
        assert g["pairs"] > 0 and g["errors"] == 0, g.get("error_sample")
        _latency_ok(g["raw"])
        _latency_ok(g["graphql_http"])
        assert g["ratio_p50"] > 0

    an = doc["analytics"]
    assert list(an["operations"]) == list(ANALYTICS)
    for op in an["operations"].values():
        _latency_ok(op)
        assert op["errors"] == 0, op["error_sample"]
        assert op["round_trips_per_call"] >= 1 and op["rounds_p50_ms"] == [op["p50_ms"]]
    assert an["operations"]["shortest_path"]["result_size_mean"] == 1  # each pair, two calls apart, has its path
    assert an["operations"]["communities"]["result_size_max"] <= an["community_scope_limit"] == 50_000
    split = an["communities_split"]  # one call's time split: the scope read in few round trips
    assert 1 <= split["scope_size"] <= 50_000 and split["members_listed"] <= 1_000
    assert 1 <= split["store_round_trips"]["analytics/scope_ties"] <= 4  # a chunk per hop, and the closing one
    assert split["process_cpu_ms"] > 0 and split["in_process_ms"] > 0
    assert an["cpu"]["bench_process_s"] > 0 and an["cpu"]["load_average_1m_after"] >= 0

    rt = doc["round_trips"]
    assert rt["round_trips_per_request_in_process"] >= 1
    assert rt["entities_per_request"] >= 1
    if rt["round_trips_per_request_http"] is not None:
        assert rt["round_trips_per_request_http"] >= 1

    tp = doc["throughput"]["overall"]  # the read mix, one worker by default
    assert tp["errors"] == 0 and tp["ok"] > 0 and tp["requests_per_s"] > 0
    _latency_ok(tp["latency"])
    assert doc["throughput"]["workers"] == 1

    mem = doc["memory"]
    assert mem["api_peak_mib"] > 0 and mem["bench_process_peak_mib"] > 0
    if store_memory:
        assert mem["store_peak_mib"] > 0
    assert {"ingest_relationships_per_s", "short_read_ms", "graphql_overhead"} <= set(doc["anchors"])
    assert "soak" not in doc  # off unless asked for
    for heading in ("| load (through the ingest path)", "| Analyst operations, in-process service call",
                    "| analytic |", "| GraphQL over HTTP vs raw call", "| API and store", "| Mixed reads over HTTP"):
        assert heading in md


def test_bench_rejects_unknown_only_name(tmp_path: Path) -> None:
    result = CliRunner().invoke(_app(), ["bench", "--scale", "0.001", "--root", str(tmp_path), "--only", "nonsense"])
    assert result.exit_code == 2


def test_bench_neo4j_without_uri_or_launcher_says_why(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setattr(launcher, "missing_tools", lambda: "no Maven (mvn on PATH) to fetch Neo4j")
    result = CliRunner().invoke(_app(), ["bench", "--scale", "0.001", "--root", str(tmp_path), "--backend", "neo4j"])
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "NEO4J_URI is unset" in text and "no Maven" in text


def test_bench_rejects_unknown_backend(tmp_path: Path) -> None:
    result = CliRunner().invoke(_app(), ["bench", "--scale", "0.001", "--root", str(tmp_path), "--backend", "kuzu"])
    assert result.exit_code == 2
    assert "unknown backend" in " ".join(result.output.split())


def test_bench_reader_figure_reads_the_cdr_feed_alone_with_its_value_map_and_transforms(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = CliRunner().invoke(_app(), ["bench", "--scale", "0.001", "--only", "reader",
                                         "--root", str(tmp_path / "bench"), "--json", str(out)])
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text())
    reader = doc["reader"]
    assert (reader["feed"], reader["mapping"]) == ("cdr.csv", "cdr.yaml")
    assert reader["rows"] == doc["feeds"]["rows"]["cdr"] and reader["rejected"] == 0
    assert len(reader["cpu_us_per_row"]) == reader["passes"] == 5
    assert reader["reader_us_per_row"] == min(reader["cpu_us_per_row"]) > 0
    assert "load" not in doc and "graph" not in doc  # no store was opened
