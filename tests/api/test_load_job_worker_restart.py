"""A job killed with its API worker is abandoned after a restart, even one that got the dead worker's
pid (attack round 38b, 8): in the shipped container the API is PID 1 on every start, and the sweep
took a job directory naming pid 1 as its own, live: the killed job read ``running`` forever, its
upload and reject report (raw rows) stayed and its end was never audited. A worker is told by its
pid, start time and boot (``graphapi.ingest.worker_identity``)."""

import json
import os
import subprocess

import pytest
from test_api_load_jobs import LOADER_TH, _client

from graphapi.ingest.job_status import write_status
from graphapi.ingest.load_sweep import ABANDONED, OWNER_FILE, sweep_orphaned_uploads
from graphapi.ingest.worker_identity import worker_alive, worker_identity
from graphapi.private_files import private_dir
from graphapi.security.audit import AuditLog

pytestmark = [pytest.mark.asyncio(loop_scope="session")]

JOB = "0123456789abcdef0123456789abcdef"


def _killed_job(tmp_path, worker: str):
    """What a killed API left: a running job's directory, its upload and part of a reject report."""
    directory = tmp_path / "uploads" / JOB
    private_dir(directory.parent, exist_ok=True)
    private_dir(directory, exist_ok=False)
    (directory / OWNER_FILE).write_text(worker)
    (directory / "started-by.json").write_text(json.dumps({"subject": "feed-th", "agency": "TH-DSI"}))
    (directory / "files" / "1").mkdir(parents=True)
    (directory / "files" / "1" / "cases.csv").write_text("agency,...\nTH-DSI,...,Malee Victimname,victim\n")
    (directory / "rejects.jsonl").write_text('{"raw": {"full_name": "Malee Victimname"}}\n')
    write_status(directory, {"id": JOB, "kind": "csv", "state": "running", "rows": 11562, "rejected": 0,
                             "error": None, "summary": None, "owner": "TH-DSI", "createdBy": "feed-th",
                             "tlp": "RED", "sharedWith": [], "dryRun": False, "replace": False, "tz": None,
                             "mapping": "cases", "source": "partner-police-cases@TH-DSI", "files": ["cases.csv"],
                             "createdAt": "2026-12-05T23:42:23.812Z", "startedAt": "2026-12-05T23:42:23.821Z",
                             "finishedAt": None})
    return directory


def _same_pid_earlier_start() -> str:
    pid, ticks, boot = worker_identity().split()
    return f"{pid} {int(ticks) - 100} {boot}"  # the killed worker: this pid, started a second earlier


@pytest.mark.parametrize("worker", ["bare own pid", "own pid, earlier start", "own pid, other boot", "gone pid"])
async def test_a_job_killed_with_the_api_is_abandoned_after_a_restart_that_got_the_same_pid(tmp_path, worker):
    recorded = {"bare own pid": str(os.getpid()), "own pid, earlier start": _same_pid_earlier_start(),
                "own pid, other boot": worker_identity().rsplit(" ", 1)[0] + " another-boot",
                "gone pid": str(2**22 + 7)}[worker]
    directory = _killed_job(tmp_path, recorded)
    async with _client(None, tmp_path) as c:  # the restart: create_app sweeps
        job = (await c.get(f"/loads/{JOB}", headers=LOADER_TH)).json()
    assert (job["state"], job["error"]) == ("failed", ABANDONED)
    assert sorted(p.name for p in directory.iterdir()) == ["job.json"]  # upload and raw rows gone


async def test_the_end_of_a_job_killed_by_a_restart_with_the_same_pid_is_audited(tmp_path):
    _killed_job(tmp_path, _same_pid_earlier_start())
    log = AuditLog(tmp_path / "audit.jsonl")
    sweep_orphaned_uploads(tmp_path / "uploads", log)
    [end] = log.entries()
    assert (end["operation"], end["outcome"], end["subject"], end["arguments"]["job"]) == (
        "load.failed", "error", "feed-th", JOB)


async def test_a_live_workers_job_is_kept_by_the_sweep(tmp_path):
    directory = _killed_job(tmp_path, worker_identity())
    assert sweep_orphaned_uploads(tmp_path / "uploads") == []
    assert (directory / "files").exists() and (directory / "rejects.jsonl").exists()


async def test_a_worker_is_alive_only_as_the_process_that_recorded_itself():
    gone = subprocess.Popen(["true"])
    gone.wait()
    with subprocess.Popen(["sleep", "30"]) as other:
        try:
            recorded = worker_identity(other.pid)
            assert [worker_alive(recorded), worker_alive(worker_identity()), worker_alive(str(gone.pid)),
                    worker_alive(_same_pid_earlier_start()), worker_alive(""), worker_alive("-3")] == [
                True, True, False, False, False, False]
        finally:
            other.kill()
