"""The audit head is one fixed-size record with a check, rewritten in place (issue 14: renaming a
new head over the old one on every append flushed it to disk first, on every GraphQL request): a
torn head is refused and reported, never taken for a head, by the server and by readers that do
not take the lock; the log, head and lock files kept open follow their paths."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading

import pytest
from audit_helpers import TH, written_log

from graphapi.security import audit_head
from graphapi.security.audit import AuditFault, AuditLog
from graphapi.security.audit_head import HEAD_BYTES, TornHead, head_record, read_head
from graphapi.security.audit_verify import verify_log
from graphapi.security.filelock import locked


def _log(tmp_path, n: int = 3) -> AuditLog:
    return written_log(tmp_path, n)


def _torn(old: bytes, new: bytes) -> bytes:
    """What a reader or a crash may leave: the new record's first half over the old one's second."""
    return new[: HEAD_BYTES // 2] + old[HEAD_BYTES // 2:]


def test_audit_head_is_one_record_rewritten_in_place(tmp_path):
    log = _log(tmp_path, 1)
    inode = log.head_path.stat().st_ino
    for i in range(3):
        log.record(TH, "search", {"text": f"more {i}"}, 0)
    data = log.head_path.read_bytes()
    assert len(data) == HEAD_BYTES and data.endswith(b"\n")
    assert log.head_path.stat().st_ino == inode  # written in place, not renamed over
    head = json.loads(data)
    assert (head["seq"], head["size"]) == (4, log.path.stat().st_size) and len(head["check"]) == 64
    assert read_head(log.head_path) == {"seq": 4, "hash": head["hash"], "size": head["size"]}
    assert verify_log(log.path).ok


def test_audit_append_refuses_a_torn_head_and_verify_names_it(tmp_path, monkeypatch):
    log = _log(tmp_path)
    before, head = log.path.read_bytes(), log.head_path.read_bytes()
    stale = head_record(2, "0" * 64, 123)
    log.head_path.write_bytes(_torn(head, stale))
    with pytest.raises(AuditFault) as refused:
        log.record(TH, "search", {"text": "after the tear"}, 0)
    assert "head file unreadable" in refused.value.detail and "check" in refused.value.detail
    assert log.path.read_bytes() == before and log.health() == refused.value.detail
    monkeypatch.setattr(audit_head, "REREAD_DELAYS_S", (0.0,))
    result = verify_log(log.path)
    assert not result.ok and "fails its check" in result.problem


def test_audit_head_reader_reads_again_a_record_caught_mid_write(tmp_path, monkeypatch):
    log = _log(tmp_path)
    whole = log.head_path.read_bytes()
    reads = [_torn(head_record(2, "f" * 64, 9), whole), whole]
    monkeypatch.setattr(audit_head, "_read", lambda path: reads.pop(0))
    monkeypatch.setattr(audit_head, "REREAD_DELAYS_S", (0.0, 0.0))
    assert read_head(log.head_path)["seq"] == 3 and reads == []


def test_audit_head_reader_never_returns_a_record_that_stays_torn(tmp_path, monkeypatch):
    log = _log(tmp_path)
    torn = _torn(log.head_path.read_bytes(), head_record(4, "f" * 64, 9))
    log.head_path.write_bytes(torn)
    monkeypatch.setattr(audit_head, "REREAD_DELAYS_S", (0.0, 0.0))
    with pytest.raises(TornHead):
        read_head(log.head_path)


def test_audit_head_read_during_appends_is_always_a_line_of_the_log(tmp_path):
    log = _log(tmp_path, 1)
    seen: list[dict] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            seen.append(read_head(log.head_path))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for i in range(300):
            log.record(TH, "search", {"text": f"busy {i}"}, 0)
    finally:
        done.set()
        reader.join()
    hashes = {n: hashlib.sha256(line).hexdigest() for n, line in enumerate(log.path.read_bytes().splitlines(), 1)}
    assert seen and all(hashes[h["seq"]] == h["hash"] for h in seen)
    assert [h["seq"] for h in seen] == sorted(h["seq"] for h in seen)


def test_audit_head_of_the_older_form_is_rewritten_as_a_record_once(tmp_path):
    log = _log(tmp_path, 2)
    head = json.loads(log.head_path.read_bytes())
    log.head_path.write_text(json.dumps({"seq": head["seq"], "hash": head["hash"], "size": head["size"]}))
    log.record(TH, "search", {"text": "next"}, 0)
    inode = log.head_path.stat().st_ino
    log.record(TH, "search", {"text": "and next"}, 0)
    assert len(log.head_path.read_bytes()) == HEAD_BYTES and log.head_path.stat().st_ino == inode
    assert verify_log(log.path).ok and verify_log(log.path).lines == 4


def test_audit_log_and_head_replaced_by_copies_are_appended_to_at_their_paths(tmp_path):
    log = _log(tmp_path)
    for path in (log.path, log.head_path):  # a copy renamed over each: new files at the same paths
        shutil.copy(path, path.with_name(path.name + ".copy"))
        os.replace(path.with_name(path.name + ".copy"), path)
    assert log.record(TH, "search", {"text": "after the copy"}, 0)["seq"] == 4
    assert verify_log(log.path).ok and verify_log(log.path).lines == 4


def test_audit_lock_file_replaced_while_kept_open_still_excludes_other_writers(tmp_path):
    log = _log(tmp_path, 1)
    lock_path = log.path.with_name(log.path.name + ".lock")
    lock_path.unlink()
    appended = threading.Event()
    writer = threading.Thread(target=lambda: (log.record(TH, "search", {"text": "waits"}, 0), appended.set()))
    with locked(log.path):  # another process's lock, on the new lock file
        writer.start()
        assert not appended.wait(0.3)
    writer.join(10)
    assert appended.is_set() and verify_log(log.path).lines == 2


def test_audit_tail_checks_of_an_operation_hash_nothing_they_met_before(tmp_path, monkeypatch):
    # issue 14: the check before and the append after each GraphQL operation met the same head
    # record and last line, and worked out their JSON and SHA-256 again each time
    log = _log(tmp_path)
    log.health()
    hashed: list[bytes] = []
    real = hashlib.sha256
    monkeypatch.setattr(hashlib, "sha256", lambda data=b"": hashed.append(bytes(data)) or real(data))
    assert log.health() is None
    log.record(TH, "search", {"text": "again"}, 0)
    assert log.health() is None
    written = log.path.read_bytes().rstrip(b"\n").rsplit(b"\n", 1)[1]
    assert hashed[0] == written and len(hashed) == 2  # the new line, then the new head's own check


def test_audit_tail_check_still_refuses_a_head_rewritten_after_it_was_read(tmp_path):
    log = _log(tmp_path)
    assert log.health() is None
    head = json.loads(log.head_path.read_bytes())
    log.head_path.write_bytes(head_record(head["seq"], "e" * 64, head["size"]))
    with pytest.raises(AuditFault):
        log.record(TH, "search", {"text": "after"}, 0)
