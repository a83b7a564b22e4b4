"""``lintas bench``'s report is the same on a terminal and in a pipe (new-user report: piped, its
tables were fitted to 80 columns, cells wrapped and cut): on stdout, every table as wide as its
text, one line per row. ``load_result.json``: a scale-0.002 load section, as the bench writes it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from graphapi.bench import runner
from graphapi.bench.cli import bench_app

RESULT = json.loads((Path(__file__).parent / "load_result.json").read_text(encoding="utf-8"))
LONGEST_CELL = ("58,000 (Neo4j driver UNWIND, laptop); targets (issue 14): first build >= 150,000, "
                "incremental >= 40,000 on 2 cores")


def _bench_output(monkeypatch, columns: str):
    """What ``lintas bench`` prints, captured (no terminal), with ``COLUMNS`` set."""
    async def finished(cfg, progress=None):
        return RESULT

    monkeypatch.setattr(runner, "run_bench", finished)
    app = typer.Typer()
    app.add_typer(bench_app, name="bench")
    result = CliRunner().invoke(app, ["bench", "--only", "load"], env={"COLUMNS": columns})
    assert result.exit_code == 0, result.output
    return result


def test_the_report_goes_to_stdout_with_each_row_of_a_table_on_one_line(monkeypatch):
    out = _bench_output(monkeypatch, "80").stdout
    [row] = [line for line in out.splitlines() if "relationships/s " in line and "58,000" in line]
    assert LONGEST_CELL in row and "3,983.1" in row
    assert "…" not in out


@pytest.mark.parametrize("columns", ["40", "300"])
def test_the_report_does_not_depend_on_the_terminal_width(monkeypatch, columns):
    out = _bench_output(monkeypatch, columns).stdout
    assert LONGEST_CELL in out and out == _bench_output(monkeypatch, "80").stdout


def test_the_report_has_no_colour_codes_in_a_pipe(monkeypatch):
    out = _bench_output(monkeypatch, "80").stdout
    assert LONGEST_CELL in out and "\x1b[" not in out
