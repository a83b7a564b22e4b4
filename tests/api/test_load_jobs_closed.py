"""Closing the load jobs (app shutdown) leaves nothing running (attack round 45a, 5): close() cancelled
the eviction pass timed a grace after the last job's end, then the running jobs, and each cancelled
job's end started a new timer nobody cancelled: a task that slept the grace past the app's end and
then evicted under its uploads directory."""

import asyncio

import pytest
from test_api_load_jobs import LOADER_TH
from test_load_job_queue_limits import BODY, _form
from test_load_jobs_kept_per_agency import _Worker

pytestmark = [pytest.mark.asyncio(loop_scope="session")]


async def test_closing_the_jobs_while_one_runs_leaves_no_eviction_timer_running(tmp_path):
    worker = _Worker(tmp_path, load_kept_grace_s=30)
    jobs = worker.app.state.load_jobs
    async with worker as c:
        started = await c.post("/loads", headers=LOADER_TH, **_form(BODY * 3))
        assert started.status_code == 202, started.text
        await asyncio.sleep(0.3)  # its process is reading
        job = jobs.get(started.json()["id"])
        assert job.state in ("queued", "running")
    later = jobs._later
    try:
        assert (job.state, later is None or later.done()) == ("failed", True)
    finally:
        if later is not None:
            later.cancel()
