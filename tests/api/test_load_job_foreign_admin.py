"""An admin is bounded by its own agency for load jobs as everywhere else (attack round 38b, 7): an
admin of any agency read another agency's job, its list entry and its reject report, the raw rows of
a RED load (a victim's name and phone). Another agency's job id answers as an unknown id does."""

import pytest
from test_api_load_jobs import LOADER_TH, _as, _client, _error, _start, _wait

from graphapi.security.audit import AuditLog

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

HEADER = ("agency,case_no,case_title,opened,person_id,full_name,role,nationality,gender,birth_date,phone,"
          "compound_id,compound_name,compound_country,rescued,repatriated\n")
GOOD = ("TH-DSI,TH-DSI-2026-00001,Forced labour at Shwe Kokko,2026-01-01,P0000001,Somchai Suspect,suspect,TH,male,"
        "1980-01-01,,MM-SHWEKOKKO,Shwe Kokko,MM,,\n")
#: a victim's row with a date the loader rejects: it goes to the reject report verbatim
VICTIM_ROW = ("TH-DSI,TH-DSI-2026-00001,Forced labour at Shwe Kokko,2026-01-01,P0000002,Malee Victimname,victim,TH,"
              "female,1999-02-30,+66812345678,MM-SHWEKOKKO,Shwe Kokko,MM,2025-12-26,2026-01-23\n")
ADMIN_KH = _as("root-kh", "KH-NPA", "admin")
ADMIN_TH = _as("root-th", "TH-DSI", "admin")
UNKNOWN = "0123456789abcdef0123456789abcdef"

ONE_STORE = "who sees a job is the job directory's Python, the same on both stores"


def _red_cases_upload() -> dict:
    return {"data": {"kind": "csv", "mapping": "cases", "tlp": "RED"},
            "files": {"file": ("th-cases.csv", (HEADER + GOOD + VICTIM_ROW).encode(), "text/csv")}}


def _unnamed(response) -> tuple[int, str, str]:
    """The refusal with the job id asked for cut from its message."""
    status, code, message = _error(response)
    return status, code, message.split(" '")[0]


async def test_an_admin_of_another_agency_reads_no_reject_report_status_or_list_of_a_red_load(empty_store, tmp_path):
    async with _client(empty_store, tmp_path) as c:
        href = (await _start(c, LOADER_TH, _red_cases_upload())).json()["href"]
        await _wait(c, LOADER_TH, href)
        own = await c.get(f"{href}/rejects", headers=LOADER_TH)
        rejects = await c.get(f"{href}/rejects", headers=ADMIN_KH)
        status = await c.get(href, headers=ADMIN_KH)
        listed = await c.get("/loads", headers=ADMIN_KH)
    assert "Malee Victimname" in own.text
    assert _error(rejects) == (404, "NOT_FOUND", f"no load job {href.rsplit('/', 1)[1]!r}")
    assert _error(status)[:2] == (404, "NOT_FOUND")
    assert listed.json() == {"jobs": [], "nextHref": None}


@pytest.mark.one_store(ONE_STORE)
async def test_another_agencys_job_id_answers_an_admin_exactly_as_an_unknown_id(empty_store, tmp_path):
    async with _client(empty_store, tmp_path) as c:
        href = (await _start(c, LOADER_TH, _red_cases_upload())).json()["href"]
        await _wait(c, LOADER_TH, href)
        foreign = [await c.get(f"{href}{tail}", headers=ADMIN_KH) for tail in ("", "/rejects")]
        unknown = [await c.get(f"/loads/{UNKNOWN}{tail}", headers=ADMIN_KH) for tail in ("", "/rejects")]
    assert [_unnamed(r) for r in foreign] == [_unnamed(r) for r in unknown] == [
        (404, "NOT_FOUND", "no load job")] * 2
    assert [r.headers["content-type"] for r in foreign] == [r.headers["content-type"] for r in unknown]


@pytest.mark.one_store(ONE_STORE)
async def test_an_admin_of_the_jobs_own_agency_reads_its_reject_report(empty_store, tmp_path):
    async with _client(empty_store, tmp_path) as c:
        href = (await _start(c, LOADER_TH, _red_cases_upload())).json()["href"]
        await _wait(c, LOADER_TH, href)
        rejects = await c.get(f"{href}/rejects", headers=ADMIN_TH)
        listed = await c.get("/loads", headers=ADMIN_TH)
    assert rejects.status_code == 200 and "Malee Victimname" in rejects.text
    assert [j["href"] for j in listed.json()["jobs"]] == [href]


@pytest.mark.one_store(ONE_STORE)
async def test_a_foreign_admins_read_of_a_job_is_audited_as_a_refusal(empty_store, tmp_path):
    async with _client(empty_store, tmp_path) as c:
        href = (await _start(c, LOADER_TH, _red_cases_upload())).json()["href"]
        await _wait(c, LOADER_TH, href)
        await c.get(f"{href}/rejects", headers=ADMIN_KH)
    refusals = [e for e in AuditLog(tmp_path / "audit.jsonl").entries() if e["subject"] == "root-kh"]
    assert [(e["operation"], e["outcome"], e["agency"], e["arguments"]["job"]) for e in refusals] == [
        ("load.rejects", "error:NOT_FOUND", "KH-NPA", href.rsplit("/", 1)[1])]
