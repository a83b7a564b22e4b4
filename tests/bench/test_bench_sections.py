"""``lintas bench``'s honest-figures sections (issue 14) at the smallest scale: the reads best of
N with the store's own time and CPU per call, the mixed throughput to N API workers from a client
process, and the soak's memory trend. One load (scale 0.0003) serves the file; each test is one
short CLI run on it. No timing asserts: the figures exist, are positive and ordered."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from graphapi.bench.api import ApiServer
from graphapi.bench.cli import bench_app
from graphapi.bench.config import OPERATIONS, BenchConfig
from graphapi.bench.soak import memory_trend, slope_per_minute
from graphapi.bench.traffic import MIX, schedule


def _app() -> typer.Typer:
    app = typer.Typer()
    app.add_typer(bench_app, name="bench")
    return app


def _bench(root: Path, *args: str) -> tuple[dict[str, Any], str, str]:
    """One ``lintas bench --scale 0.0003`` run on ``root``: its JSON, Markdown and printed output."""
    out, md = root / "bench.json", root / "bench.md"
    result = CliRunner().invoke(_app(), ["bench", "--scale", "0.0003", "--root", str(root), "--json", str(out),
                                         "--markdown", str(md), *args])
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text()), md.read_text(), result.output


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], str, str]:
    """A bench root loaded once, and the figures of that first run: the load and the reads, two rounds."""
    root = tmp_path_factory.mktemp("bench")
    doc, md, printed = _bench(root, "--only", "load,reads", "--rounds", "2", "--iterations", "3", "--budget", "0.2")
    return root, doc, md, printed


@pytest.fixture(scope="module")
def served(loaded) -> tuple[dict[str, Any], str]:
    """One API server run on the loaded root, two uvicorn workers: the throughput mix for a second,
    then a two-second soak with memory sampled every half second."""
    doc, md, _printed = _bench(loaded[0], "--only", "throughput", "--workers", "2", "--clients", "4",
                               "--duration", "1", "--soak-s", "2", "--soak-sample-s", "0.5")
    return doc, md


def _latency_ok(lat: dict[str, Any]) -> None:
    assert lat["n"] > 0
    assert 0 < lat["p50_ms"] <= lat["p95_ms"] <= lat["p99_ms"] <= lat["max_ms"]


def test_reads_report_the_best_of_n_interleaved_rounds(loaded) -> None:
    _root, doc, md, printed = loaded
    assert set(doc["operations"]) == set(OPERATIONS)
    for name, op in doc["operations"].items():
        _latency_ok(op)
        assert op["errors"] == 0, (name, op["error_sample"])
        assert len(op["rounds_p50_ms"]) == 2 and op["p50_ms"] == min(op["rounds_p50_ms"])
    assert doc["reads"]["rounds"] == 2
    assert "best of 2 rounds, interleaved" in printed and "best of 2 rounds, interleaved" in md


def test_reads_report_the_stores_own_time_and_the_process_cpu_per_call(loaded) -> None:
    _root, doc, md, _printed = loaded
    for name, op in doc["operations"].items():
        assert op["store_ms_per_call"] > 0 and op["process_cpu_ms_per_call"] > 0, name
        # the client's wall time of the statements includes the server's own time
        assert sum(op["statement_wall_ms_per_call"].values()) >= op["store_ms_per_call"], name
    assert doc["reads"]["bench_process_cpu_s"] > 0 and doc["reads"]["store_server_cpu_s"] >= 0
    assert "| store ms/call | CPU ms/call |" in md


def test_reads_and_load_say_the_load_average_before_and_after(loaded) -> None:
    _root, doc, md, printed = loaded
    reads = doc["reads"]
    assert reads["load_average_1m_before"] >= 0 and reads["load_average_1m_after"] >= 0
    assert set(doc["meta"]["load_average_1m"]) == {"load", "reload", "reads"}
    for section in doc["meta"]["load_average_1m"].values():
        assert section["before"] >= 0 and section["after"] >= 0
    assert "Load average (1 min) before -> after each section: load" in md
    assert "before -> after each section" in " ".join(printed.split())


def test_load_is_set_beside_issue_14s_targets_not_the_stale_50000(loaded) -> None:
    _root, doc, md, printed = loaded
    assert "first build >= 150,000, incremental >= 40,000 on 2 cores" in md
    assert "target >= 50,000" not in md and "target >= 50,000" not in " ".join(printed.split())
    anchors = json.loads((loaded[0] / "bench.json").read_text())["anchors"]
    assert anchors["ingest_target_first_build_relationships_per_s"]["value"] == 150_000
    assert anchors["ingest_target_incremental_relationships_per_s"]["value"] == 40_000
    assert "ingest_target_relationships_per_s" not in anchors
    assert doc["load"]["relationships_created"] == doc["feeds"]["relationships"]


def test_load_measures_the_same_feeds_loaded_again_the_incremental_load_and_finds_it_idempotent(loaded) -> None:
    _root, doc, md, printed = loaded
    inc = doc["load"]["incremental"]
    assert (inc["idempotent"], inc["nodes_created"], inc["relationships_created"]) == (True, 0, 0)
    assert inc["relationships"] == doc["feeds"]["relationships"] and inc["rows"] == doc["load"]["rows"]
    assert inc["relationships_per_s"] > 0 and inc["relationships_per_server_s"] > 0
    assert inc["loader_cpu_us_per_row"] > 0 and inc["store_cpu_us_per_relationship"] > 0
    assert "| incremental load (the same feeds again): relationships/s |" in md
    assert "| incremental: idempotent (nothing created, graph counts unchanged) | yes |" in md
    assert "incremental load (the same feeds again)" in " ".join(printed.split())


def test_throughput_sends_the_weighted_mix_to_two_workers_from_a_client_process(served) -> None:
    doc, md = served
    tp = doc["throughput"]
    assert tp["workers"] == doc["meta"]["workers"] == 2 and tp["clients"] == 4
    assert tp["mix"] == MIX and set(tp["documents"]) == set(MIX)
    for name, d in tp["documents"].items():
        assert d["errors"] == 0 and d["ok"] > 0 and d["requests_per_s"] > 0, name
        _latency_ok(d["latency"])
    overall = tp["overall"]
    assert overall["ok"] == sum(d["ok"] for d in tp["documents"].values()) == tp["requests"]
    assert overall["requests_per_s"] > 0
    _latency_ok(overall["latency"])
    assert tp["documents"]["lookup"]["ok"] >= tp["documents"]["neighbourhood"]["ok"]  # weights 4 and 1
    assert tp["client_cpu_s"] > 0 and len(tp["api_cpu_s"]) >= 3  # the supervisor and its two workers
    assert "| weight | ok | errors | req/s | p50 | p95 | p99 |" in md and "| all |" in md


def test_soak_samples_api_and_store_memory_and_reports_its_trend(served) -> None:
    doc, md = served
    soak = doc["soak"]
    assert soak["seconds"] == 2 and soak["sample_s"] == 0.5
    for name in ("api", "store"):
        m = soak[name]
        assert m["samples"] >= 3, name  # at the start, every half second, at the end
        assert 0 < m["first_mib"] <= m["peak_mib"] and 0 < m["last_mib"] <= m["peak_mib"], name
        assert isinstance(m["slope_mib_per_min"], float), name
    traffic = soak["traffic"]
    assert traffic["overall"]["ok"] > 0 and traffic["overall"]["errors"] == 0
    _latency_ok(traffic["overall"]["latency"])
    assert "| first MiB | last MiB | peak MiB | slope MiB/min | samples |" in md
    assert "soak" in doc["meta"]["load_average_1m"] and "operations" not in doc


def test_soak_runs_only_when_named_or_given_seconds() -> None:
    assert not BenchConfig().wants("soak")
    assert not BenchConfig(only=frozenset({"reads", "throughput"})).wants("soak")
    assert BenchConfig(only=frozenset({"soak"})).wants("soak")
    assert BenchConfig(soak_s=600).wants("soak")


def test_mix_schedule_spreads_each_document_by_its_weight() -> None:
    assert schedule({"a": 2, "b": 1}) == ["a", "b", "a"]
    cycle = schedule(MIX)
    assert {name: cycle.count(name) for name in MIX} == MIX
    assert all(a != b for a, b in zip(cycle, cycle[1:], strict=False) if "neighbourhood" in (a, b))


def test_soak_slope_is_the_least_squares_line_in_mib_per_minute() -> None:
    assert slope_per_minute([(0, 100.0), (60, 110.0), (120, 120.0)]) == 10.0
    assert slope_per_minute([(0, 100.0), (30, 100.0)]) == 0.0
    assert slope_per_minute([(0, 100.0)]) is None
    assert memory_trend([(0, 100.0), (10, 130.0), (20, 120.0)]) == {
        "first_mib": 100.0, "last_mib": 120.0, "peak_mib": 130.0, "slope_mib_per_min": 60.0, "samples": 3}


def test_api_server_runs_the_asked_number_of_uvicorn_workers() -> None:
    two = ApiServer({}, Path("api.log"), workers=2).command()
    assert two[two.index("--workers") + 1] == "2"
    assert "--workers" not in ApiServer({}, Path("api.log")).command()
