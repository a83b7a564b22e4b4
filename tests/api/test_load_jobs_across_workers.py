"""Every API worker answers for every load job (``lintas serve --workers N``): the worker running a
job keeps its poll view in the job's upload directory (``graphapi.ingest.job_status``), so a poll,
a list or a reject report that reaches another worker is answered as by its own (new-user trial 6:
half of a client's polls answered 404). Two apps over one data directory stand for two workers."""

import pytest
from test_api_load_jobs import ANALYST_TH, LOADER_TH, LOADER_VN, _as, _cdr_upload, _client, _error, _start, _wait

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

#: Which worker answers for a job is the job directory's Python; one job polled through another worker
#: runs on Neo4j too.
WORKER_PLUMBING = 'job files shared by workers are the same on both stores; one job runs on Neo4j here'

ADMIN = _as("root", "KH-NPA", "admin")


async def test_a_job_one_worker_runs_is_polled_to_its_end_through_another(empty_store, tmp_path):
    async with _client(empty_store, tmp_path) as first, _client(empty_store, tmp_path) as second:
        started = (await _start(first, LOADER_TH, _cdr_upload())).json()
        job = await _wait(second, LOADER_TH, started["href"])
        assert job == (await first.get(started["href"], headers=LOADER_TH)).json()
    assert (job["id"], job["state"], job["owner"], job["files"]) == (started["id"], "done", "TH-DSI",
                                                                      ["cdr-week-12.csv"])
    assert (job["summary"]["rows_read"], job["summary"]["rows_loaded"], job["summary"]["rows_rejected"]) == (4, 3, 1)
    assert job["summary"]["reject_report"] == f"{started['href']}/rejects"  # never the server's path


@pytest.mark.one_store(WORKER_PLUMBING)
async def test_another_worker_lists_the_agencys_jobs_and_hides_them_from_other_agencies(empty_store, tmp_path):
    async with _client(empty_store, tmp_path) as first, _client(empty_store, tmp_path) as second:
        th = (await _start(first, LOADER_TH, _cdr_upload())).json()
        vn = (await _start(second, LOADER_VN, _cdr_upload(name="vn.csv"))).json()
        await _wait(first, LOADER_TH, th["href"])
        await _wait(second, LOADER_VN, vn["href"])
        assert [j["id"] for j in (await second.get("/loads", headers=ANALYST_TH)).json()["jobs"]] == [th["id"]]
        assert [j["id"] for j in (await first.get("/loads", headers=LOADER_VN)).json()["jobs"]] == [vn["id"]]
        # KH-NPA's admin: none of them
        assert (await second.get("/loads", headers=ADMIN)).json() == {"jobs": [], "nextHref": None}
        refused = await second.get(th["href"], headers=LOADER_VN)
    assert _error(refused)[:2] == (404, "NOT_FOUND")


@pytest.mark.one_store(WORKER_PLUMBING)
async def test_another_worker_serves_the_reject_report_to_the_loader_only(empty_store, tmp_path):
    async with _client(empty_store, tmp_path) as first, _client(empty_store, tmp_path) as second:
        started = (await _start(first, LOADER_TH, _cdr_upload())).json()
        await _wait(first, LOADER_TH, started["href"])
        rejects = await second.get(f"{started['href']}/rejects", headers=LOADER_TH)
        refused = await second.get(f"{started['href']}/rejects", headers=ANALYST_TH)
    assert rejects.status_code == 200 and '"line": 5' in rejects.text and "not a phone" in rejects.text
    assert _error(refused)[:2] == (403, "FORBIDDEN")


@pytest.mark.parametrize("job_id", ["%2e%2e", "0" * 31, "A" * 32, "x" * 500])
@pytest.mark.one_store(WORKER_PLUMBING)
async def test_a_job_id_that_is_no_job_id_is_404_from_any_worker(empty_store, tmp_path, job_id):
    (tmp_path / "job.json").write_text('{"id": "..", "owner": "TH-DSI"}')  # a file the id must never reach
    async with _client(empty_store, tmp_path) as client:
        response = await client.get(f"/loads/{job_id}", headers=LOADER_TH)
    assert _error(response)[:2] == (404, "NOT_FOUND")


async def test_a_job_whose_worker_is_gone_is_polled_as_failed_abandoned_and_its_raw_rows_go(tmp_path):
    # attack round 20, B6: after a kill -9 of the worker running it, a job answered 404 for good
    import json
    import subprocess

    from graphapi.ingest.load_sweep import ABANDONED, OWNER_FILE, sweep_orphaned_uploads

    gone = subprocess.Popen(["true"])
    gone.wait()
    job_id = "a" * 32
    directory = tmp_path / "uploads" / job_id
    (directory / "files").mkdir(parents=True)
    (directory / OWNER_FILE).write_text(str(gone.pid))
    (directory / "rejects.jsonl").write_text('{"raw": "a victim\'s name"}\n')
    (directory / "job.json").write_text(json.dumps({"id": job_id, "owner": "TH-DSI", "state": "running",
                                                    "summary": None, "createdAt": "2026-12-05T00:00:00.000Z"}))
    sweep_orphaned_uploads(tmp_path / "uploads")
    assert sorted(p.name for p in directory.iterdir()) == ["job.json"]
    async with _client(None, tmp_path) as client:
        job = (await client.get(f"/loads/{job_id}", headers=LOADER_TH)).json()
    assert (job["state"], job["error"]) == ("failed", ABANDONED)
