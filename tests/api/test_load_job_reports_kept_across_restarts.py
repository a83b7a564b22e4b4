"""A finished job's reject report outlives a restart of the worker that ran it (attack round 43a, 4):
the start-up sweep took every job directory of a gone worker for abandoned, finished ones too, and
deleted their reports; the status still said ``rows_rejected`` 1 and ``/rejects`` answered 200 with
an empty body, "no rejects". Now a finished job stays whole with its agency's kept jobs until they
evict it, and a report that is no longer kept answers 410 ``GONE``, never an empty report."""

import json
from pathlib import Path

import httpx
import pytest
from test_api_load_jobs import CDR, LOADER_TH, _client, _error, _settings, _start, _wait
from test_load_job_worker_restart import JOB, _killed_job

from graphapi.app import create_app
from graphapi.ingest.job_status import write_status
from graphapi.ingest.kept_jobs import report_gone
from graphapi.ingest.load_sweep import ABANDONED, OWNER_FILE, REJECTS_FILE, STARTER_FILE, sweep_orphaned_uploads
from graphapi.private_files import private_dir

pytestmark = [pytest.mark.asyncio(loop_scope="session")]

#: A worker that is gone: the pid is past any kernel's pid_max
GONE_WORKER = "999999999 0 gone-boot"


def _dry_run(data: bytes = CDR) -> dict:
    """The CDR upload (its last row rejected) as a dry run: no store needed."""
    return {"data": {"kind": "csv", "mapping": "cdr", "dryRun": "true"},
            "files": {"file": ("cdr-week-12.csv", data, "text/csv")}}


async def _finished_job(tmp_path: Path) -> dict:
    async with _client(None, tmp_path) as c:
        return await _wait(c, LOADER_TH, (await _start(c, LOADER_TH, _dry_run())).json()["href"])


def _restart_of_its_worker(tmp_path: Path, job: dict) -> None:
    (tmp_path / "uploads" / job["id"] / OWNER_FILE).write_text(GONE_WORKER)


async def test_a_finished_jobs_reject_report_is_kept_across_a_restart_of_the_worker_that_ran_it(tmp_path):
    job = await _finished_job(tmp_path)
    _restart_of_its_worker(tmp_path, job)
    async with _client(None, tmp_path) as c:  # the restarted worker sweeps as it starts
        polled = await c.get(job["href"], headers=LOADER_TH)
        rejects = await c.get(f"{job['href']}/rejects", headers=LOADER_TH)
    assert (polled.status_code, polled.json()["state"], polled.json()["summary"]["rows_rejected"]) == (200, "done", 1)
    [line] = [json.loads(raw) for raw in rejects.content.splitlines()]
    assert rejects.status_code == 200 and (line["line"], line["raw"]["record_id"]) == (5, "CDR-T-BAD")


async def test_a_reject_report_no_longer_kept_answers_410_gone_never_an_empty_report(tmp_path):
    job = await _finished_job(tmp_path)
    (tmp_path / "uploads" / job["id"] / REJECTS_FILE).unlink()  # as an eviction deleting the job leaves it a moment
    async with _client(None, tmp_path) as c:
        rejects = await c.get(f"{job['href']}/rejects", headers=LOADER_TH)
    status, code, message = _error(rejects)
    assert (status, code) == (410, "GONE") and "is no longer kept" in message and job["id"] in message


async def test_an_abandoned_jobs_reject_report_answers_410_gone(tmp_path):
    _killed_job(tmp_path, GONE_WORKER)  # running, 0 rows rejected counted so far; its report has a row
    async with _client(None, tmp_path) as c:
        rejects = await c.get(f"/loads/{JOB}/rejects", headers=LOADER_TH)
    assert _error(rejects)[:2] == (410, "GONE")


async def test_a_report_is_gone_only_for_a_job_that_rejected_rows_or_was_abandoned():
    queued = {"state": "queued", "rejected": 0, "summary": None, "error": None}
    clean = {"state": "done", "rejected": 0, "summary": {"rows_rejected": 0}, "error": None}
    rejecting = {"state": "failed", "rejected": 3, "summary": {"rows_rejected": 3}, "error": "every row read..."}
    abandoned = {"state": "failed", "rejected": 0, "summary": None, "error": ABANDONED}
    assert [report_gone(v) for v in (queued, clean, rejecting, abandoned)] == [False, False, True, True]


def _ended_job(tmp_path: Path, job_id: str, **status) -> Path:
    """A job directory its worker (now gone) ended, with what a kill just after its end leaves."""
    directory = tmp_path / "uploads" / job_id
    private_dir(directory.parent, exist_ok=True)
    private_dir(directory, exist_ok=False)
    (directory / OWNER_FILE).write_text(GONE_WORKER)
    (directory / STARTER_FILE).write_text(json.dumps({"subject": "feed-th", "agency": "TH-DSI"}))
    (directory / "files" / "1").mkdir(parents=True)
    (directory / "files" / "1" / "cdr.csv").write_text("record_id,...\n")
    (directory / REJECTS_FILE).write_text('{"line": 5, "raw": {"record_id": "CDR-T-BAD"}}\n')
    write_status(directory, {"id": job_id, "owner": "TH-DSI", "state": "done", "rejected": 1, "error": None,
                             "summary": {"rows_rejected": 1}, **status})
    return directory


async def test_the_sweep_leaves_a_job_its_worker_ended_its_status_and_reject_report(tmp_path):
    directory = _ended_job(tmp_path, JOB, finishedAt="2020-01-01T00:00:00.000Z")  # years ago: no day limit
    assert sweep_orphaned_uploads(tmp_path / "uploads") == []
    assert sorted(p.name for p in directory.iterdir()) == ["job.json", REJECTS_FILE]


async def test_an_abandoned_jobs_status_still_goes_a_day_after_it_was_abandoned(tmp_path):
    _ended_job(tmp_path, JOB, state="failed", error=ABANDONED, finishedAt="2020-01-01T00:00:00.000Z")
    assert sweep_orphaned_uploads(tmp_path / "uploads") == [JOB]
    assert not (tmp_path / "uploads" / JOB).exists()


async def test_a_job_kept_across_a_restart_is_evicted_by_its_agencys_later_jobs_past_what_it_keeps(tmp_path):
    job = await _finished_job(tmp_path)
    _restart_of_its_worker(tmp_path, job)
    app = create_app(_settings(tmp_path, load_kept_grace_s=0), store=None)
    app.state.load_jobs.keep = 1  # stands for KEEP_FINISHED = 200
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lintas.test") as c:
        later = await _wait(c, LOADER_TH, (await _start(c, LOADER_TH, _dry_run())).json()["href"])
        await app.state.load_jobs.get(later["id"]).task  # its status reads done before it has evicted
        polled = await c.get(job["href"], headers=LOADER_TH)
        listed = [j["id"] for j in (await c.get("/loads", headers=LOADER_TH)).json()["jobs"]]
    assert polled.status_code == 404 and listed == [later["id"]]
