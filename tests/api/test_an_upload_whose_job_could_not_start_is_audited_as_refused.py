"""An upload whose job could not start is audited as a refused start, never as a start "ok" that
never ran: the disk filled after the upload was stored and its start audited ok, before the job
was indexed again to start (attack round 51, 2): the client got 503 "nothing was loaded", and the
audit log kept a ``load.start`` ok with no end and no refusal. The start is now audited ok last,
once nothing else can stop the job; and a start audit that cannot be written runs no job. A start the
store failed is audited as refused too (e-fix51 left it unaudited)."""
import errno
from types import SimpleNamespace

import httpx
import pytest
from test_api_load_jobs import CDR, LOADER_TH, _settings

import graphapi.ingest.load_jobs as load_jobs
from graphapi.app import create_app
from graphapi.ingest import job_index
from graphapi.security.audit import AuditLog
from graphapi.security.audit_verify import verify_log
from graphapi.store import StoreUnavailable

pytestmark = [pytest.mark.asyncio(loop_scope="session")]
NOT_LOADED = "the upload could not be stored or audited; nothing was loaded"


def _enospc(*_a, **_k):
    raise OSError(errno.ENOSPC, "No space left on device")


async def _upload(app):
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://lintas.test") as c:
        r = await c.post("/loads", headers=LOADER_TH, data={"kind": "csv", "mapping": "cdr", "dryRun": "true"},
                         files={"file": ("c.csv", CDR, "text/csv")})
    await app.state.load_jobs.close()
    return r.status_code, r.json()["errors"][0]["message"]


def _starts(tmp_path):
    return [(e["outcome"], e["arguments"].get("reason")) for e in AuditLog(tmp_path / "audit.jsonl").entries()
            if e["operation"] == "load.start"]


async def test_a_job_the_full_disk_kept_from_starting_is_audited_as_refused_not_started(tmp_path, monkeypatch):
    app = create_app(_settings(tmp_path, upload_min_free_bytes=0), store=None)
    # the upload is stored and indexed; LoadJobs.start's own index write finds the disk full
    monkeypatch.setattr(load_jobs, "job_index", SimpleNamespace(**{**vars(job_index), "started": _enospc}))
    ran = []
    monkeypatch.setattr(load_jobs, "run_load_process", lambda *a, **k: ran.append(a))
    assert await _upload(app) == (503, NOT_LOADED)
    assert _starts(tmp_path) == [("error:SERVICE_UNAVAILABLE", f"{NOT_LOADED} (No space left on device)")]
    assert (ran, app.state.load_jobs.list()) == ([], [])
    assert verify_log(tmp_path / "audit.jsonl").ok


async def test_a_start_whose_audit_could_not_be_written_runs_no_job(tmp_path, monkeypatch):
    app = create_app(_settings(tmp_path, upload_min_free_bytes=0), store=None)
    sink = app.state.security.audit
    record = sink.record

    def full_for_starts(principal, operation, arguments, *rest, outcome="ok", **kw):
        if (operation, outcome) == ("load.start", "ok"):
            _enospc()
        return record(principal, operation, arguments, *rest, outcome=outcome, **kw)

    monkeypatch.setattr(sink, "record", full_for_starts)
    ran = []
    monkeypatch.setattr(load_jobs, "run_load_process", lambda *a, **k: ran.append(a))
    assert await _upload(app) == (503, NOT_LOADED)
    assert _starts(tmp_path) == [("error:SERVICE_UNAVAILABLE", f"{NOT_LOADED} (No space left on device)")]
    assert (ran, app.state.load_jobs.list(), list((tmp_path).glob("uploads/*/files"))) == ([], [], [])


async def test_a_start_the_store_failed_is_audited_as_refused(tmp_path, monkeypatch):
    app = create_app(_settings(tmp_path, upload_min_free_bytes=0), store=None)

    def store_down(*_a, **_k):
        raise StoreUnavailable("the store is down")

    monkeypatch.setattr(load_jobs, "job_index", SimpleNamespace(**{**vars(job_index), "started": store_down}))
    ran = []
    monkeypatch.setattr(load_jobs, "run_load_process", lambda *a, **k: ran.append(a))
    status, _ = await _upload(app)
    assert (status, _starts(tmp_path)) == (503, [("error:SERVICE_UNAVAILABLE",
                                                  "the graph store is unavailable; try again shortly")])
    assert (ran, app.state.load_jobs.list()) == ([], [])
