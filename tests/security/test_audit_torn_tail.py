"""A torn last audit line (a write cut short) no longer takes the API down: operations get one
masked error with a request id, refusals stay refusals, /readyz reports the fault, and
`lintas audit repair` quarantines the torn tail so the chain verifies and the API answers again."""

import json

import httpx
import pytest
import typer
from pydantic import SecretStr
from typer.testing import CliRunner

from graphapi.app import create_app
from graphapi.security.audit import AuditLog
from graphapi.security.audit_repair import RepairRefused, repair_log
from graphapi.security.audit_verify import verify_log
from graphapi.security.cli import register
from graphapi.security.tokens import mint_token
from graphapi.settings import Settings, get_settings

pytestmark = pytest.mark.backends  # each test on the embedded store and on Neo4j

SECRET = "torn-tail-secret-of-at-least-32-bytes!!"
TORN = b'{"agency":"TH-DSI","arguments":{"fields":["entity"],"query":"{ entity(id: \\"per-zh'
QUERY = {"query": '{ entity(id: "per-zhao-wei") { lintasId } }'}


def _bearer() -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token('ana', secret=SECRET, agency='TH-DSI', roles=('analyst',))}"}


def _client(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lintas.test")


def _tear(path) -> None:
    with open(path, "ab") as fh:
        fh.write(TORN)


async def test_api_answers_a_masked_error_while_the_last_audit_line_is_torn(fixture_graph, tmp_path):
    app = create_app(Settings(data_dir=tmp_path, jwt_secret=SecretStr(SECRET), rate_limit_per_minute=0),
                     store=fixture_graph)
    async with _client(app) as c:
        assert (await c.post("/graphql", json=QUERY, headers=_bearer())).json()["data"]["entity"]
        _tear(tmp_path / "audit.jsonl")
        refused = await c.post("/graphql", json=QUERY, headers={**_bearer(), "X-Request-ID": "req-torn-1"})
        anonymous = await c.post("/graphql", json=QUERY)
        ready = await c.get("/readyz")
    assert refused.status_code == 200 and refused.json()["data"] is None
    (error,) = refused.json()["errors"]
    assert error["extensions"] == {"code": "SERVICE_UNAVAILABLE", "requestId": "req-torn-1"}
    assert "Expecting" not in refused.text and "audit.jsonl" not in refused.text
    assert anonymous.status_code == 401 and anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert ready.status_code == 503 and ready.json() == {"audit": "fault"}  # no sizes or lines to the public
    assert (tmp_path / "audit.jsonl").read_bytes().endswith(TORN)  # nothing chained onto the torn line


async def test_api_answers_again_after_audit_repair_quarantines_the_torn_tail(fixture_graph, tmp_path):
    app = create_app(Settings(data_dir=tmp_path, jwt_secret=SecretStr(SECRET), rate_limit_per_minute=0),
                     store=fixture_graph)
    log_path = tmp_path / "audit.jsonl"
    async with _client(app) as c:
        await c.post("/graphql", json=QUERY, headers=_bearer())
        kept = log_path.read_bytes()
        _tear(log_path)
        done = repair_log(AuditLog(log_path), "oncall")
        answered = await c.post("/graphql", json=QUERY, headers=_bearer())
        ready = await c.get("/readyz")
    assert done.side_file.read_bytes() == TORN and done.record["torn"] and done.record["bytes"] == len(TORN)
    assert json.loads(done.side_file.with_name(done.side_file.name + ".json").read_text())["offset"] == len(kept)
    assert answered.json()["data"]["entity"] == {"lintasId": "per-zhao-wei"} and ready.status_code == 200
    entries = list(AuditLog(log_path).entries())
    assert entries[1]["operation"] == "audit.repair" and entries[1]["subject"] == "oncall"
    assert log_path.read_bytes().startswith(kept) and verify_log(log_path).ok


def test_audit_repair_refuses_a_log_whose_lines_were_removed(tmp_path):
    log = AuditLog(tmp_path / "audit.jsonl")
    for i in range(5):
        log.record(None, "search", {"text": str(i)})
    lines = log.path.read_bytes().splitlines(keepends=True)
    log.path.write_bytes(b"".join(lines[:3]))
    with pytest.raises(RepairRefused, match="lines removed"):
        repair_log(log, "oncall")
    assert log.path.read_bytes() == b"".join(lines[:3])


def test_cli_audit_repair_quarantines_a_torn_tail_and_verify_passes(tmp_path, monkeypatch):
    monkeypatch.setenv("LINTAS_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    app = typer.Typer()
    app.callback()(lambda: None)
    register(app)
    log = AuditLog(tmp_path / "audit.jsonl")
    log.record(None, "search", {"text": "x"})
    _tear(log.path)
    runner = CliRunner()
    try:
        assert runner.invoke(app, ["audit", "verify"]).exit_code == 1
        repaired = runner.invoke(app, ["audit", "repair", "--operator", "oncall"])
        verified = runner.invoke(app, ["audit", "verify"])
    finally:
        get_settings.cache_clear()
    assert repaired.exit_code == 0 and f"quarantined {len(TORN)} bytes" in repaired.output
    assert verified.exit_code == 0 and "intact: 2 lines" in verified.output


def _garble_head(log: AuditLog) -> None:
    head = log.head_path.read_bytes()
    log.head_path.write_bytes(b"\x00garbage\xff" + head[10:])


def test_a_garbled_head_is_refused_by_repair_and_named_with_the_way_out(tmp_path):
    # attack round 17, L1: the server pointed to repair, and repair refused with nothing to do
    log = AuditLog(tmp_path / "audit.jsonl")
    for i in range(4):
        log.record(None, "search", {"text": str(i)})
    _garble_head(log)
    with pytest.raises(RepairRefused, match="rebuild-head` pins its last line"):
        repair_log(AuditLog(log.path), "oncall")


def test_repair_rebuilds_a_garbled_head_from_a_chain_that_verifies_and_says_so(tmp_path):
    log = AuditLog(tmp_path / "audit.jsonl")
    for i in range(4):
        log.record(None, "search", {"text": str(i)})
    _garble_head(log)
    done = repair_log(AuditLog(log.path), "oncall", rebuild_head=True)
    assert (done.lines, done.record["headRebuilt"], done.side_file) == (4, True, None)
    assert verify_log(log.path).ok and verify_log(log.path).lines == 5  # the repair is line 5
    assert [e["operation"] for e in AuditLog(log.path).entries()][-1] == "audit.repair"


def test_repair_rebuilds_no_head_for_a_chain_broken_inside(tmp_path):
    log = AuditLog(tmp_path / "audit.jsonl")
    for i in range(4):
        log.record(None, "search", {"text": str(i)})
    lines = log.path.read_bytes().splitlines(keepends=True)
    log.path.write_bytes(b"".join([lines[0], lines[1].replace(b'"1"', b'"9"'), *lines[2:]]))
    _garble_head(log)
    kept = log.path.read_bytes()
    with pytest.raises(RepairRefused, match="the chain breaks at line 3: no head to rebuild"):
        repair_log(AuditLog(log.path), "oncall", rebuild_head=True)
    assert log.path.read_bytes() == kept
