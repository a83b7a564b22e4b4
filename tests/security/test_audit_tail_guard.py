"""The server checks the log's tail against its head before every append: a truncated, torn or
forged tail is never chained onto (which would make `lintas audit verify` say "intact" again)."""

import hashlib
import json
import logging

import pytest
from audit_helpers import TH, written_log

from graphapi.security.audit import AuditFault, AuditLog
from graphapi.security.audit_verify import verify_log


def _log(tmp_path, n: int = 30) -> AuditLog:
    return written_log(tmp_path, n)


def test_audit_append_refuses_a_log_whose_last_25_lines_were_cut(tmp_path, caplog):
    log = _log(tmp_path)
    lines = log.path.read_bytes().splitlines(keepends=True)
    log.path.write_bytes(b"".join(lines[:-25]))
    before = log.path.read_bytes()
    with caplog.at_level(logging.ERROR, logger="graphapi.security.audit"), pytest.raises(AuditFault) as refused:
        log.record(TH, "search", {"text": "after the cut"}, 0)
    assert log.path.read_bytes() == before
    assert "lines removed" in refused.value.detail and "AUDIT LOG FAULT" in caplog.text
    result = verify_log(log.path)
    assert not result.ok and "head names line 30 but the log ends at line 5" in result.problem


def test_audit_append_refuses_after_a_forged_correctly_chained_line(tmp_path):
    log = _log(tmp_path, 3)
    last = log.path.read_bytes().splitlines()[-1]
    forged = {**json.loads(last), "seq": 4, "prev": hashlib.sha256(last).hexdigest(), "subject": "nobody"}
    with open(log.path, "ab") as fh:
        fh.write(json.dumps(forged, sort_keys=True, separators=(",", ":")).encode() + b"\n")
    with pytest.raises(AuditFault):
        log.record(TH, "search", {"text": "next"}, 0)
    result = verify_log(log.path)
    assert not result.ok and "lines added after the head" in result.problem


def test_audit_append_refuses_a_torn_last_line_with_a_public_message(tmp_path):
    log = _log(tmp_path, 3)
    with open(log.path, "ab") as fh:
        fh.write(b'{"agency":"TH-DSI","argum')
    with pytest.raises(AuditFault) as refused:
        log.record(TH, "search", {"text": "next"}, 0)
    assert str(refused.value) == AuditFault.PUBLIC and "Expecting" not in str(refused.value)
    assert log.fault is not None and log.health() == log.fault
    assert [e["seq"] for e in log.entries()] == [1, 2, 3]  # the torn line is skipped, not fatal
    result = verify_log(log.path)
    assert not result.ok and result.line == 4 and "torn" in result.problem


def test_audit_health_is_none_for_an_intact_or_empty_log(tmp_path):
    assert AuditLog(tmp_path / "none.jsonl").health() is None
    log = _log(tmp_path, 2)
    assert log.health() is None and log.fault is None


def test_audit_head_written_before_sizes_were_kept_still_chains(tmp_path):
    log = _log(tmp_path, 2)
    head = json.loads(log.head_path.read_bytes())
    log.head_path.write_text(json.dumps({"seq": head["seq"], "hash": head["hash"]}))
    assert log.record(TH, "search", {"text": "next"}, 0)["seq"] == 3
    assert json.loads(log.head_path.read_bytes())["size"] == log.path.stat().st_size
    assert verify_log(log.path).ok


def test_audit_append_refuses_a_log_wiped_with_its_head_while_running(tmp_path):
    log = _log(tmp_path, 3)
    log.path.unlink()
    log.head_path.unlink()
    with pytest.raises(AuditFault) as refused:
        log.record(TH, "search", {"text": "after the wipe"}, 0)
    assert refused.value.detail == "the log's head went back from line 3 to line 0 (wiped or rewound)"
    assert not log.path.exists() and log.health() == refused.value.detail


def test_audit_append_refuses_a_log_rewound_with_a_matching_head(tmp_path):
    log = _log(tmp_path, 5)
    kept_log, kept_head = log.path.read_bytes(), log.head_path.read_bytes()
    log.record(TH, "search", {"text": "six"}, 0)
    log.path.write_bytes(kept_log)  # both rewound to line 5: the tail matches its head
    log.head_path.write_bytes(kept_head)
    with pytest.raises(AuditFault, match=AuditFault.PUBLIC) as refused:
        log.record(TH, "search", {"text": "seven"}, 0)
    assert "went back from line 6 to line 5" in refused.value.detail
    assert log.path.read_bytes() == kept_log


def test_audit_another_writer_moving_the_head_forward_is_no_fault(tmp_path):
    log = _log(tmp_path, 2)
    AuditLog(log.path).record(TH, "search", {"text": "another worker"}, 0)
    assert log.record(TH, "search", {"text": "mine"}, 0)["seq"] == 4
    assert verify_log(log.path).ok
