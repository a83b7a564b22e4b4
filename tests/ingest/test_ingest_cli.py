"""``lintas load``: the typer sub-app (dry runs: no store needed), summary JSON and reject report."""

from __future__ import annotations

import json
from pathlib import Path

from ingest_helpers import DATA
from typer.testing import CliRunner

from graphapi.ingest.cli import load_app

REPO = Path(__file__).resolve().parents[2]


def test_cli_load_ofac_dry_run_prints_summary(tmp_path: Path) -> None:
    rejects = tmp_path / "r.jsonl"
    result = CliRunner().invoke(load_app, [
        "ofac", "--sdn", str(REPO / "seed/ofac/sdn_sea_scam_subset.csv"),
        "--add", str(REPO / "seed/ofac/add_sea_scam_subset.csv"),
        "--dry-run", "--json", "--rejects", str(rejects),
    ])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout[result.stdout.index("{"):])
    assert summary["rows_read"] == 343 and summary["rows_rejected"] == 0 and summary["dry_run"]
    assert summary["unresolved"] == 1 and rejects.exists()


def test_cli_load_ftm_and_csv_dry_run(tmp_path: Path) -> None:
    files = sorted(str(p) for p in (DATA / "ftm").glob("*.json"))
    result = CliRunner().invoke(load_app, ["ftm", *files, "--dry-run", "--json",
                                           "--rejects", str(tmp_path / "f.jsonl")])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout[result.stdout.index("{"):])
    assert summary["rows_read"] == summary["rows_loaded"] + summary["rows_rejected"] == 575
    lines = (tmp_path / "f.jsonl").read_text().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["reason"]
    result = CliRunner().invoke(load_app, [
        "csv", "--mapping", "transfers", str(REPO / "seed/samples/transfers.synthetic.csv"),
        "--dry-run", "--json", "--rejects", str(tmp_path / "c.jsonl"),
    ])
    assert result.exit_code == 0, result.output


def test_cli_generate_and_bad_arguments(tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    assert CliRunner().invoke(load_app, ["generate", "cases", "--rows", "7", "--out", str(out)]).exit_code == 0
    assert len(out.read_text().splitlines()) == 8
    assert CliRunner().invoke(load_app, ["generate", "nope", "--out", str(out)]).exit_code == 2
    bad_tlp = CliRunner().invoke(load_app, ["ofac", "--sdn", str(REPO / "seed/ofac/sdn_sea_scam_subset.csv"),
                                            "--tlp", "PURPLE", "--dry-run"])
    assert bad_tlp.exit_code == 2
    assert CliRunner().invoke(load_app, ["csv", "--mapping", "nope", str(out), "--dry-run"]).exit_code == 2
