"""An upload's start counts its agency's unfinished jobs from the agency's index, off the event loop
(attack round 45a, 1): every POST /loads opened the starter file of every job directory of every
agency, on the event loop, before its body was read (25 agencies' 200 kept jobs: 5,001 reads, ~60 ms a
start, a refused one too). Other workers' jobs are read from the index in a thread; this worker's are
counted live, and an upload takes its place with no await after that count."""

import asyncio
import json
import subprocess
import threading

import httpx
import pytest
from test_api_load_bytes_live import BOUNDARY, _body
from test_api_load_jobs import LOADER_TH, LOADER_VN, _error, _settings

import graphapi.ingest.load_quota as load_quota
from graphapi.app import create_app
from graphapi.ingest import job_index
from graphapi.ingest.load_sweep import OWNER_FILE, STARTER_FILE
from graphapi.ingest.worker_identity import worker_identity

pytestmark = [pytest.mark.asyncio(loop_scope="session")]

STREAMED = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}


def _app(tmp_path, **settings):
    return create_app(_settings(tmp_path, upload_min_free_bytes=0, **settings), store=None)


async def test_an_upload_start_reads_no_other_agencys_job_directory_and_none_on_the_event_loop(tmp_path,
                                                                                                 monkeypatch):
    uploads = tmp_path / "uploads"
    for i in range(500):  # other agencies' kept jobs
        job_id = f"{i:032x}"
        (uploads / job_id).mkdir(parents=True)
        (uploads / job_id / "job.json").write_text(json.dumps(
            {"id": job_id, "owner": f"AG-{i % 25}", "state": "done", "finishedAt": "2026-12-06T03:00:00.000Z"}))
    app = _app(tmp_path)
    reads, starter = [], load_quota._starter_agency
    monkeypatch.setattr(load_quota, "_starter_agency",
                        lambda d: reads.append(threading.current_thread() is threading.main_thread()) or starter(d))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lintas.test") as c:
        refused = await c.post("/loads", headers=LOADER_VN, data={"kind": "csv", "mapping": "cdr"},
                               files={"other": ("x.txt", b"x", "text/plain")})
    await app.state.load_jobs.close()
    assert refused.status_code == 400
    assert reads == []  # main: 500 starter files opened on the event loop


async def test_an_upload_is_indexed_for_its_agency_as_its_directory_is_made_before_its_body_is_read(tmp_path):
    app, going = _app(tmp_path), asyncio.Event()

    async def held_body():
        stream = _body(0)
        yield await anext(stream)
        await going.wait()
        async for chunk in stream:
            yield chunk

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lintas.test") as c:
        post = asyncio.create_task(c.post("/loads", headers={**LOADER_TH, **STREAMED}, content=held_body()))
        for _ in range(200):
            streaming = [p.name for p in (tmp_path / "uploads").glob("*/files")]
            if streaming:
                break
            await asyncio.sleep(0.01)
        indexed = [e.id for e in job_index.entries(tmp_path / "uploads", "TH-DSI")]
        going.set()
        answer = await post
    await app.state.load_jobs.close()
    assert answer.status_code == 202 and indexed == [answer.json()["id"]]


async def test_another_workers_unfinished_job_takes_a_place_in_its_agencys_queue(tmp_path):
    other = subprocess.Popen(["sleep", "30"])  # the other worker, alive
    try:
        job_id = "b" * 32
        directory = tmp_path / "uploads" / job_id
        (directory / "files").mkdir(parents=True)  # its upload streaming: no status yet
        (directory / OWNER_FILE).write_text(worker_identity(other.pid))
        (directory / STARTER_FILE).write_text(json.dumps({"subject": "feed-th", "agency": "TH-DSI"}))
        job_index.started(tmp_path / "uploads", "TH-DSI", job_id)
        app = _app(tmp_path, load_queue_per_agency=1)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lintas.test") as c:
            refused = await c.post("/loads", headers={**LOADER_TH, **STREAMED}, content=_body(0))
        await app.state.load_jobs.close()
    finally:
        other.kill()
        other.wait()
    assert _error(refused) == (429, "RATE_LIMITED", "TH-DSI has 1 load job(s) uploading, queued or running, the "
                                                    "most it may; upload again when one has ended")


async def test_two_uploads_of_one_agency_at_once_never_both_take_its_last_place(tmp_path):
    app = _app(tmp_path, load_queue_per_agency=1)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lintas.test") as c:
        answers = await asyncio.gather(*(c.post("/loads", headers={**LOADER_TH, **STREAMED}, content=_body(t))
                                         for t in range(3)))
    await app.state.load_jobs.close()
    assert sorted(a.status_code for a in answers) == [202, 429, 429]


async def test_a_refused_upload_leaves_no_index_entry_behind(tmp_path):
    app = _app(tmp_path, load_pending_bytes_per_agency=100_000)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lintas.test") as c:
        refused = await c.post("/loads", headers={**LOADER_TH, **STREAMED}, content=_body(0))
    await app.state.load_jobs.close()
    assert _error(refused)[:2] == (429, "RATE_LIMITED")
    assert job_index.entries(tmp_path / "uploads", "TH-DSI") == []
