"""File load jobs run in a process of their own (graphapi/ingest/load_jobs.py, load_process.py):
a bounded number at once, stopped with the server, failing with a reason fit for the poller."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from graphapi.ingest.load_jobs import LoadJobs
from graphapi.ingest.load_process import store_connection
from graphapi.settings import Neo4jSettings, Settings
from graphapi.store.embedded_server import pid_alive


def _ftm_file(path: Path, people: int) -> Path:
    path.write_text("\n".join(json.dumps({"id": f"p{j}", "schema": "Person", "properties": {
        "name": [f"Person {j} name {i}" for i in range(100)]}}) for j in range(people)) + "\n")
    return path


async def _until(condition, polls: int = 30_000) -> None:
    for _ in range(polls):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition not reached")


async def test_load_job_runs_in_another_process_and_reports_its_summary(tmp_path: Path) -> None:
    jobs = LoadJobs()
    job = jobs.start(None, "ftm", [_ftm_file(tmp_path / "p.json", 3)], owner="TH-DSI", dry_run=True)
    await asyncio.wait_for(job.task, 120)
    assert job.worker_pid is not None and job.worker_pid != os.getpid()
    assert (job.state, job.summary.rows_read, job.summary.source) == ("done", 3, "ftm@TH-DSI")


async def test_load_job_cancelled_when_the_server_shuts_down_stops_its_process(tmp_path: Path) -> None:
    jobs = LoadJobs()
    job = jobs.start(None, "ftm", [_ftm_file(tmp_path / "big.json", 1_000)], owner="TH-DSI", dry_run=True)
    await _until(lambda: job.worker_pid is not None or job.finished)
    await jobs.close()
    assert (job.state, job.error) == ("failed", "cancelled: the server shut down; upload the file again")
    assert not pid_alive(job.worker_pid)


async def test_load_jobs_past_the_running_limit_wait_queued(tmp_path: Path) -> None:
    jobs = LoadJobs(running=1)
    first = jobs.start(None, "ftm", [_ftm_file(tmp_path / "a.json", 500)], owner="TH-DSI", dry_run=True)
    second = jobs.start(None, "ftm", [_ftm_file(tmp_path / "b.json", 2)], owner="TH-DSI", dry_run=True)
    await _until(lambda: first.worker_pid is not None or first.finished)
    assert (first.state, second.state, second.worker_pid) == ("running", "queued", None)
    await asyncio.wait_for(asyncio.gather(first.task, second.task), 300)
    assert (first.state, second.state) == ("done", "done")


async def test_load_job_that_fails_in_its_process_gives_the_reason_without_server_paths(tmp_path: Path) -> None:
    jobs = LoadJobs()
    feed = tmp_path / "files" / "cdr.csv"
    feed.parent.mkdir()
    feed.write_text("record_id,caller\nCDR-1,+66812345678\n")
    job = jobs.start(None, "csv", [feed], owner="TH-DSI", mapping="cdr", dry_run=True, directory=tmp_path)
    await asyncio.wait_for(job.task, 120)
    assert job.state == "failed" and "callee" in job.error and str(tmp_path) not in job.error


def test_store_connection_tells_the_jobs_process_how_to_reach_the_same_store(tmp_path: Path) -> None:
    embedded = SimpleNamespace(dialect="falkordb", data_dir=tmp_path, graph_name="g", timeout_ms=5_000)
    assert store_connection(embedded) == {"backend": "falkordb", "data_dir": str(tmp_path), "graph": "g",
                                          "timeout_ms": 5_000}
    neo4j = SimpleNamespace(dialect="neo4j", database="cases", timeout_s=7.5)
    settings = Settings(neo4j=Neo4jSettings(uri="bolt://127.0.0.1:7687", user="u", password="pw"))
    assert store_connection(neo4j, settings) == {"backend": "neo4j", "uri": "bolt://127.0.0.1:7687", "user": "u",
                                                 "password": "pw", "token": None, "database": "cases",
                                                 "timeout_ms": 7_500}
    assert store_connection(None) is None
    with pytest.raises(TypeError, match="cannot open a SimpleNamespace in its own process"):
        store_connection(SimpleNamespace(dialect="other"))
