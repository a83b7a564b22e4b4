"""``lintas bench --profile DIR``: a cProfile of the load, its reload and each read operation, written where
the next person looks for where the time goes. Tiny scale, load and reads only."""

from __future__ import annotations

import json
import pstats
from pathlib import Path

import typer
from typer.testing import CliRunner

from graphapi.bench.cli import bench_app
from graphapi.bench.config import OPERATIONS


def _app() -> typer.Typer:
    app = typer.Typer()
    app.add_typer(bench_app, name="bench")
    return app


def test_bench_profile_writes_a_cprofile_and_a_top_30_of_the_load_and_each_read(tmp_path: Path) -> None:
    profiles, out = tmp_path / "profiles", tmp_path / "bench.json"
    result = CliRunner().invoke(_app(), [
        "bench", "--scale", "0.0003", "--only", "load,reads", "--iterations", "2", "--budget", "0.2",
        "--root", str(tmp_path / "bench"), "--profile", str(profiles), "--json", str(out),
    ])
    assert result.exit_code == 0, result.output
    sections = ["load", "reload", *(f"read-{op}" for op in OPERATIONS)]  # reload: the incremental load
    assert sorted(p.name for p in profiles.iterdir()) == sorted(
        f"{s}.{ext}" for s in sections for ext in ("prof", "txt"))
    load_text = (profiles / "load.txt").read_text()
    assert "top 30 by cumulative time" in load_text and "top 30 by own time" in load_text
    assert "(run_load)" in load_text and "ingest/pipeline.py" in load_text  # our functions, by name
    assert "(get_node)" in (profiles / "read-lookup.txt").read_text()
    # the .prof files are real cProfile dumps, loadable by pstats
    stats = pstats.Stats(str(profiles / "load.prof"))
    assert any(func[2] == "run_load" for func in stats.stats)  # type: ignore[attr-defined]
    doc = json.loads(out.read_text())
    assert doc["meta"]["profiles"] == [str(profiles / f"{s}.{ext}") for s in sections for ext in ("prof", "txt")]
    assert doc["load"]["loader_cpu_us_per_row"] > 0

