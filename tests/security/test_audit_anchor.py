"""External anchors: head checkpoints written elsewhere catch a log rewritten together with its
head, which the chain alone cannot (`lintas audit verify --anchor FILE`)."""

import hashlib
import json
import socket

import typer
from pydantic import SecretStr
from typer.testing import CliRunner

from graphapi.security.audit import GENESIS, AuditLog
from graphapi.security.audit_anchor import Anchors, verify_anchor
from graphapi.security.audit_verify import verify_log
from graphapi.security.cli import register
from graphapi.security.runtime import audit_log
from graphapi.settings import Settings, get_settings

KEY = b"anchor-key-for-tests"


def _log(tmp_path, n: int = 30, **anchor) -> AuditLog:
    anchors = Anchors("audit.jsonl", file=tmp_path / "anchor.jsonl", key=KEY, every=10, interval_s=0, **anchor)
    log = AuditLog(tmp_path / "audit.jsonl", anchor=anchors)
    for i in range(n):
        log.record(None, "search", {"text": f"zhao {i}"}, i)
    return log


def _rechain(log: AuditLog, lines: list[bytes]) -> None:
    """What an attacker with write access does: re-chain every line and rewrite the head."""
    prev, out = GENESIS, []
    for number, raw in enumerate(lines, start=1):
        entry = {**json.loads(raw), "seq": number, "prev": prev}
        line = json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
        out.append(line)
        prev = hashlib.sha256(line).hexdigest()
    log.path.write_bytes(b"".join(line + b"\n" for line in out))
    log.write_head(len(out), prev, log.path.stat().st_size)


def test_audit_anchor_checkpoints_every_n_entries_signed(tmp_path):
    _log(tmp_path, 25)
    points = [json.loads(line) for line in (tmp_path / "anchor.jsonl").read_text().splitlines()]
    assert [p["seq"] for p in points] == [10, 20] and all(len(p["hmac"]) == 64 for p in points)


def test_audit_anchor_checkpoints_after_the_interval(tmp_path):
    now = [0.0]
    anchors = Anchors("audit.jsonl", file=tmp_path / "anchor.jsonl", every=0, interval_s=60, clock=lambda: now[0])
    log = AuditLog(tmp_path / "audit.jsonl", anchor=anchors)
    for step in (0, 10, 59, 61, 62, 200):
        now[0] = step
        log.record(None, "search", {})
    seqs = [json.loads(line)["seq"] for line in (tmp_path / "anchor.jsonl").read_text().splitlines()]
    assert seqs == [1, 4, 6]


def test_audit_anchor_catches_a_truncated_log_with_a_rewritten_head(tmp_path):
    log = _log(tmp_path)
    lines = log.path.read_bytes().splitlines()
    _rechain(log, lines[:-25])
    assert verify_log(log.path).ok  # the chain alone is fooled
    check = verify_anchor(log.path, tmp_path / "anchor.jsonl", KEY)
    assert not check.ok and "pins line 10" in check.problem and "only 5 lines" in check.problem


def test_audit_anchor_catches_an_edited_and_rechained_log(tmp_path):
    log = _log(tmp_path)
    lines = log.path.read_bytes().splitlines()
    lines[3] = lines[3].replace(b'"zhao 3"', b'"nothing"')
    _rechain(log, lines)
    assert verify_log(log.path).ok
    check = verify_anchor(log.path, tmp_path / "anchor.jsonl", KEY)
    assert not check.ok and "log line 10 is not the line the anchor pinned" in check.problem


def test_audit_anchor_refuses_a_checkpoint_forged_without_the_key(tmp_path):
    log = _log(tmp_path)
    anchor = tmp_path / "anchor.jsonl"
    points = [json.loads(line) for line in anchor.read_text().splitlines()]
    points[1]["hash"] = "0" * 64
    anchor.write_text("".join(json.dumps(p) + "\n" for p in points))
    assert "signature does not match" in verify_anchor(log.path, anchor, KEY).problem
    assert verify_anchor(log.path, tmp_path / "anchor.jsonl", None).problem.startswith("log line 20")


def test_audit_anchor_goes_to_syslog(tmp_path):
    address = tmp_path / "syslog.sock"
    receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    receiver.bind(str(address))
    receiver.settimeout(5)
    try:
        log = AuditLog(tmp_path / "audit.jsonl",
                       anchor=Anchors("audit.jsonl", syslog=str(address), every=1, interval_s=0))
        log.record(None, "search", {})
        message = receiver.recv(4096).decode()
    finally:
        receiver.close()
    assert "lintas-audit-anchor" in message
    (tmp_path / "saved-syslog.txt").write_text(f"Dec  3 10:00:00 host {message.strip(chr(0))}\n")
    assert verify_anchor(log.path, tmp_path / "saved-syslog.txt").ok


def test_audit_anchor_is_configured_through_settings(tmp_path):
    settings = Settings(data_dir=tmp_path, audit_anchor_file=tmp_path / "elsewhere.jsonl",
                        audit_anchor_key=SecretStr("k"), audit_anchor_every=2, audit_anchor_interval_s=0)
    log = audit_log(settings)
    for _ in range(4):
        log.record(None, "search", {})
    seqs = [json.loads(line)["seq"] for line in (tmp_path / "elsewhere.jsonl").read_text().splitlines()]
    assert seqs == [2, 4]


def test_cli_audit_verify_with_anchor(tmp_path, monkeypatch):
    log = _log(tmp_path)
    monkeypatch.setenv("LINTAS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("LINTAS_AUDIT_ANCHOR_KEY", KEY.decode())
    get_settings.cache_clear()
    app = typer.Typer()
    app.callback()(lambda: None)
    register(app)
    runner = CliRunner()
    try:
        intact = runner.invoke(app, ["audit", "verify", "--anchor", str(tmp_path / "anchor.jsonl")])
        _rechain(log, log.path.read_bytes().splitlines()[:-25])
        plain = runner.invoke(app, ["audit", "verify"])
        anchored = runner.invoke(app, ["audit", "verify", "--anchor", str(tmp_path / "anchor.jsonl")])
    finally:
        get_settings.cache_clear()
    assert intact.exit_code == 0 and "3 anchor checkpoints hold" in intact.output
    assert plain.exit_code == 0 and "intact" in plain.output
    assert anchored.exit_code == 1 and "BROKEN" in anchored.output and "lines removed" in anchored.output
