"""The audit log's folder is made (owner-only) when it is missing, and not looked at again on
every append once its lock file is there (issue 14: each GraphQL request takes the lock twice)."""

from __future__ import annotations

import shutil
import stat

import pytest

from graphapi.security import filelock
from graphapi.security.audit import AuditLog
from graphapi.security.audit_verify import verify_log
from graphapi.security.principal import DEMO_PRINCIPAL


def test_an_append_checks_the_folders_only_when_the_lock_file_is_missing(tmp_path, monkeypatch: pytest.MonkeyPatch):
    made: list[object] = []
    make = filelock.private_dir
    monkeypatch.setattr(filelock, "private_dir", lambda path: made.append(path) or make(path))
    log = AuditLog(tmp_path / "a" / "b" / "audit.jsonl")
    log.record(DEMO_PRINCIPAL, "first")
    assert made == [tmp_path / "a" / "b"]
    log.record(DEMO_PRINCIPAL, "second")
    assert log.health() is None
    assert made == [tmp_path / "a" / "b"]  # the lock file was there: no folder walk
    assert verify_log(log.path).ok and verify_log(log.path).lines == 2


def test_a_removed_audit_folder_is_made_again_owner_only_and_the_log_refuses_the_rewind(tmp_path):
    log = AuditLog(tmp_path / "logs" / "audit.jsonl")
    log.record(DEMO_PRINCIPAL, "first")
    shutil.rmtree(tmp_path / "logs")
    assert log.health() is not None  # log and head gone while we ran: a fault, as before
    assert stat.S_IMODE((tmp_path / "logs").stat().st_mode) == 0o700
