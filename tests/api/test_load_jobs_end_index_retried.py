"""A job's end that failed to index is indexed at a later eviction (attack round 45a, 4): a job was
indexed as ended only by the eviction pass its end ran, and one OSError there (the index folder's disk
full, EMFILE: the disk pressure the caps exist for) left it indexed as running for good: never counted
in its agency's caps nor evicted, listed as done beside the newest, until a restart's rebuild."""

import pytest
from test_api_load_jobs import LOADER_TH
from test_load_jobs_kept_per_agency import _listed, _load, _Worker

from graphapi.ingest import job_index

pytestmark = [pytest.mark.asyncio(loop_scope="session")]


def _ended_failing_once(monkeypatch) -> None:
    ended, fails = job_index.ended, [OSError(28, "No space left on device")]

    def ended_once_failing(*args, **kwargs):
        if fails:
            raise fails.pop()
        return ended(*args, **kwargs)

    monkeypatch.setattr(job_index, "ended", ended_once_failing)


async def test_a_job_whose_end_failed_to_index_is_evicted_with_the_agencys_oldest(tmp_path, monkeypatch):
    _ended_failing_once(monkeypatch)
    async with _Worker(tmp_path, keep=1) as c:
        first = await _load(c, LOADER_TH)
        later = [await _load(c, LOADER_TH) for _ in range(2)]
        listed = await _listed(c, LOADER_TH)
    assert listed == [later[1]["id"]]
    assert not (tmp_path / "uploads" / first["id"]).exists()


async def test_a_failed_index_of_a_jobs_end_leaves_the_job_done_with_no_error_in_its_task(tmp_path, monkeypatch):
    _ended_failing_once(monkeypatch)
    async with _Worker(tmp_path, keep=1) as c:
        job = await _load(c, LOADER_TH)  # awaits the job's task: it raised the OSError
        task = c.load_jobs.get(job["id"]).task
    assert (job["state"], task.exception()) == ("done", None)
