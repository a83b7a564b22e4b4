"""Every finished load job is kept a grace after it ended, whatever its agency's caps (attack round
43a, 5): "the job just finished is always kept" spared only the job evicting, so the agency's job
that ended 10 ms earlier lost its big report before its poller read it. The grace
(LINTAS_LOAD_KEPT_GRACE_S, default 10 minutes) is counted to the end of the job evicting."""

import asyncio
import json
from pathlib import Path

import pytest
from in_process_loads import run_load_jobs_in_process
from test_api_load_jobs import LOADER_TH
from test_load_jobs_kept_per_agency import REJECTED, _listed, _load, _Worker

from graphapi.ingest.job_index import rebuild
from graphapi.ingest.kept_jobs import KEPT_GRACE_S, evict_finished
from graphapi.ingest.load_jobs import LoadJobs
from graphapi.ingest.load_sweep import REJECTS_FILE

pytestmark = [pytest.mark.asyncio(loop_scope="session")]

REPO = Path(__file__).resolve().parents[2]
A, B = "a" * 32, "b" * 32


@pytest.fixture(autouse=True)
def _jobs_in_process(monkeypatch) -> None:
    """Each job runs its child in this process (tests/in_process_loads.py): these tests are of what
    is kept in the grace, not of the job's process (two real ones were ~3 s of this module)."""
    run_load_jobs_in_process(monkeypatch)


def _job(uploads: Path, job_id: str, finished: str, report: int) -> None:
    (uploads / job_id).mkdir(parents=True)
    (uploads / job_id / "job.json").write_text(json.dumps(
        {"id": job_id, "owner": "TH-DSI", "state": "failed", "finishedAt": finished}))
    (uploads / job_id / REJECTS_FILE).write_bytes(b"x" * report)
    rebuild(uploads)  # as a start indexes what it finds (job_index)


async def test_the_grace_is_ten_minutes_by_default():
    assert (KEPT_GRACE_S, LoadJobs().grace_s) == (600.0, 600.0)


async def test_a_job_that_ended_within_the_grace_before_the_evicting_job_is_kept_past_both_caps(tmp_path):
    # years ago: the grace runs to the evicting job's end, not to the clock of the eviction
    _job(tmp_path, A, "2020-01-01T02:00:00.000Z", 150)  # an all-rejected upload: a report over the cap
    _job(tmp_path, B, "2020-01-01T02:00:00.010Z", 10)   # the agency's next job, 10 ms later
    assert evict_finished(tmp_path, "TH-DSI", keep=1, report_bytes=100, newest=B) == []
    assert (tmp_path / A / REJECTS_FILE).stat().st_size == 150


async def test_a_job_that_ended_longer_than_the_grace_before_is_evicted_past_the_caps(tmp_path):
    _job(tmp_path, A, "2020-01-01T01:49:59.999Z", 150)
    _job(tmp_path, B, "2020-01-01T02:00:00.000Z", 10)  # 10 min and 1 ms later
    assert evict_finished(tmp_path, "TH-DSI", keep=200, report_bytes=100, newest=B) == [A]


async def test_the_agencys_previous_job_is_read_whole_by_its_poller_after_the_next_one_ended(tmp_path):
    async with _Worker(tmp_path, keep=1, load_kept_grace_s=KEPT_GRACE_S, load_kept_report_bytes_per_agency=1_000) as c:
        first, second = [await _load(c, LOADER_TH, REJECTED) for _ in range(2)]
        polled = await c.get(first["href"], headers=LOADER_TH)
        rejects = await c.get(first["href"] + "/rejects", headers=LOADER_TH)
        listed = await _listed(c, LOADER_TH)
    assert polled.status_code == 200 and listed == [second["id"], first["id"]]
    assert rejects.status_code == 200 and rejects.text.count("\n") > 100


async def test_a_worker_with_no_upload_directory_keeps_its_jobs_in_their_grace_too():
    jobs = LoadJobs(keep=1)
    feed = REPO / "seed/samples/crossings.synthetic.csv"
    started = []
    for _ in range(2):
        started.append(jobs.start(None, "csv", [feed], owner="TH-IMM", mapping="crossings", dry_run=True))
        await asyncio.wait_for(started[-1].task, 120)
    assert [j.id for j in jobs.list("TH-IMM")] == [started[1].id, started[0].id]
