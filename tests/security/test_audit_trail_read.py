"""Auditors read the trail: role gate, agency scope, filters, paging; the read is audited."""

import pytest

from graphapi.errors import Forbidden, InvalidArgument
from graphapi.security import Principal
from graphapi.security.audit import AuditLog
from graphapi.security.trail import read_trail

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
VN = Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"}))
TH_AUDITOR = Principal("aud-th", agency="TH-DSI", roles=frozenset({"auditor"}))
VN_AUDITOR = Principal("aud-vn", agency="VN-MPS", roles=frozenset({"auditor"}))
ADMIN = Principal("root", agency="LINTAS", roles=frozenset({"admin"}))


@pytest.fixture
def log(tmp_path) -> AuditLog:
    log = AuditLog(tmp_path / "audit.jsonl")
    log.record(TH, "search", {"text": "zhao"}, 2)
    log.record(VN, "entity", {"id": "x"}, 1)
    log.record(TH, "lookup", {"ids": ["phone:+84987654321"], "restricted": [["phone:+84987654321", "VN-MPS"]]},
               0, kind="hit")
    log.record(TH, "accessRequest.file", {"owner": "VN-MPS", "request": "r1"}, 1, kind="access")
    log.record(TH, "neighborhood", {"id": "y"}, 7)
    return log


def test_trail_needs_the_auditor_role(log):
    with pytest.raises(Forbidden):
        read_trail(log, TH)


def test_trail_auditor_sees_own_agency_and_what_concerns_its_data(log):
    th = [e["operation"] for e in read_trail(log, TH_AUDITOR).entries]
    assert th == ["search", "lookup", "accessRequest.file", "neighborhood"]
    vn = [e["operation"] for e in read_trail(log, VN_AUDITOR).entries]
    assert vn == ["entity", "lookup", "accessRequest.file"]
    assert len(read_trail(log, ADMIN).entries) == 5


def test_trail_filters_and_pages(log):
    page = read_trail(log, TH_AUDITOR, subject="analyst-th", first=2)
    assert [e["seq"] for e in page.entries] == [1, 3] and page.has_next and page.end_cursor == 3
    rest = read_trail(log, TH_AUDITOR, subject="analyst-th", first=2, after=page.end_cursor)
    assert [e["seq"] for e in rest.entries] == [4, 5] and not rest.has_next
    assert [e["seq"] for e in read_trail(log, ADMIN, kind="hit").entries] == [3]
    assert read_trail(log, ADMIN, since="2999-01-01").entries == []
    with pytest.raises(InvalidArgument):
        read_trail(log, ADMIN, first=0)


def test_trail_reading_is_audited(log):
    read_trail(log, TH_AUDITOR, kind="hit", audit=log)
    last = list(log.entries())[-1]
    assert last["kind"] == "audit" and last["subject"] == "aud-th" and last["arguments"]["kind"] == "hit"
