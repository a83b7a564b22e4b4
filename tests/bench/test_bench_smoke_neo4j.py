"""lintas bench on the session's Neo4j beside the embedded store, every figure of both from one run:
a file of its own, so the two xdist workers share the suite's longest tests (test_bench_smoke.py has
the helpers). One ``--backend both`` run proves the whole bench on each backend and the side-by-side
table (a run of each backend alone and a load-only run of both were three runs of the same code)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from test_bench_smoke import SMOKE, _app, _check_every_figure
from typer.testing import CliRunner

from graphapi.bench import runner
from graphapi.bench.report import side_by_side, to_markdown

#: The store ceiling's prepared relationships in this run, and the phones they join (its floor): the
#: bench writes 10,000 for a load this small (test_bench_ceiling_rows.py holds that rule), on each
#: backend, twice over (the writer's statements, then bare CREATEs); 1,000 run the section alike.
CEILING_ROWS = (1_000, 1_000)


def _on_session_neo4j(monkeypatch, neo4j_uri: str) -> None:
    """The bench on the session's Neo4j (it clears it: the store fixtures reload what they need)."""
    monkeypatch.setenv("NEO4J_URI", neo4j_uri)


@pytest.mark.neo4j
def test_bench_both_backends_every_figure_sane_and_side_by_side_from_one_run(tmp_path: Path, neo4j_uri: str,
                                                                             monkeypatch) -> None:
    _on_session_neo4j(monkeypatch, neo4j_uri)
    monkeypatch.setattr(runner, "ceiling_relationships", lambda loaded, backend: CEILING_ROWS[0])
    out = tmp_path / "bench.json"
    result = CliRunner().invoke(_app(), [
        "bench", *SMOKE, "--backend", "both", "--clear-neo4j", "--root", str(tmp_path / "bench"),
        "--json", str(out), "--markdown", str(tmp_path / "perf.md"),
    ])
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text())
    assert set(doc["backends"]) == {"embedded", "neo4j"}
    for name, run in doc["backends"].items():
        assert run["meta"]["backend"] == name
        assert run["load"]["relationships_created"] == doc["feeds"]["relationships"]
        # the store memory of a server the bench started (the embedded one); the session's Neo4j
        # of the tests is not the bench's to read
        _check_every_figure({**run, "anchors": doc["anchors"]}, to_markdown(run), store_memory=name == "embedded",
                            ceiling_rows=CEILING_ROWS)
    assert doc["backends"]["neo4j"]["meta"]["neo4j_launched"] is False

    rows = {name: (a, b) for name, a, b in side_by_side(doc)}
    embedded, neo4j = rows["load: relationships/s (whole ingest path)"]
    assert embedded == doc["backends"]["embedded"]["load"]["relationships_per_s"] > 0
    assert neo4j == doc["backends"]["neo4j"]["load"]["relationships_per_s"] > 0
    ceiling = rows["store ceiling: relationships/s (prepared rows, server time)"]
    assert ceiling[0] > 0 and ceiling[1] > 0  # both backends measure the store alone too
    lookup = rows["lookup: p50 / p95 ms (store ms)"]
    assert lookup[0] is not None and lookup[1] is not None
    md = (tmp_path / "perf.md").read_text()
    assert "| figure | embedded (FalkorDB) | Neo4j |" in md
    assert "### Backend embedded" in md and "### Backend neo4j" in md
    assert "Side by side" in result.output
    # a section a run did not measure (``--only load``) is a row of None, shown as "-"
    load_only = copy.deepcopy(doc)
    for run in load_only["backends"].values():
        del run["operations"]
    assert {name: (a, b) for name, a, b in side_by_side(load_only)}["lookup: p50 / p95 ms (store ms)"] == (None, None)
    assert "| lookup: p50 / p95 ms (store ms) | - | - |" in to_markdown(load_only)
