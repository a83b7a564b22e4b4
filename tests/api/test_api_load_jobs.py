"""File uploads as load jobs (``/loads``), end to end through ``create_app``: real JWTs through the
security gate, real files (the OFAC subset, a CDR feed with a bad row, a yente FtM file), polled
until done, with their summaries, reject reports, audit entries, and who may see what."""

import asyncio
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from in_process_loads import run_load_jobs_in_process
from pydantic import SecretStr

from graphapi.app import create_app
from graphapi.ingest.reference_data import reference_ids
from graphapi.security.audit import AuditLog
from graphapi.security.audit_verify import verify_log
from graphapi.security.tokens import mint_token
from graphapi.settings import Settings

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

#: A job's HTTP and access plumbing is the same Python on both stores; an upload of each kind (OFAC,
#: CSV, FtM, a replace, another agency's data, multi-line records) runs on Neo4j too.
JOB_PLUMBING = "job plumbing: each kind's upload runs on Neo4j in this module"

REPO = Path(__file__).resolve().parents[2]
#: ../shared/data's yente file, else the tests' copy of it (tests/data/ftm/README.md): never skipped
YENTE_T1 = next(p for d in (REPO.parent / "shared" / "data" / "ftm", REPO / "tests" / "data" / "ftm")
                if (p := d / "yente_t1_entities.ftm.json").exists())
SECRET = "load-jobs-secret-of-at-least-32-bytes!!"
OFAC = REPO / "seed" / "ofac"
CDR_HEADER = "record_id,caller,callee,start_time,duration_s,imei,cell_id,country\n"
CDR_GOOD = (
    "CDR-T-1,0828301908,+85510904499,2026-05-15 09:54:51,420,353994661493921,TH-CELL-0080,TH\n"
    "CDR-T-2,016318273,012825554,2026-04-20 19:27:56,1454,359019145063902,KH-CELL-0153,KH\n"
    "CDR-T-3,016318273,+66825927052,2026-02-14 19:01:49,539,359019145063902,KH-CELL-0023,KH\n"
)
CDR_BAD = "CDR-T-BAD,not a phone,+85510904499,2026-05-15 09:54:51,10,353994661493921,TH-CELL-0080,TH\n"
CDR = (CDR_HEADER + CDR_GOOD + CDR_BAD).encode()


def _settings(tmp_path: Path, **kw) -> Settings:
    return Settings(data_dir=tmp_path, jwt_secret=SecretStr(SECRET), rate_limit_per_minute=0, demo=False, **kw)


def _client(store, tmp_path: Path, **kw) -> httpx.AsyncClient:
    app = create_app(_settings(tmp_path, **kw), store=store)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lintas.test")


def _as(subject: str, agency: str | None, *roles: str) -> dict[str, str]:
    token = mint_token(subject, secret=SECRET, agency=agency, roles=roles)
    return {"Authorization": f"Bearer {token}"}


LOADER_TH = _as("feed-th", "TH-DSI", "loader")
ANALYST_TH = _as("ana-th", "TH-DSI", "analyst")
LOADER_VN = _as("feed-vn", "VN-MPS", "loader")
ADMIN_KH = _as("root-kh", "KH-NPA", "admin")


def _cdr_upload(data: bytes = CDR, name: str = "cdr-week-12.csv", **fields: str) -> dict:
    return {"data": {"kind": "csv", "mapping": "cdr", **fields}, "files": {"file": (name, data, "text/csv")}}


async def _start(client: httpx.AsyncClient, headers: dict[str, str], upload: dict) -> httpx.Response:
    return await client.post("/loads", headers=headers, **upload)


#: Polls before a job counts as hung (0.05 s apart: 5 min). A hang guard only: the OFAC upload
#: took 117 s on Neo4j under a load average of 25, past the 60 s this was.
HANG_POLLS = 6000


async def _wait(client: httpx.AsyncClient, headers: dict[str, str], href: str) -> dict:
    for _ in range(HANG_POLLS):
        response = await client.get(href, headers=headers)
        assert response.status_code == 200, response.text
        job = response.json()
        if job["state"] in ("done", "failed"):
            return job
        await asyncio.sleep(0.05)
    raise AssertionError(f"load job {href} did not finish")


def _error(response: httpx.Response) -> tuple[int, str, str]:
    err = response.json()["errors"][0]
    assert err["extensions"]["requestId"] == response.headers["x-request-id"]
    return response.status_code, err["extensions"]["code"], err["message"]


def left_behind(uploads: Path) -> list[str]:
    """What an upload left under ``uploads``: job directories and index entries (the index's folders may stay)."""
    return sorted(str(p.relative_to(uploads)) for p in uploads.rglob("*")
                  if p.is_file() or (p.parent == uploads and p.name != ".agencies"))


@pytest.fixture(autouse=True)
def _jobs_in_process(monkeypatch) -> None:
    """Each test's jobs run their child in this process (tests/in_process_loads.py): what these
    tests check is the job over HTTP; ``cdr_job``'s job, a module fixture set up before this one,
    is a real process of its own, as every job of the API is."""
    run_load_jobs_in_process(monkeypatch)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def cdr_job(store, tmp_path_factory) -> tuple[Path, dict]:
    """TH-DSI's loader's upload of ``CDR`` (three good rows, one bad), finished: its data directory
    and its 202 body. The tests of who sees a finished job look at this one job, each through an app
    of its own on the directory (as another API worker would): a job is a Python process of its own,
    seconds each, and theirs were all this same upload. None of them adds a job or a file to it."""
    data_dir = tmp_path_factory.mktemp("cdr-job")
    async with _client(store, data_dir) as c:
        started = await _start(c, LOADER_TH, _cdr_upload())
        job = await _wait(c, LOADER_TH, started.json()["href"])
    assert (started.status_code, job["state"]) == (202, "done")
    return data_dir, started.json()


async def test_ofac_upload_is_accepted_with_202_and_polled_until_done(backend_empty_store, tmp_path):
    async with _client(backend_empty_store, tmp_path) as c:
        started = await _start(c, LOADER_TH, {"data": {"kind": "ofac"}, "files": {
            "sdn": ("sdn.csv", (OFAC / "sdn_sea_scam_subset.csv").read_bytes(), "text/csv"),
            "add": ("add.csv", (OFAC / "add_sea_scam_subset.csv").read_bytes(), "text/csv")}})
        assert started.status_code == 202
        body = started.json()
        assert set(body) == {"id", "state", "href"} and len(body["id"]) == 32
        assert body["href"] == f"/loads/{body['id']}" and started.headers["location"] == body["href"]
        job = await _wait(c, LOADER_TH, body["href"])
    assert job["state"] == "done" and job["error"] is None
    assert (job["kind"], job["owner"], job["createdBy"], job["tlp"]) == ("ofac", "TH-DSI", "feed-th", "AMBER")
    assert job["files"] == ["sdn.csv", "add.csv"] and job["rows"] == 343
    summary = job["summary"]
    assert (summary["rows_read"], summary["rows_loaded"], summary["rows_rejected"]) == (343, 343, 0)
    assert summary["unresolved"] == 1  # one Linked To target with no row of its own
    assert summary["nodes_created"] == summary["nodes_written"] > 207  # 207 SDN entries, plus wallets, addresses...
    assert summary["reject_report"] == f"{job['href']}/rejects"
    rows = await backend_empty_store.read("entity/by_ids", {"ids": ["ofac-55505"], "agency": "TH-DSI"})
    props = rows[0]["node"]["properties"]
    assert (props["owner"], props["tlp"]) == ("TH-DSI", "AMBER")


async def test_csv_upload_reports_its_rejected_row_as_json_lines(backend_empty_store, tmp_path):
    async with _client(backend_empty_store, tmp_path) as c:
        started = await _start(c, LOADER_TH, _cdr_upload(tlp="green", sharedWith="VN-MPS, KH-NPA"))
        job = await _wait(c, LOADER_TH, started.json()["href"])
        rejects = await c.get(f"{job['href']}/rejects", headers=LOADER_TH)
    summary = job["summary"]
    assert (summary["source"], summary["rows_read"], summary["rows_loaded"], summary["rows_rejected"]) == (
        "partner-telco-cdr@TH-DSI", 4, 3, 1)  # the agency's own source
    # 3 CALLED, and USES_DEVICE twice: rows 2 and 3 are one caller on one handset
    assert (summary["relationships_written"], summary["relationships_created"]) == (5, 5)
    assert (job["mapping"], job["tlp"], job["sharedWith"]) == ("cdr", "GREEN", ["VN-MPS", "KH-NPA"])
    assert rejects.status_code == 200 and rejects.headers["content-type"] == "application/x-ndjson"
    [line] = [httpx.Response(200, content=raw).json() for raw in rejects.content.splitlines()]
    assert (line["file"], line["line"]) == ("cdr-week-12.csv", 5)
    assert line["reason"] == ("caller (Phone): Phone needs key property 'number': column 'caller' value 'not a phone' "
                              "is no phone")
    assert line["raw"]["record_id"] == "CDR-T-BAD" and line["raw"]["caller"] == "not a phone"


async def test_ftm_upload_loads_a_yente_file_and_counts_its_dangling_references(empty_store, tmp_path):
    path = YENTE_T1
    async with _client(empty_store, tmp_path) as c:
        started = await _start(c, LOADER_TH, {"data": {"kind": "ftm"},
                                              "files": {"file": (path.name, path.read_bytes())}})
        job = await _wait(c, LOADER_TH, started.json()["href"])
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    assert job["state"] == "done"
    assert job["summary"]["rows_read"] == len(lines)
    assert job["summary"]["rows_loaded"] + job["summary"]["rows_rejected"] == len(lines)
    assert job["summary"]["nodes_written"] > 0


FTM_CALL = (b'{"id": "call-1", "schema": "Call", "properties": {"callerNumber": ["+66812345678"], '
            b'"receiverNumber": ["+85510904499"], "startDate": ["2024-03-01T10:15:00"]}}\n')


@pytest.mark.one_store(JOB_PLUMBING)
async def test_an_ftm_upload_reads_times_without_an_offset_in_its_tz_and_records_the_zone(empty_store, tmp_path):
    async with _client(empty_store, tmp_path) as c:
        started = await _start(c, LOADER_TH, {"data": {"kind": "ftm", "tz": "Asia/Bangkok"},
                                              "files": {"file": ("calls.ftm.json", FTM_CALL)}})
        job = await _wait(c, LOADER_TH, started.json()["href"])
    assert (job["state"], job["tz"], job["summary"]["relationships_written"]) == ("done", "Asia/Bangkok", 1)
    caller, receiver = "phone:+66812345678", "phone:+85510904499"
    [link] = await empty_store.read("ingest/links_between", {"a": caller, "b": receiver})
    [row] = await empty_store.read("analytics/relationships_by_ids", {
        "rels": [{"id": link["id"], "start": caller, "end": receiver}], "agency": "TH-DSI"})
    properties = row["rel"]["properties"]
    assert (properties["at"], properties["assumedTimeZone"]) == ("2024-03-01T03:15:00", "Asia/Bangkok")


@pytest.mark.one_store(JOB_PLUMBING)
async def test_dry_run_upload_counts_without_writing(empty_store, tmp_path):
    async with _client(empty_store, tmp_path) as c:
        started = await _start(c, LOADER_TH, _cdr_upload(dryRun="true"))
        job = await _wait(c, LOADER_TH, started.json()["href"])
    assert job["dryRun"] is True and job["summary"]["dry_run"] is True
    # distinct relationship ids, as a real run counts them: 3 CALLED + 2 USES_DEVICE (one repeats)
    assert (job["summary"]["rows_loaded"], job["summary"]["relationships_read"]) == (3, 5)
    assert job["summary"]["relationships_written"] is None  # a dry run writes nothing and asks the store nothing
    assert await empty_store.read("entity/by_ids", {"ids": ["phone:+66828301908"], "agency": "TH-DSI"}) == []


async def test_a_csv_upload_of_multi_line_records_names_their_lines_in_its_summary(
        backend_empty_store, tmp_path, monkeypatch):
    # a deployment's mapping for an export with line breaks inside quoted fields (csv_spans)
    folder = tmp_path / "deployment-mappings"
    folder.mkdir()
    text = (REPO / "seed" / "mappings" / "cdr.yaml").read_text(encoding="utf-8")
    (folder / "cdr-notes.yaml").write_text(text.replace("name: cdr\n", "name: cdr-notes\n").replace(
        "csv: {records: single-line}", "csv: {records: multi-line}"), encoding="utf-8")
    monkeypatch.setenv("LINTAS_MAPPINGS", str(folder))
    note = CDR_GOOD.replace("TH-CELL-0080", '"TH-CELL-0080\nsector A"').encode()
    async with _client(backend_empty_store, tmp_path) as c:
        started = await _start(c, LOADER_TH, _cdr_upload(CDR_HEADER.encode() + note, mapping="cdr-notes"))
        job = await _wait(c, LOADER_TH, started.json()["href"])
    summary = job["summary"]
    assert (job["state"], summary["rows_read"], summary["rows_loaded"], summary["warnings"]) == ("done", 3, 3, 1)
    assert summary["file_warnings"] == [{"file": "cdr-week-12.csv", "line": 2, "reason": (
        "1 record(s) span more than one line (csv: records: multi-line: a quoted field holds a line break): lines "
        "2..3. Check each is one record: a quote left open joins the lines after it into its record")}]


@pytest.mark.one_store(JOB_PLUMBING)
async def test_uploaded_files_are_deleted_when_the_load_ends_and_the_reject_report_stays(cdr_job):
    data_dir, started = cdr_job
    job_dir = data_dir / "uploads" / started["id"]
    assert not (job_dir / "files").exists()
    # its end is audited (no starter file left); its status stays for the other workers' polls
    assert sorted(p.name for p in job_dir.iterdir()) == ["job.json", "rejects.jsonl", "worker.pid"]


@pytest.mark.one_store(JOB_PLUMBING)
async def test_anonymous_upload_is_refused_with_401_and_nothing_is_stored(empty_store, tmp_path):
    async with _client(empty_store, tmp_path) as c:
        response = await _start(c, {}, _cdr_upload())
        listing = await c.get("/loads")
    assert _error(response)[:2] == (401, "UNAUTHENTICATED")
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert listing.status_code == 401
    assert not (tmp_path / "uploads").exists()


@pytest.mark.one_store(JOB_PLUMBING)
async def test_analyst_without_the_loader_role_may_not_start_a_load_403(empty_store, tmp_path):
    async with _client(empty_store, tmp_path) as c:
        response = await _start(c, ANALYST_TH, _cdr_upload())
    assert _error(response) == (403, "FORBIDDEN", "load jobs need the loader or admin role")


@pytest.mark.one_store(JOB_PLUMBING)
async def test_an_analyst_of_the_agency_sees_its_jobs_status_and_list(store, cdr_job):
    data_dir, started = cdr_job
    async with _client(store, data_dir) as c:
        status = await c.get(started["href"], headers=ANALYST_TH)
        listing = await c.get("/loads", headers=ANALYST_TH)
    assert status.status_code == 200
    job = status.json()
    assert (job["id"], job["owner"], job["state"], job["rows"], job["rejected"]) == (
        started["id"], "TH-DSI", "done", 4, 1)
    assert [j["id"] for j in listing.json()["jobs"]] == [started["id"]]


@pytest.mark.one_store(JOB_PLUMBING)
async def test_a_supervisor_of_the_agency_sees_its_jobs_status(store, cdr_job):
    data_dir, started = cdr_job
    async with _client(store, data_dir) as c:
        status = await c.get(started["href"], headers=_as("sup-th", "TH-DSI", "supervisor"))
    assert status.status_code == 200 and status.json()["state"] == "done"


@pytest.mark.one_store(JOB_PLUMBING)
async def test_an_analyst_may_not_read_a_reject_report_which_holds_raw_rows_403_audited(store, cdr_job):
    data_dir, started = cdr_job
    async with _client(store, data_dir) as c:
        rejects = await c.get(f"{started['href']}/rejects", headers=ANALYST_TH)
    assert _error(rejects) == (403, "FORBIDDEN", "a reject report holds raw rows: it needs the loader or admin role")
    assert "CDR-T-BAD" not in rejects.text
    # the job's audit log is shared with the other viewers' tests: this analyst's denials are this test's
    [denied] = [e for e in AuditLog(data_dir / "audit.jsonl").entries()
                if e["outcome"] == "denied" and e["subject"] == "ana-th"]
    assert (denied["operation"], denied["subject"], denied["arguments"]) == (
        "load.rejects", "ana-th", {"job": started["id"]})


@pytest.mark.one_store(JOB_PLUMBING)
async def test_an_analyst_of_another_agency_gets_404_for_a_job_as_if_it_did_not_exist(store, cdr_job):
    data_dir, started = cdr_job
    async with _client(store, data_dir) as c:
        status = await c.get(started["href"], headers=_as("ana-vn", "VN-MPS", "analyst"))
        listing = await c.get("/loads", headers=_as("ana-vn", "VN-MPS", "analyst"))
    assert _error(status) == (404, "NOT_FOUND", f"no load job {started['id']!r}")
    assert listing.json() == {"jobs": [], "nextHref": None}


@pytest.mark.one_store(JOB_PLUMBING)
async def test_a_principal_with_no_load_role_may_not_see_jobs_403(empty_store, tmp_path):
    async with _client(empty_store, tmp_path) as c:
        started = await _start(c, LOADER_TH, _cdr_upload())
        status = await c.get(started.json()["href"], headers=_as("aud-th", "TH-DSI", "auditor"))
        listing = await c.get("/loads", headers=_as("aud-th", "TH-DSI", "auditor"))
        await _wait(c, LOADER_TH, started.json()["href"])
    expected = (403, "FORBIDDEN", "load jobs are seen by the loader, admin, analyst or supervisor role")
    assert _error(status) == expected and _error(listing) == expected


@pytest.mark.one_store(JOB_PLUMBING)
async def test_loader_without_an_agency_is_refused_with_403(empty_store, tmp_path):
    async with _client(empty_store, tmp_path) as c:
        response = await _start(c, _as("feed-x", None, "loader"), _cdr_upload())
    assert _error(response)[:2] == (403, "FORBIDDEN")


@pytest.mark.one_store(JOB_PLUMBING)
async def test_another_agencys_job_is_404_as_if_it_did_not_exist_for_its_admins_too(store, cdr_job):
    data_dir, started = cdr_job
    href = started["href"]
    async with _client(store, data_dir) as c:
        other = await c.get(href, headers=LOADER_VN)
        other_rejects = await c.get(f"{href}/rejects", headers=LOADER_VN)
        missing = await c.get("/loads/0123456789abcdef0123456789abcdef", headers=LOADER_VN)
        vn_list = await c.get("/loads", headers=LOADER_VN)
        th_list = await c.get("/loads", headers=LOADER_TH)
        admin = await c.get(href, headers=ADMIN_KH)
        admin_list = await c.get("/loads", headers=ADMIN_KH)
    assert _error(other)[:2] == (404, "NOT_FOUND") and _error(other_rejects)[:2] == (404, "NOT_FOUND")
    assert _error(missing)[:2] == (404, "NOT_FOUND")
    assert vn_list.json() == {"jobs": [], "nextHref": None}
    assert [j["id"] for j in th_list.json()["jobs"]] == [started["id"]]
    assert _error(admin)[:2] == (404, "NOT_FOUND")  # an admin is bounded by its agency (round 38b, 7)
    assert admin_list.json() == {"jobs": [], "nextHref": None}


@pytest.mark.one_store(JOB_PLUMBING)
async def test_upload_tlp_is_read_in_any_case_and_stored_as_its_canonical_name(empty_store, tmp_path):
    async with _client(empty_store, tmp_path) as c:
        started = await _start(c, LOADER_TH, _cdr_upload(tlp="amber+strict"))
        job = await _wait(c, LOADER_TH, started.json()["href"])
    assert (job["state"], job["tlp"]) == ("done", "AMBER+STRICT")
    rows = await empty_store.read("entity/by_ids", {"ids": ["phone:+66828301908"], "agency": "TH-DSI"})
    assert rows[0]["node"]["properties"]["tlp"] == "AMBER+STRICT"


@pytest.mark.one_store(JOB_PLUMBING)
async def test_audit_log_records_the_start_and_the_end_of_a_job(empty_store, tmp_path):
    async with _client(empty_store, tmp_path) as c:
        started = await _start(c, {**LOADER_TH, "X-Request-ID": "upload-1"}, _cdr_upload())
        await _wait(c, LOADER_TH, started.json()["href"])
        await _start(c, ANALYST_TH, _cdr_upload())
    log = AuditLog(tmp_path / "audit.jsonl")
    loads = [e for e in log.entries() if e["kind"] == "load"]
    start, end, denied = loads
    job_id = started.json()["id"]
    assert (start["operation"], start["outcome"], start["subject"], start["agency"], start["requestId"]) == (
        "load.start", "ok", "feed-th", "TH-DSI", "upload-1")
    assert start["arguments"] == {"job": job_id, "kind": "csv", "mapping": "cdr", "files": ["cdr-week-12.csv"],
                                  "bytes": len(CDR), "tlp": "AMBER", "sharedWith": [], "dryRun": False,
                                  "replace": False, "tz": None, "source": None}
    assert (end["operation"], end["outcome"], end["subject"], end["requestId"], end["resultSize"]) == (
        "load.done", "ok", "feed-th", "upload-1", 3)
    assert {k: end["arguments"][k] for k in ("job", "rowsRead", "rowsLoaded", "rowsRejected")} == {
        "job": job_id, "rowsRead": 4, "rowsLoaded": 3, "rowsRejected": 1}
    assert (denied["operation"], denied["outcome"], denied["subject"]) == ("load.start", "denied", "ana-th")
    assert verify_log(log.path).ok


@pytest.mark.one_store(JOB_PLUMBING)
async def test_an_upload_naming_a_deployment_mapping_it_cannot_read_is_a_400_audited_only_as_refused(
        empty_store, tmp_path, monkeypatch):
    # attack round 16, M4c: a 500 for YAML nested too deep, and every refused start audited "ok" first
    folder = tmp_path / "deployment-mappings"
    folder.mkdir()
    (folder / "deep.yaml").write_text("[" * 20_000 + "]" * 20_000 + "\n", encoding="utf-8")
    monkeypatch.setenv("LINTAS_MAPPINGS", str(folder))
    async with _client(empty_store, tmp_path) as c:
        response = await _start(c, LOADER_TH, _cdr_upload(mapping="deep"))
    assert _error(response) == (400, "BAD_USER_INPUT", "mapping 'deep' is no readable mapping file (RecursionError); "
                                                       "the server's log says more")
    starts = [e["outcome"] for e in AuditLog(tmp_path / "audit.jsonl").entries() if e["operation"] == "load.start"]
    assert starts == ["error:BAD_USER_INPUT"]

@pytest.mark.one_store(JOB_PLUMBING)
async def test_failed_load_is_polled_as_failed_with_a_reason_and_audited(empty_store, tmp_path):
    async with _client(empty_store, tmp_path) as c:
        started = await _start(c, LOADER_TH, _cdr_upload(data=b"\xff\xfe\x00binary"))
        job = await _wait(c, LOADER_TH, started.json()["href"])
    assert (job["state"], job["error"], job["summary"]) == ("failed", "a file is not UTF-8 text", None)
    end = [e for e in AuditLog(tmp_path / "audit.jsonl").entries() if e["kind"] == "load"][-1]
    assert (end["operation"], end["outcome"], end["arguments"]["error"]) == (
        "load.failed", "error", "a file is not UTF-8 text")


async def test_a_jobs_rejected_count_is_its_summarys_with_the_rows_refused_for_another_agencys_data(
        empty_store, tmp_path):
    good = (CDR_HEADER + CDR_GOOD).encode()
    async with _client(empty_store, tmp_path) as c:
        first = await _start(c, LOADER_VN, _cdr_upload(good, tlp="RED"))
        await _wait(c, LOADER_VN, first.json()["href"])
        again = await _start(c, LOADER_TH, _cdr_upload(good))
        job = await _wait(c, LOADER_TH, again.json()["href"])
    summary = job["summary"]
    assert (summary["rows_read"], summary["rows_rejected"]) == (3, 2)  # refused by the writer, not the reader
    assert (job["rows"], job["rejected"]) == (3, 2)


async def test_a_job_whose_every_row_met_hidden_data_says_why_it_failed() -> None:
    from graphapi.ingest.load_jobs import LoadJobs, _why_all_rejected
    from graphapi.ingest.load_summary import LoadSummary

    summary = LoadSummary(source="cdr@TH-DSI", rows_read=3, rows_rejected=3, restricted=7)
    assert LoadJobs.ALL_REJECTED + _why_all_rejected(summary) == (
        "every row read was rejected; nothing loaded (7 record(s) named items your agency may not see or not merge "
        "into, e.g. another agency's; the reject report says which)")
    assert _why_all_rejected(LoadSummary(source="cdr@TH-DSI", rows_read=1, rows_rejected=1)) == ""


@pytest.mark.one_store(JOB_PLUMBING)
async def test_load_whose_every_row_is_rejected_ends_failed_and_is_audited_as_failed(empty_store, tmp_path):
    async with _client(empty_store, tmp_path) as c:
        started = await _start(c, LOADER_TH, _cdr_upload(data=(CDR_HEADER + CDR_BAD).encode()))
        job = await _wait(c, LOADER_TH, started.json()["href"])
        rejects = await c.get(f"{job['href']}/rejects", headers=LOADER_TH)
    assert (job["state"], job["error"]) == ("failed", "every row read was rejected; nothing loaded")
    summary = job["summary"]
    assert (summary["rows_read"], summary["rows_loaded"], summary["rows_rejected"]) == (1, 0, 1)
    [line] = [httpx.Response(200, content=raw).json() for raw in rejects.content.splitlines()]
    assert (line["line"], line["raw"]["record_id"]) == (2, "CDR-T-BAD")
    end = [e for e in AuditLog(tmp_path / "audit.jsonl").entries() if e["kind"] == "load"][-1]
    assert (end["operation"], end["outcome"], end["arguments"]["error"]) == (
        "load.failed", "error", "every row read was rejected; nothing loaded")
    assert (end["arguments"]["rowsRead"], end["arguments"]["rowsLoaded"]) == (1, 0)


@pytest.mark.one_store(JOB_PLUMBING)
async def test_dry_run_whose_every_row_is_rejected_ends_failed_like_the_cli(empty_store, tmp_path):
    async with _client(empty_store, tmp_path) as c:
        started = await _start(c, LOADER_TH, _cdr_upload(data=(CDR_HEADER + CDR_BAD).encode(), dryRun="true"))
        job = await _wait(c, LOADER_TH, started.json()["href"])
    assert (job["state"], job["error"], job["dryRun"]) == ("failed", "every row read was rejected; nothing loaded",
                                                           True)
    assert (job["summary"]["rows_read"], job["summary"]["rows_rejected"]) == (1, 1)


@pytest.mark.one_store(JOB_PLUMBING)
async def test_load_of_a_header_only_file_reads_no_rows_and_ends_done(empty_store, tmp_path):
    async with _client(empty_store, tmp_path) as c:
        started = await _start(c, LOADER_TH, _cdr_upload(data=CDR_HEADER.encode()))
        job = await _wait(c, LOADER_TH, started.json()["href"])
    assert (job["state"], job["error"], job["summary"]["rows_read"]) == ("done", None, 0)


@pytest.mark.one_store(JOB_PLUMBING)
async def test_upload_declared_over_the_upload_limit_is_refused_with_413(empty_store, tmp_path):
    async with _client(empty_store, tmp_path, max_upload_bytes=2_048) as c:
        response = await _start(c, LOADER_TH, _cdr_upload(data=CDR_HEADER.encode() + CDR_GOOD.encode() * 30))
    assert _error(response)[:2] == (413, "PAYLOAD_TOO_LARGE")
    assert not (tmp_path / "uploads").exists()


@pytest.mark.one_store(JOB_PLUMBING)
async def test_streamed_upload_growing_past_the_limit_is_refused_with_413_and_removed(empty_store, tmp_path):
    boundary = "lintas-test-boundary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\ncsv\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.csv\"\r\n\r\n").encode()

    async def body():  # chunked: no Content-Length for the gate to check up front
        yield head
        for _ in range(40):
            yield CDR_GOOD.encode()

    async with _client(empty_store, tmp_path, max_upload_bytes=4_096) as c:
        response = await c.post("/loads", content=body(), headers={
            **LOADER_TH, "Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert _error(response)[:2] == (413, "PAYLOAD_TOO_LARGE")
    assert left_behind(tmp_path / "uploads") == []
    denied = [e for e in AuditLog(tmp_path / "audit.jsonl").entries() if e["outcome"] == "denied"]
    assert [(e["subject"], e["arguments"]["reason"]) for e in denied] == [("feed-th", "PAYLOAD_TOO_LARGE")]


@pytest.mark.one_store(JOB_PLUMBING)
async def test_uploads_get_the_upload_limit_not_the_graphql_body_limit(empty_store, tmp_path):
    data = CDR_HEADER.encode() + CDR_GOOD.encode() * 20  # ~5 KB, over a 1 KiB GraphQL body limit
    async with _client(empty_store, tmp_path, max_body_bytes=1_024) as c:
        started = await _start(c, LOADER_TH, _cdr_upload(data=data))
        job = await _wait(c, LOADER_TH, started.json()["href"])
    assert started.status_code == 202 and job["summary"]["rows_read"] == 60


@pytest.mark.one_store(JOB_PLUMBING)
async def test_a_partner_layout_shipped_with_lintas_uploads_by_the_name_the_cli_takes(empty_store, tmp_path):
    # an immigration bureau's TM-style crossings export, through seed/mappings/partners/crossings-tm
    sample = (REPO / "seed" / "samples" / "crossings-tm.synthetic.csv").read_bytes()
    upload = {"data": {"kind": "csv", "mapping": "partners/crossings-tm"},
              "files": {"file": ("tm-week-21.csv", sample, "text/csv")}}
    async with _client(empty_store, tmp_path) as c:
        started = await _start(c, LOADER_TH, upload)
        job = await _wait(c, LOADER_TH, started.json()["href"])
    assert (started.status_code, job["state"]) == (202, "done")
    assert (job["summary"]["rows_read"], job["summary"]["rows_rejected"]) == (400, 0)


@pytest.mark.parametrize(("upload", "message"), [
    ({"data": {"kind": "xlsx"}, "files": {"file": ("a.csv", CDR)}},
     "kind must be one of ofac, ftm, csv; got 'xlsx'"),
    ({"data": {"kind": "csv"}, "files": {"file": ("a.csv", CDR)}},
     "kind csv needs a mapping: one of cases, cdr, crossings, transfers, partners/cases-tp, "
     "partners/cdr-kh, partners/crossings-tm, partners/transfers-fiu"),
    ({"data": {"kind": "csv", "mapping": "telecom_cdr"}, "files": {"file": ("a.csv", CDR)}},
     "unknown mapping 'telecom_cdr'; one of cases, cdr, crossings, transfers, partners/cases-tp, "
     "partners/cdr-kh, partners/crossings-tm, partners/transfers-fiu"),
    ({"data": {"kind": "csv", "mapping": "../../seed/mappings/cdr"}, "files": {"file": ("a.csv", CDR)}},
     "unknown mapping '../../seed/mappings/cdr'; one of cases, cdr, crossings, transfers, partners/cases-tp, "
     "partners/cdr-kh, partners/crossings-tm, partners/transfers-fiu"),
    ({"files": {"kind": (None, "csv"), "mapping": (None, "cdr")}},  # multipart, without a file part
     "kind csv needs at least one file part named 'file'"),
    ({"data": {"kind": "ofac"}, "files": {"add": ("add.csv", b"x")}},
     "kind ofac needs an sdn file part (OFAC sdn.csv); add and alt are optional"),
    ({"data": {"kind": "ftm", "mapping": "cdr"}, "files": {"file": ("a.json", b"{}")}},
     "mapping is only for kind csv"),
    ({"data": {"kind": "csv", "mapping": "cdr", "tlp": "PURPLE"}, "files": {"file": ("a.csv", CDR)}},
     "tlp must be one of CLEAR, GREEN, AMBER, AMBER+STRICT, RED; got 'PURPLE'"),
    ({"data": {"kind": "csv", "mapping": "cdr", "sharedWith": "VN-MPS, <x>"}, "files": {"file": ("a.csv", CDR)}},
     "sharedWith: '<x>' is not an agency id (1-64 of A-Z a-z 0-9 . _ -, starting with a letter or digit)"),
    ({"data": {"kind": "csv", "mapping": "cdr", "dry_run": "true"}, "files": {"file": ("a.csv", CDR)}},
     "unknown form field(s) ['dry_run']; fields: kind, mapping, tlp, sharedWith, dryRun, replace, tz, source"),
    ({"data": {"kind": "ftm", "tz": "Mars/Base"}, "files": {"file": ("a.json", b"{}")}},
     "tz: unknown time zone 'Mars/Base' (an IANA zone such as Asia/Bangkok)"),
    ({"data": {"kind": "csv", "mapping": "cdr", "tz": "Asia/Bangkok"}, "files": {"file": ("a.csv", CDR)}},
     "tz is only for kind ftm (a mapping states its own time zone)"),
    ({"data": {"kind": "csv", "mapping": "cdr", "replace": "always"}, "files": {"file": ("a.csv", CDR)}},
     "replace must be true or false; got 'always'"),
    ({"data": {"kind": "ftm", "source": "kh@cdr"}, "files": {"file": ("a.json", b"{}")}},
     "source: 'kh@cdr' is not a source id (1-64 of A-Z a-z 0-9 . _ -, starting with a letter or digit)"),
])
@pytest.mark.one_store(JOB_PLUMBING)
async def test_bad_upload_is_a_400_bad_user_input_naming_the_problem(empty_store, tmp_path, upload, message):
    async with _client(empty_store, tmp_path) as c:
        response = await _start(c, LOADER_TH, upload)
    assert _error(response) == (400, "BAD_USER_INPUT", message)
    assert left_behind(tmp_path / "uploads") == []


async def test_a_replace_upload_retracts_what_the_agencys_last_load_of_the_source_asserted_and_this_one_not(
        empty_store, tmp_path):
    async with _client(empty_store, tmp_path) as c:
        first = await _start(c, LOADER_TH, _cdr_upload(CDR_HEADER.encode() + CDR_GOOD.encode(), source="th-cdr"))
        await _wait(c, LOADER_TH, first.json()["href"])
        kept = CDR_HEADER + CDR_GOOD.splitlines(keepends=True)[0]
        again = await _start(c, LOADER_TH, _cdr_upload(kept.encode(), replace="true", source="th-cdr"))
        job = await _wait(c, LOADER_TH, again.json()["href"])
    assert (job["state"], job["replace"], job["summary"]["replace_skipped"]) == ("done", True, None)
    # CDR-T-2 and CDR-T-3: their two calls, the KH caller's device use, three phones and the device
    assert (job["summary"]["relationships_deleted"], job["summary"]["nodes_deleted"]) == (3, 4)
    [counts] = await empty_store.read("ingest/count_graph")
    reference = len(set(reference_ids()))  # the gazetteers' nodes, loaded before a job writes (R1d)
    assert (counts["nodes"] - reference, counts["relationships"]) == (3, 2)  # CDR-T-1's phones and device, call, use


@pytest.mark.one_store(JOB_PLUMBING)
async def test_a_load_job_loads_the_gazetteers_reference_data_before_it_writes(empty_store, tmp_path):
    # attack round 16, R1d: the API's start may not have loaded them (a lease held past its wait)
    async with _client(empty_store, tmp_path) as c:
        first = await _start(c, LOADER_TH, _cdr_upload(CDR_HEADER.encode() + CDR_GOOD.encode(), source="th-cdr"))
        assert (await _wait(c, LOADER_TH, first.json()["href"]))["state"] == "done"
    found = await empty_store.read("ingest/existing_nodes", {"ids": ["bank-th-ktb", "bcp-th-mm-mae-sot"]})
    assert sorted((r["id"], r["props"]["owner"], r["props"]["tlp"]) for r in found) == [
        ("bank-th-ktb", "public", "CLEAR"), ("bcp-th-mm-mae-sot", "public", "CLEAR")]

@pytest.mark.one_store(JOB_PLUMBING)
async def test_a_replace_upload_leaves_the_agencys_uploads_of_another_source_as_they_were(empty_store, tmp_path):
    async with _client(empty_store, tmp_path) as c:
        other = await _start(c, LOADER_TH, _cdr_upload(CDR_HEADER.encode() + CDR_GOOD.encode(), source="th-cdr-a"))
        await _wait(c, LOADER_TH, other.json()["href"])
        [before] = await empty_store.read("ingest/count_graph")
        kept = CDR_HEADER + CDR_GOOD.splitlines(keepends=True)[0]
        again = await _start(c, LOADER_TH, _cdr_upload(kept.encode(), replace="true", source="th-cdr-b"))
        job = await _wait(c, LOADER_TH, again.json()["href"])
    assert (job["state"], job["summary"]["relationships_deleted"], job["summary"]["nodes_deleted"]) == ("done", 0, 0)
    [after] = await empty_store.read("ingest/count_graph")
    assert (after["nodes"], after["relationships"]) == (before["nodes"], before["relationships"])


@pytest.mark.one_store(JOB_PLUMBING)
async def test_json_body_instead_of_multipart_is_a_400(empty_store, tmp_path):
    async with _client(empty_store, tmp_path) as c:
        response = await c.post("/loads", headers=LOADER_TH, json=[{"kind": "csv"}])
    assert _error(response) == (400, "BAD_USER_INPUT", "send the files as multipart/form-data")


async def test_upload_directories_of_a_worker_that_is_gone_are_swept_and_live_ones_kept(tmp_path):
    import subprocess

    from graphapi.ingest.load_sweep import OWNER_FILE, sweep_orphaned_uploads
    from graphapi.ingest.worker_identity import worker_identity

    dead_pid = subprocess.Popen(["true"])
    dead_pid.wait()
    uploads = tmp_path / "uploads"
    for name, worker in (("job-dead", str(dead_pid.pid)), ("job-mine", worker_identity()), ("job-unowned", None)):
        (uploads / name / "files").mkdir(parents=True)
        (uploads / name / "rejects.jsonl").write_text('{"raw": "a victim\'s name"}\n')
        if worker is not None:
            (uploads / name / OWNER_FILE).write_text(worker)
    assert sorted(sweep_orphaned_uploads(uploads)) == ["job-dead", "job-unowned"]
    assert sorted(p.name for p in uploads.iterdir()) == ["job-mine"]


async def test_a_job_its_worker_abandoned_is_audited_as_failed_for_whoever_started_it(tmp_path):
    # new-user trial 6: after a kill -9 of the API mid-load the audit log held a load.start with no end
    import subprocess

    from graphapi.ingest.load_sweep import OWNER_FILE, STARTER_FILE, sweep_orphaned_uploads

    gone = subprocess.Popen(["true"])
    gone.wait()
    job, ended = tmp_path / "uploads" / "6f1e0c2a", tmp_path / "uploads" / "0b9d4e11"
    for directory in (job, ended):
        (directory / "files").mkdir(parents=True)
        (directory / OWNER_FILE).write_text(str(gone.pid))
    (job / STARTER_FILE).write_text('{"subject": "feed-th", "agency": "TH-DSI"}')  # a job whose end is
    log = AuditLog(tmp_path / "audit.jsonl")                                       # audited has none (A1)
    assert sorted(sweep_orphaned_uploads(tmp_path / "uploads", log)) == ["0b9d4e11", "6f1e0c2a"]
    [end] = log.entries()
    assert (end["operation"], end["outcome"], end["subject"], end["agency"], end["arguments"]["job"]) == (
        "load.failed", "error", "feed-th", "TH-DSI", "6f1e0c2a")
    assert end["arguments"]["error"].startswith("abandoned: the API worker running it stopped")
