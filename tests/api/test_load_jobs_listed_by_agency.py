"""GET /loads reads the caller's agency's jobs only, off the event loop (attack round 44b, 4): it
read and parsed the status of every kept job of every agency, on the event loop, per call (5,000
statuses, 0.1 s of a blocked worker, for an agency with no job). An agency's jobs are listed from
its index (graphapi.ingest.job_index), which a start rebuilds from the job directories."""

import json
import threading
from pathlib import Path

import httpx
import pytest
from test_api_load_jobs import LOADER_VN, _settings

import graphapi.ingest.job_status as job_status
from graphapi.app import create_app
from graphapi.ingest import job_index

pytestmark = [pytest.mark.asyncio(loop_scope="session")]


def _job(uploads: Path, number: int, owner: str, state: str = "done") -> str:
    """A job's directory as any version leaves it: its status (no index entry)."""
    job_id = f"{number:032x}"
    (uploads / job_id).mkdir(parents=True)
    finished = f"2026-12-06T03:00:{number % 60:02d}.000Z" if state == "done" else None
    (uploads / job_id / "job.json").write_text(json.dumps(
        {"id": job_id, "owner": owner, "state": state, "createdAt": f"2026-12-06T02:{number // 60:02d}:00.000Z",
         "finishedAt": finished, "summary": None}))
    return job_id


async def test_listing_an_agencys_loads_reads_only_its_own_jobs_statuses_off_the_event_loop(tmp_path, monkeypatch):
    uploads = tmp_path / "uploads"
    for i in range(300):  # another agency's kept jobs
        _job(uploads, i, "TH-DSI")
    vn = [_job(uploads, 300, "VN-MPS"), _job(uploads, 400, "VN-MPS")]
    app = create_app(_settings(tmp_path, upload_min_free_bytes=0), store=None)
    reads = []
    read = job_status.read_status
    monkeypatch.setattr(job_status, "read_status", lambda uploads, job_id: reads.append(
        (job_id, threading.current_thread() is threading.main_thread())) or read(uploads, job_id))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lintas.test") as c:
        listed = await c.get("/loads", headers=LOADER_VN)
    await app.state.load_jobs.close()
    assert [j["id"] for j in listed.json()["jobs"]] == [vn[1], vn[0]]
    assert sorted(reads) == [(vn[0], False), (vn[1], False)]  # main: 302 reads, every one on the event loop


async def test_a_start_indexes_each_agencys_jobs_left_on_disk_with_their_ends_and_report_bytes(tmp_path):
    done, running = _job(tmp_path, 1, "TH-DSI"), _job(tmp_path, 2, "TH-DSI", state="running")
    (tmp_path / done / "rejects.jsonl").write_bytes(b"x" * 1234)
    assert job_index.rebuild(tmp_path) == 2
    indexed = sorted(job_index.entries(tmp_path, job_index.agency_key("TH-DSI")), key=lambda e: e.id)
    assert indexed == [job_index.Entry(done, "2026-12-06T03:00:01.000Z", 1234), job_index.Entry(running)]


async def test_a_start_drops_the_index_entry_of_a_job_whose_directory_is_gone(tmp_path):
    kept, gone = _job(tmp_path, 1, "TH-DSI"), _job(tmp_path, 2, "TH-DSI")
    job_index.rebuild(tmp_path)
    (tmp_path / gone / "job.json").unlink()
    (tmp_path / gone).rmdir()
    job_index.rebuild(tmp_path)
    assert [e.id for e in job_index.entries(tmp_path, job_index.agency_key("TH-DSI"))] == [kept]


async def test_an_agency_id_that_is_no_plain_file_name_is_indexed_under_a_digest():
    assert job_index.agency_key("TH-DSI") == "TH-DSI"
    assert job_index.agency_key("../etc").startswith("~") and "/" not in job_index.agency_key("../etc")
