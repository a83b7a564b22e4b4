"""lintas bench on the session's Neo4j, alone and beside the embedded store: a file of its own, so
the two xdist workers share the suite's longest tests (test_bench_smoke.py has the helpers)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_bench_smoke import SMOKE, _app, _check_every_figure
from typer.testing import CliRunner

from graphapi.bench.report import side_by_side, to_markdown


def _on_session_neo4j(monkeypatch, neo4j_uri: str) -> None:
    """The bench on the session's Neo4j (it clears it: the store fixtures reload what they need)."""
    monkeypatch.setenv("NEO4J_URI", neo4j_uri)


@pytest.mark.neo4j
def test_bench_smoke_on_neo4j_every_figure_sane(tmp_path: Path, neo4j_uri: str, monkeypatch) -> None:
    _on_session_neo4j(monkeypatch, neo4j_uri)
    out = tmp_path / "bench.json"
    result = CliRunner().invoke(_app(), [
        "bench", *SMOKE, "--backend", "neo4j", "--clear-neo4j", "--root", str(tmp_path / "bench"),
        "--json", str(out), "--markdown", str(tmp_path / "perf.md"),
    ])
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text())
    assert doc["meta"]["backend"] == "neo4j" and doc["meta"]["neo4j_launched"] is False
    # a server the bench did not start: its memory is not the bench's to read
    _check_every_figure(doc, (tmp_path / "perf.md").read_text(), store_memory=False)


@pytest.mark.neo4j
def test_bench_both_backends_side_by_side_from_one_run(tmp_path: Path, neo4j_uri: str, monkeypatch) -> None:
    _on_session_neo4j(monkeypatch, neo4j_uri)
    out = tmp_path / "bench.json"
    result = CliRunner().invoke(_app(), [
        "bench", "--scale", "0.001", "--only", "load",
        "--backend", "both", "--clear-neo4j", "--root", str(tmp_path / "bench"), "--json", str(out),
    ])
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text())
    assert set(doc["backends"]) == {"embedded", "neo4j"}
    for name, run in doc["backends"].items():
        assert run["meta"]["backend"] == name
        assert run["load"]["relationships_created"] == doc["feeds"]["relationships"]
        assert "operations" not in run
    rows = {name: (a, b) for name, a, b in side_by_side(doc)}
    embedded, neo4j = rows["load: relationships/s (whole ingest path)"]
    assert embedded == doc["backends"]["embedded"]["load"]["relationships_per_s"] > 0
    assert neo4j == doc["backends"]["neo4j"]["load"]["relationships_per_s"] > 0
    ceiling = rows["store ceiling: relationships/s (prepared rows, server time)"]
    assert ceiling[0] > 0 and ceiling[1] > 0  # both backends measure the store alone too
    assert rows["lookup: p50 / p95 ms (store ms)"] == (None, None)  # not run: shown as "-"
    md = to_markdown(doc)
    assert "| figure | embedded (FalkorDB) | Neo4j |" in md
    assert "### Backend embedded" in md and "### Backend neo4j" in md
    assert "Side by side" in result.output
