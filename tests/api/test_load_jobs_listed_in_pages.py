"""GET /loads answers a page of the agency's jobs (attack round 45a, its README's 4): the list had no
bound, and the grace keeps any number of an agency's finished jobs (all it ended in the last ten
minutes), so every list read and parsed each of their statuses and built and encoded each view on the
event loop (5,000 jobs: 105,000 status reads in 20 lists, 80-260 ms stalls). A page holds the agency's
unfinished jobs, then at most ``limit`` finished ones, latest ended first, and the next page's URL."""

import json
from pathlib import Path

import httpx
import pytest
from test_api_load_jobs import LOADER_TH, _error, _settings

import graphapi.ingest.job_status as job_status
from graphapi.app import create_app
from graphapi.ingest import job_index
from graphapi.ingest.job_listing import DEFAULT_LIMIT
from graphapi.ingest.load_sweep import OWNER_FILE
from graphapi.ingest.worker_identity import worker_identity

pytestmark = [pytest.mark.asyncio(loop_scope="session")]


def _job(uploads: Path, number: int, state: str = "done", owner: str = "TH-DSI") -> str:
    """A job's directory and status, ended at second ``number`` if done (indexed at the app's start)."""
    job_id = f"{number:032x}"
    (uploads / job_id).mkdir(parents=True)
    at = f"2026-12-06T03:{number // 60:02d}:{number % 60:02d}.000Z"
    (uploads / job_id / "job.json").write_text(json.dumps(
        {"id": job_id, "owner": owner, "state": state, "createdAt": at, "finishedAt": at if state == "done" else None,
         "summary": None}))
    if state == "running":  # on a live worker (this process): not swept as abandoned
        (uploads / job_id / OWNER_FILE).write_text(worker_identity())
    return job_id


class _Lists:
    def __init__(self, tmp_path: Path) -> None:
        self.app = create_app(_settings(tmp_path, upload_min_free_bytes=0, load_kept_grace_s=3600), store=None)

    async def __aenter__(self) -> httpx.AsyncClient:
        self.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url="http://lintas.test")
        return self.client

    async def __aexit__(self, *exc) -> None:
        await self.client.aclose()
        await self.app.state.load_jobs.close()


async def test_a_list_of_an_agencys_many_kept_jobs_reads_one_page_of_their_statuses(tmp_path, monkeypatch):
    ids = [_job(tmp_path / "uploads", i) for i in range(300)]
    reads = []
    read = job_status.read_status
    async with _Lists(tmp_path) as c:  # indexed at its start
        monkeypatch.setattr(job_status, "read_status", lambda *a: reads.append(a[1]) or read(*a))
        listed = (await c.get("/loads", headers=LOADER_TH)).json()
    assert [j["id"] for j in listed["jobs"]] == ids[::-1][:DEFAULT_LIMIT]
    assert sorted(reads) == sorted(ids[-DEFAULT_LIMIT:])  # main: all 300, every list


async def test_the_pages_of_an_agencys_jobs_follow_each_other_latest_ended_first_to_the_last(tmp_path):
    ids = [_job(tmp_path / "uploads", i) for i in range(5)]
    async with _Lists(tmp_path) as c:
        pages, href = [], "/loads?limit=2"
        while href is not None:
            answer = (await c.get(href, headers=LOADER_TH)).json()
            pages.append([j["id"] for j in answer["jobs"]])
            href = answer["nextHref"]
    assert pages == [[ids[4], ids[3]], [ids[2], ids[1]], [ids[0]]]


async def test_an_agencys_unfinished_jobs_lead_the_first_page_before_its_finished_ones(tmp_path):
    done = [_job(tmp_path / "uploads", i) for i in range(3)]
    running = _job(tmp_path / "uploads", 10, state="running")
    async with _Lists(tmp_path) as c:
        first = (await c.get("/loads?limit=1", headers=LOADER_TH)).json()
        second = (await c.get(first["nextHref"], headers=LOADER_TH)).json()
    assert [j["id"] for j in first["jobs"]] == [running, done[2]]
    assert [j["id"] for j in second["jobs"]] == [done[1]]


async def test_a_job_indexed_as_running_whose_status_is_final_is_indexed_as_ended_when_listed(tmp_path):
    uploads = tmp_path / "uploads"
    job_id = _job(uploads, 7)
    async with _Lists(tmp_path) as c:
        for entry in job_index.entries(uploads, "TH-DSI"):  # its end's index write failed on a worker gone since
            job_index.remove(uploads, "TH-DSI", entry)
        job_index.started(uploads, "TH-DSI", job_id)
        listed = (await c.get("/loads", headers=LOADER_TH)).json()
    assert [(j["id"], j["state"]) for j in listed["jobs"]] == [(job_id, "done")]
    assert job_index.entries(uploads, "TH-DSI") == [job_index.Entry(job_id, "2026-12-06T03:00:07.000Z", 0)]


@pytest.mark.parametrize(("query", "message"), [
    ("limit=201", "limit must be a whole number from 1 to 200"),
    ("limit=0", "limit must be a whole number from 1 to 200"),
    ("limit=ten", "limit must be a whole number from 1 to 200"),
    ("after=not-a-cursor", "after must be the nextHref cursor of an earlier page of GET /loads"),
])
async def test_a_limit_out_of_range_or_a_cursor_no_page_made_is_refused_400(tmp_path, query, message):
    async with _Lists(tmp_path) as c:
        refused = await c.get(f"/loads?{query}", headers=LOADER_TH)
    assert _error(refused) == (400, "BAD_USER_INPUT", message)
