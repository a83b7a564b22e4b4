"""The hash-chained audit log: append, verify, and detection of every kind of tampering."""

import json
from pathlib import Path

import pytest

from graphapi.security.audit import GENESIS, AuditLog
from graphapi.security.audit_verify import verify_log
from graphapi.security.principal import Principal

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))


def _log(tmp_path: Path, n: int = 5) -> AuditLog:
    log = AuditLog(tmp_path / "audit.jsonl")
    for i in range(n):
        log.record(TH, "search", {"text": f"zhao {i}"}, result_size=i, request_id=f"r{i}")
    return log


def _lines(log: AuditLog) -> list[str]:
    return log.path.read_text(encoding="utf-8").splitlines()


def _write(log: AuditLog, lines: list[str]) -> None:
    log.path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def test_audit_entries_carry_who_when_what_and_size(tmp_path):
    log = _log(tmp_path, 2)
    first, second = list(log.entries())
    assert first["prev"] == GENESIS and first["seq"] == 1
    assert first["subject"] == "analyst-th" and first["agency"] == "TH-DSI" and first["roles"] == ["analyst"]
    assert first["operation"] == "search" and first["arguments"] == {"text": "zhao 0"}
    assert second["resultSize"] == 1 and second["at"].endswith("Z") and second["requestId"] == "r1"


def test_audit_verify_accepts_an_intact_log(tmp_path):
    result = verify_log(_log(tmp_path).path)
    assert result.ok and result.lines == 5 and result.head_hash


def test_audit_verify_accepts_a_missing_log(tmp_path):
    assert verify_log(tmp_path / "none.jsonl").ok


def test_audit_verify_fails_on_an_altered_line(tmp_path):
    log = _log(tmp_path)
    lines = _lines(log)
    entry = json.loads(lines[2])
    entry["resultSize"] = 999
    lines[2] = json.dumps(entry, sort_keys=True, separators=(",", ":"))
    _write(log, lines)
    result = verify_log(log.path)
    assert not result.ok and result.line == 4 and "prev" in result.problem


def test_audit_verify_fails_on_an_altered_last_line(tmp_path):
    log = _log(tmp_path)
    lines = _lines(log)
    lines[-1] = lines[-1].replace('"zhao 4"', '"zhao 9"')
    _write(log, lines)
    result = verify_log(log.path)
    assert not result.ok and "head" in result.problem


def test_audit_verify_fails_on_a_non_canonical_edit(tmp_path):
    log = _log(tmp_path)
    lines = _lines(log)
    lines[1] = lines[1].replace(",", ", ", 1)
    _write(log, lines)
    assert not verify_log(log.path).ok


@pytest.mark.parametrize("index", [0, 2, 4])
def test_audit_verify_fails_on_a_removed_line(tmp_path, index):
    log = _log(tmp_path)
    lines = _lines(log)
    del lines[index]
    _write(log, lines)
    assert not verify_log(log.path).ok


def test_audit_verify_fails_on_reordered_lines(tmp_path):
    log = _log(tmp_path)
    lines = _lines(log)
    lines[1], lines[2] = lines[2], lines[1]
    _write(log, lines)
    result = verify_log(log.path)
    assert not result.ok and result.line == 2


def test_audit_verify_fails_when_the_head_is_deleted(tmp_path):
    log = _log(tmp_path)
    log.head_path.unlink()
    assert not verify_log(log.path).ok


def test_audit_chain_continues_across_instances(tmp_path):
    _log(tmp_path, 2)
    again = AuditLog(tmp_path / "audit.jsonl")
    entry = again.record(None, "auth", {"reason": "missing credentials"}, kind="auth", outcome="denied")
    assert entry["seq"] == 3 and entry["subject"] is None
    assert verify_log(again.path).ok


def test_audit_arguments_are_bounded(tmp_path):
    log = AuditLog(tmp_path / "audit.jsonl")
    entry = log.record(TH, "entities", {"ids": [str(i) for i in range(1000)], "text": "x" * 10_000})
    assert len(entry["arguments"]["ids"]) == 201 and entry["arguments"]["text"].endswith("[10000 chars]")
    assert verify_log(log.path).ok


def test_verify_beside_a_writer_appending_never_reports_an_intact_log_broken(tmp_path):
    # attack round 17, A2: verify read the log, then the head, while the API appended in between
    import threading

    log = AuditLog(tmp_path / "audit.jsonl")
    writer = Principal("analyst-th", agency="TH-DSI")
    log.record(writer, "search", {"text": "first"}, 0)
    stop = threading.Event()

    def append() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            log.record(writer, "search", {"text": f"zhao {n}"}, n)

    thread = threading.Thread(target=append)
    thread.start()
    try:
        verdicts = [verify_log(tmp_path / "audit.jsonl") for _ in range(40)]
    finally:
        stop.set()
        thread.join()
    assert [v.problem for v in verdicts if not v.ok] == []
    assert verify_log(tmp_path / "audit.jsonl").ok


def test_verify_of_a_copy_without_its_lock_file_creates_none(tmp_path):
    # attack round 18, A2c: verify took the lock by creating its file, and failed on a read-only mount
    log = AuditLog(tmp_path / "live" / "audit.jsonl")
    log.record(Principal("analyst-th", agency="TH-DSI"), "search", {"text": "x"}, 0)
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in ("audit.jsonl", "audit.jsonl.head"):
        (copy / name).write_bytes((tmp_path / "live" / name).read_bytes())
    assert verify_log(copy / "audit.jsonl").ok
    assert sorted(p.name for p in copy.iterdir()) == ["audit.jsonl", "audit.jsonl.head"]
