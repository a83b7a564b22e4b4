"""A load job's hit on another agency's hidden data is in the owner's audit log before its refusal
shows in the reject report, so killing the job's process (kill -9) never leaves a shown hit
unaudited (graphapi/ingest/load_process.py).

Before: the process sent its hits only after the load, after writing the refusals ("restricted:
<id> is held by <owner>") to the reject report the uploader reads; killed in between, the API
never heard of them. The test makes the reject report a FIFO that it reads slowly: the process
blocks writing refusals, the test kills it as soon as one refusal shows, then reads the log.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
from pathlib import Path

import pytest

from graphapi.ingest.load_audit import _end_auditor, _hit_auditor
from graphapi.ingest.load_jobs import LoadJobs
from graphapi.ingest.records import NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.security.audit import AuditLog
from graphapi.security.principal import Principal

pytestmark = [pytest.mark.backends, pytest.mark.asyncio(loop_scope="session")]

MM = Principal(subject="loader", agency="MM-MPF", roles=frozenset({"loader"}))
HIDDEN = [f"+8551234{i:05d}" for i in range(600)]  # ~250 bytes of refusal each: past a pipe's 64 KiB


async def _first_refusal(fifo: Path, job) -> str:
    """Read the FIFO until a line of it is a hit's refusal; the writer then blocks on a full pipe."""
    fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    data = b""
    try:
        while True:
            try:
                chunk = os.read(fd, 4096)
            except BlockingIOError:
                chunk = None
            if chunk:
                data += chunk
                for line in data.split(b"\n")[:-1]:
                    if b"restricted:" in line:
                        return json.loads(line)["raw"]["id"]
            elif job.finished:
                raise AssertionError(f"the load ended before a refusal showed: {job.error} {job.summary} {data[:500]}")
            else:
                await asyncio.sleep(0.01)
    finally:
        os.kill(job.worker_pid, signal.SIGKILL)  # as soon as a hit shows (or the test gives up)
        os.close(fd)


async def test_a_hit_shown_in_the_reject_report_of_a_killed_load_is_in_the_owners_audit(backend_empty_store,
                                                                                          tmp_path: Path):
    store = backend_empty_store
    await write_records(store, [NodeRecord("Phone", f"phone:{n}", {"number": n}) for n in HIDDEN],
                        provenance=Provenance(owner="KH-NP", tlp="RED"), source="kh")
    feed = tmp_path / "cdr.csv"
    feed.write_text("record_id,caller,callee,start_time,duration_s,imei,cell_id,country\n" + "".join(
        f"r{i},{n},+66812345{i:03d},2024-03-01 10:00:00,60,,,KH\n" for i, n in enumerate(HIDDEN)))
    fifo = tmp_path / "rejects.jsonl"
    os.mkfifo(fifo)
    log = AuditLog(tmp_path / "audit.jsonl")
    job = LoadJobs().start(store, "csv", [feed], owner="MM-MPF", mapping="cdr", reject_report=fifo,
                           on_finish=_end_auditor(log, MM, "req-1"), on_hits=_hit_auditor(log, MM, "req-1"))
    shown = await asyncio.wait_for(_first_refusal(fifo, job), 120)
    await asyncio.wait_for(job.task, 120)
    assert job.state == "failed"
    entries = [json.loads(line) for line in (tmp_path / "audit.jsonl").read_text().splitlines()]
    audited = {i for e in entries if e["kind"] == "hit" for i, owner in e["arguments"]["restricted"]}
    assert shown in audited
    assert audited == {f"phone:{n}" for n in HIDDEN}  # every hit of the load, before any showed
    assert {tuple(e["arguments"]["agencies"]) for e in entries if e["kind"] == "hit"} == {("KH-NP",)}
