"""A small hash-chained audit log for the audit tests."""

from pathlib import Path

from graphapi.security.audit import AuditLog
from graphapi.security.principal import Principal

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))


def written_log(tmp_path: Path, lines: int) -> AuditLog:
    """A log at ``tmp_path/audit.jsonl`` holding ``lines`` searches by :data:`TH`."""
    log = AuditLog(tmp_path / "audit.jsonl")
    for i in range(lines):
        log.record(TH, "search", {"text": f"zhao {i}"}, i)
    return log
