"""Operator loads (`lintas load ...`) are in the audit log: who, which files and their sha256,
options, counts, start and end; a load the log cannot record does not run."""

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graphapi.ingest.cli import load_app
from graphapi.security.audit import AuditLog
from graphapi.security.audit_verify import verify_log
from graphapi.settings import get_settings

REPO = Path(__file__).resolve().parents[2]
TRANSFERS = REPO / "seed/samples/transfers.synthetic.csv"


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("LINTAS_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def _load(data_dir: Path, *args: str):
    return CliRunner().invoke(load_app, [*args, "--rejects", str(data_dir / "rejects.jsonl")])


def test_cli_load_records_operator_files_options_and_counts(data_dir):
    result = _load(data_dir, "csv", "--mapping", "transfers", str(TRANSFERS), "--dry-run", "--json",
                   "--operator", "oncall-ana", "--owner", "TH-DSI", "--tlp", "amber")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout[result.stdout.index("{"):])
    start, done = AuditLog(data_dir / "audit.jsonl").entries()
    assert (start["operation"], start["kind"], start["subject"]) == ("load.start", "load", "oncall-ana")
    args = start["arguments"]
    assert args["files"] == [{"path": str(TRANSFERS.resolve()), "bytes": TRANSFERS.stat().st_size,
                              "sha256": hashlib.sha256(TRANSFERS.read_bytes()).hexdigest()}]
    assert (args["loader"], args["mapping"], args["owner"], args["tlp"], args["dryRun"], args["via"]) == (
        "csv", "transfers", "TH-DSI", "AMBER", True, "cli")
    assert args["osUser"]
    counts = done["arguments"]
    assert done["operation"] == "load.done" and counts["run"] == args["run"]
    assert (counts["rowsRead"], counts["rowsLoaded"], counts["rowsRejected"]) == (
        summary["rows_read"], summary["rows_loaded"], summary["rows_rejected"])
    assert counts["rowsRead"] > 0 and counts["startedAt"] <= counts["endedAt"]
    assert verify_log(data_dir / "audit.jsonl").ok


def test_cli_load_that_fails_is_recorded_as_failed(data_dir):
    bad = data_dir / "bad.csv"
    bad.write_text("nothing,useful\n1,2\n")
    result = _load(data_dir, "csv", "--mapping", "transfers", str(bad), "--dry-run")
    assert result.exit_code == 2
    start, failed = AuditLog(data_dir / "audit.jsonl").entries()
    assert start["operation"] == "load.start" and failed["operation"] == "load.failed"
    assert failed["outcome"] == "error" and "MappingError" in failed["arguments"]["error"]


def test_cli_load_does_not_run_when_the_audit_log_cannot_record_it(data_dir):
    log = AuditLog(data_dir / "audit.jsonl")
    log.record(None, "search", {})
    with open(log.path, "ab") as fh:
        fh.write(b'{"torn')
    result = _load(data_dir, "csv", "--mapping", "transfers", str(TRANSFERS), "--dry-run", "--json")
    assert result.exit_code == 1 and "audit log cannot record it" in result.output
    assert "rows_read" not in result.stdout and not (data_dir / "rejects.jsonl").exists()
