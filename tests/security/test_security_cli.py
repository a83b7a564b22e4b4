"""``lintas token``, ``lintas apikey create|revoke|list``, ``lintas audit verify|tail``."""

import json

import pytest
import typer
from typer.testing import CliRunner

from graphapi.security import cli as security_cli
from graphapi.security.apikeys import ApiKeyStore
from graphapi.security.audit import AuditLog
from graphapi.security.cli import register
from graphapi.security.principal import Principal
from graphapi.security.tokens import TokenConfig, TokenVerifier
from graphapi.settings import get_settings

pytestmark = pytest.mark.backends  # each test on the embedded store and on Neo4j

SECRET = "cli-test-secret-of-at-least-32-bytes!!"


@pytest.fixture
def cli(tmp_path, monkeypatch):
    monkeypatch.setenv("LINTAS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("LINTAS_JWT_SECRET", SECRET)
    get_settings.cache_clear()
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """test app"""

    register(app)
    yield app
    get_settings.cache_clear()


def test_cli_token_mints_a_verifiable_token(cli):
    result = CliRunner().invoke(cli, ["token", "alice", "--agency", "TH-DSI", "-r", "analyst", "-r", "auditor"])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip().splitlines()[0]
    p = TokenVerifier(TokenConfig(secret=SECRET)).verify(token)
    assert p.agency == "TH-DSI" and p.roles == frozenset({"analyst", "auditor"})


def test_cli_token_refuses_unknown_roles(cli):
    assert CliRunner().invoke(cli, ["token", "alice", "-r", "god"]).exit_code != 0


def test_cli_token_refuses_an_agency_that_is_not_an_id_as_a_usage_error(cli):
    result = CliRunner().invoke(cli, ["token", "bob", "--agency", "TH:DSI"])
    assert result.exit_code == 2
    assert "'TH:DSI' is not an agency id" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_cli_apikey_create_list_revoke(cli, tmp_path):
    runner = CliRunner()
    created = runner.invoke(cli, ["apikey", "create", "svc", "--agency", "VN-MPS", "-r", "loader"])
    assert created.exit_code == 0, created.output
    key = created.stdout.strip().splitlines()[0]
    store = ApiKeyStore(tmp_path / "apikeys.json")
    assert store.verify(key).agency == "VN-MPS"
    key_id = key.split("_")[1]
    listed = runner.invoke(cli, ["apikey", "list"])
    assert key_id in listed.stdout and key.split("_", 2)[2] not in listed.stdout
    assert runner.invoke(cli, ["apikey", "revoke", key_id]).exit_code == 0
    assert "revoked" in runner.invoke(cli, ["apikey", "list"]).stdout
    assert runner.invoke(cli, ["apikey", "revoke", "000000000000"]).exit_code == 1


def test_cli_audit_verify_fails_on_a_log_with_one_line_altered(cli, tmp_path):
    log = AuditLog(tmp_path / "audit.jsonl")
    for i in range(3):
        log.record(Principal("a", agency="TH-DSI"), "search", {"text": f"t{i}"}, i)
    runner = CliRunner()
    ok = runner.invoke(cli, ["audit", "verify"])
    assert ok.exit_code == 0 and "intact" in ok.output
    lines = log.path.read_text().splitlines()
    entry = json.loads(lines[1])
    entry["subject"] = "someone-else"
    lines[1] = json.dumps(entry, sort_keys=True, separators=(",", ":"))
    log.path.write_text("\n".join(lines) + "\n")
    broken = runner.invoke(cli, ["audit", "verify"])
    assert broken.exit_code == 1 and "line 3" in broken.output and "BROKEN" in broken.output
    tail = runner.invoke(cli, ["audit", "tail", "-n", "1"])
    assert json.loads(tail.stdout)["seq"] == 3


def test_cli_audit_verify_keeps_each_message_on_one_line_in_a_narrow_terminal(cli, tmp_path, monkeypatch):
    monkeypatch.setattr(security_cli.console, "width", 40)
    log = AuditLog(tmp_path / "audit.jsonl")
    for i in range(3):
        log.record(Principal("a", agency="TH-DSI"), "search", {"text": f"t{i}"}, i)
    lines = log.path.read_text().splitlines()
    log.path.write_text("\n".join([lines[0], lines[2]]) + "\n")
    broken = CliRunner().invoke(cli, ["audit", "verify"], env={"COLUMNS": "40"})
    assert broken.exit_code == 1
    assert broken.output.count("\n") == 1 and f"({log.path}): line 2: seq 3, expected 2" in broken.output
