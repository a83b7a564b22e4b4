"""An agency's finished jobs kept past its caps in their grace are evicted once the grace is over,
whoever's job ends or upload starts next, and at a start (attack round 44b, 1): eviction ran only
when a job of the same agency ended, so a burst of all-rejected uploads within the grace held the
disk past LINTAS_LOAD_KEPT_REPORT_BYTES_PER_AGENCY for good once that agency stopped uploading (and
the upload floor answered 507 to every agency). The clock the grace is read by is injected
(``LoadJobs.now``): no test waits for it."""

import asyncio
import json
import shutil
from collections import namedtuple
from pathlib import Path

import pytest
from in_process_loads import run_load_jobs_in_process
from test_api_load_jobs import LOADER_TH, LOADER_VN, _settings
from test_load_job_queue_limits import _form
from test_load_jobs_kept_per_agency import KEPT_CAP, REJECTED, _kept_reports, _load, _Worker

from graphapi.app import create_app
from graphapi.ingest.load_sweep import REJECTS_FILE
from graphapi.security.timeutil import utc_now

pytestmark = [pytest.mark.asyncio(loop_scope="session")]


@pytest.fixture(autouse=True)
def _jobs_in_process(monkeypatch) -> None:
    """Each job runs its child in this process (tests/in_process_loads.py): these tests are of
    the eviction of finished jobs, not of the job's process."""
    run_load_jobs_in_process(monkeypatch)

GRACE_S = 600.0


def _after_the_grace() -> str:
    return utc_now("milliseconds", plus_s=GRACE_S + 1)


def _held(tmp_path: Path, jobs: list[dict]) -> int:
    reports = _kept_reports(tmp_path)
    return sum(reports.get(j["id"], 0) for j in jobs)


async def test_reports_kept_past_the_cap_in_the_grace_go_when_another_agencys_job_ends_after_it(tmp_path):
    async with _Worker(tmp_path, load_kept_grace_s=GRACE_S, load_kept_report_bytes_per_agency=KEPT_CAP) as c:
        th = [await _load(c, LOADER_TH, REJECTED) for _ in range(4)]  # a burst within the grace
        in_grace = _held(tmp_path, th)
        c.load_jobs.now = _after_the_grace
        await _load(c, LOADER_VN)
        listed = [j["id"] for j in (await c.get("/loads", headers=LOADER_TH)).json()["jobs"]]
    assert in_grace > KEPT_CAP  # the grace holds them past the cap a while, as documented
    assert 140_000 < _held(tmp_path, th) <= KEPT_CAP and listed == [th[3]["id"], th[2]["id"]]


async def test_reports_kept_past_the_cap_in_the_grace_go_once_it_is_over_with_no_job_nor_upload_after_them(tmp_path):
    over = asyncio.Event()  # the grace passing, told by the test rather than waited for

    async def sleep(seconds: float) -> None:
        assert seconds == GRACE_S
        await over.wait()

    async with _Worker(tmp_path, load_kept_grace_s=GRACE_S, load_kept_report_bytes_per_agency=KEPT_CAP) as c:
        c.load_jobs.sleep = sleep
        th = [await _load(c, LOADER_TH, REJECTED) for _ in range(4)]
        in_grace = _held(tmp_path, th)
        c.load_jobs.now = _after_the_grace
        over.set()
        await c.load_jobs._later
    assert in_grace > KEPT_CAP and 140_000 < _held(tmp_path, th) <= KEPT_CAP


async def test_an_upload_at_the_disk_floor_is_admitted_once_reports_past_their_cap_and_grace_go(tmp_path, monkeypatch):
    # the disk's free bytes: 10 MB less the kept reports; the floor leaves room for two of them
    async with _Worker(tmp_path, load_kept_grace_s=GRACE_S, load_kept_report_bytes_per_agency=KEPT_CAP,
                       upload_min_free_bytes=9_700_000) as c:
        [await _load(c, LOADER_TH, REJECTED) for _ in range(4)]
        usage = namedtuple("usage", "total used free")
        monkeypatch.setattr(shutil, "disk_usage",
                            lambda _: usage(10**7, 0, 10**7 - sum(_kept_reports(tmp_path).values())))
        c.load_jobs.now = _after_the_grace
        answer = await c.post("/loads", headers=LOADER_VN, **_form(b"record_id\n"))
        assert answer.status_code == 202, answer.text  # main: 507, TH-DSI's four reports past the floor
        await c.load_jobs.get(answer.json()["id"]).task


def _kept_by_main(uploads: Path, job_id: str, owner: str, finished: str, report: int) -> None:
    """A finished job's directory as main left it: status and reject report, no index entry."""
    (uploads / job_id).mkdir(parents=True)
    (uploads / job_id / "job.json").write_text(json.dumps(
        {"id": job_id, "owner": owner, "state": "failed", "createdAt": finished, "finishedAt": finished}))
    (uploads / job_id / REJECTS_FILE).write_bytes(b"x" * report)


async def test_a_start_brings_every_agency_back_under_its_caps_past_the_grace(tmp_path):
    uploads = tmp_path / "uploads"
    for i in range(4):  # an hour ago, 75 KB each: 300 KB against a 200 KB cap
        _kept_by_main(uploads, f"{i:032x}", "TH-DSI", f"2026-01-01T10:00:0{i}.000Z", 75_000)
    app = create_app(_settings(tmp_path, upload_min_free_bytes=0, load_kept_grace_s=GRACE_S,
                               load_kept_report_bytes_per_agency=KEPT_CAP), store=None)
    await app.state.load_jobs.close()
    assert sorted(_kept_reports(tmp_path)) == [f"{2:032x}", f"{3:032x}"]  # the newest two
