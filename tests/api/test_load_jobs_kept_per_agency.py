"""The finished load jobs an agency keeps are its own (attack round 42b, 3): the last KEEP_FINISHED
were one pool per worker for every agency, so TH-DSI's quick uploads, each within its caps, evicted
VN-MPS's job (poll and reject report 404), and their reject reports (each up to its upload + 64 KiB)
counted in no byte cap once ended. Now each agency keeps its own last ``keep`` finished jobs, their
reports at most LINTAS_LOAD_KEPT_REPORT_BYTES_PER_AGENCY, over every worker sharing the data directory."""

from pathlib import Path

import httpx
import pytest
from in_process_loads import run_load_jobs_in_process
from test_api_load_jobs import LOADER_TH, LOADER_VN, _settings, _wait
from test_load_job_queue_limits import HEADER, SMALL, _form

from graphapi.app import create_app

pytestmark = [pytest.mark.asyncio(loop_scope="session")]


@pytest.fixture(autouse=True)
def _jobs_in_process(monkeypatch) -> None:
    """Each job runs its child in this process (tests/in_process_loads.py): these tests are of
    the finished jobs each agency keeps, not of the job's process."""
    run_load_jobs_in_process(monkeypatch)

#: 5,000 rows every one rejected (10 KB): a reject report at its bound, upload + 64 KiB (~73 KB; its
#: first ~600 rows fill it, so more rows only cost the loader time: 50,000 took ~1 s of CPU a load)
REJECTED = (HEADER + "x\n" * 5_000).encode()
#: Bytes of kept reports that hold two such reports and not three
KEPT_CAP = 200_000


class _Worker:
    """An API worker (an app) over ``tmp_path`` whose job processes are stopped at the end; with no
    grace unless given one, so its caps alone are seen (the grace: test_load_jobs_kept_grace)."""

    def __init__(self, tmp_path: Path, keep: int | None = None, **settings) -> None:
        settings.setdefault("load_kept_grace_s", 0)
        settings.setdefault("upload_min_free_bytes", 0)
        self.app = create_app(_settings(tmp_path, **settings), store=None)
        if keep is not None:
            self.app.state.load_jobs.keep = keep  # stands for KEEP_FINISHED = 200
        self.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url="http://lintas.test")
        self.client.load_jobs = self.app.state.load_jobs  # for _load: a job's eviction runs after it reads done

    async def __aenter__(self) -> httpx.AsyncClient:
        return self.client

    async def __aexit__(self, *exc) -> None:
        await self.client.aclose()
        await self.app.state.load_jobs.close()


async def _load(client: httpx.AsyncClient, headers: dict[str, str], body: bytes = SMALL) -> dict:
    answer = await client.post("/loads", headers=headers, **_form(body))
    assert answer.status_code == 202, answer.text
    job = await _wait(client, headers, answer.json()["href"])
    await client.load_jobs.get(job["id"]).task  # its status reads done before it has evicted
    return job


async def _listed(client: httpx.AsyncClient, headers: dict[str, str]) -> list[str]:
    return [j["id"] for j in (await client.get("/loads", headers=headers)).json()["jobs"]]


def _kept_reports(tmp_path: Path) -> dict[str, int]:
    return {f.parent.name: f.stat().st_size for f in Path(tmp_path, "uploads").glob("*/rejects.jsonl")}


async def test_another_agencys_finished_jobs_do_not_evict_an_agencys_finished_job(tmp_path):
    async with _Worker(tmp_path, keep=3) as c:
        vn = await _load(c, LOADER_VN)
        for _ in range(3):
            await _load(c, LOADER_TH)
        polled = await c.get(vn["href"], headers=LOADER_VN)
        rejects = await c.get(vn["href"] + "/rejects", headers=LOADER_VN)
        listed = await _listed(c, LOADER_VN)
    assert (polled.status_code, rejects.status_code, listed) == (200, 200, [vn["id"]])


async def test_an_agencys_own_jobs_evict_its_oldest_finished_job_past_what_it_keeps(tmp_path):
    async with _Worker(tmp_path, keep=2) as c:
        th = [await _load(c, LOADER_TH) for _ in range(3)]
        polled = await c.get(th[0]["href"], headers=LOADER_TH)
        listed = await _listed(c, LOADER_TH)
    assert polled.status_code == 404 and listed == [th[2]["id"], th[1]["id"]]
    assert not (tmp_path / "uploads" / th[0]["id"]).exists()  # its status and report went with it


async def test_an_agencys_kept_reject_reports_are_bounded_and_evict_its_own_oldest_first(tmp_path):
    async with _Worker(tmp_path, load_kept_report_bytes_per_agency=KEPT_CAP) as c:
        vn = await _load(c, LOADER_VN, REJECTED)
        th = [await _load(c, LOADER_TH, REJECTED) for _ in range(4)]
        th_listed, vn_listed = await _listed(c, LOADER_TH), await _listed(c, LOADER_VN)
    reports = _kept_reports(tmp_path)
    assert th_listed == [th[3]["id"], th[2]["id"]] and vn_listed == [vn["id"]]
    assert sorted(reports) == sorted([vn["id"], th[3]["id"], th[2]["id"]])
    assert 140_000 < reports[th[3]["id"]] + reports[th[2]["id"]] <= KEPT_CAP


async def test_the_job_just_finished_is_kept_even_if_its_report_alone_passes_the_cap(tmp_path):
    async with _Worker(tmp_path, load_kept_report_bytes_per_agency=1_000) as c:
        th = [await _load(c, LOADER_TH, REJECTED) for _ in range(2)]
        rejects = await c.get(th[1]["href"] + "/rejects", headers=LOADER_TH)
        listed = await _listed(c, LOADER_TH)
    assert listed == [th[1]["id"]] and rejects.status_code == 200 and rejects.text.count("\n") > 100


async def test_an_agencys_jobs_on_another_worker_count_in_what_it_keeps(tmp_path):
    async with _Worker(tmp_path, load_kept_report_bytes_per_agency=KEPT_CAP) as first, \
            _Worker(tmp_path, load_kept_report_bytes_per_agency=KEPT_CAP) as second:
        oldest = await _load(first, LOADER_TH, REJECTED)
        later = [await _load(second, LOADER_TH, REJECTED) for _ in range(2)]
        polled = await first.get(oldest["href"], headers=LOADER_TH)
        listed = await _listed(first, LOADER_TH)
    assert polled.status_code == 404 and listed == [later[1]["id"], later[0]["id"]]
    assert sorted(_kept_reports(tmp_path)) == sorted(j["id"] for j in later)
