"""An upload refused while its disk is full (the flush of its open file fails) is still refused
as asked (429 here, never a 500) and gives its agency's queue place back: its directory and index
entry go (attack round 48: the close's error skipped the clean-up, and the agency's uploads were
refused until the worker restarted). /dev/full stands for the upload's file."""

import asyncio

import httpx
import pytest
from test_api_load_bytes_live import BOUNDARY
from test_api_load_jobs import LOADER_TH, _settings

import graphapi.ingest.load_upload as load_upload
from graphapi.app import create_app
from graphapi.ingest import job_index

pytestmark = [pytest.mark.asyncio(loop_scope="session")]

HEADERS = {**LOADER_TH, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
HEAD = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\ncsv\r\n"
        f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"mapping\"\r\n\r\ncdr\r\n"
        f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"dryRun\"\r\n\r\ntrue\r\n"
        f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cdr.csv\"\r\n"
        f"Content-Type: text/csv\r\n\r\nrecord_id,caller\n").encode()


async def _over_the_cap():
    yield HEAD + b"CDR-1,0812345678\n" * 5  # buffered in the part's file, not yet flushed
    await asyncio.sleep(0)
    yield b"CDR-2,0812345678\n" * 200  # crosses the 2,000-byte cap: refused 429 before it is written


async def _tiny():
    yield HEAD + b"CDR-3,0812345678\n" + f"\r\n--{BOUNDARY}--\r\n".encode()


async def test_an_upload_refused_while_the_disk_is_full_gives_its_agencys_place_back(tmp_path, monkeypatch):
    real_open = load_upload.open_private
    monkeypatch.setattr(load_upload, "open_private", lambda path, mode="w", **kw: open("/dev/full", mode))
    app = create_app(_settings(tmp_path, load_queue_per_agency=1, load_pending_bytes_per_agency=2_000,
                               upload_min_free_bytes=0), store=None)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
                               base_url="http://lintas.test")
    try:
        refused = await client.post("/loads", headers=HEADERS, content=_over_the_cap())
        monkeypatch.setattr(load_upload, "open_private", real_open)  # the disk has room again
        later = await client.post("/loads", headers=HEADERS, content=_tiny())
    finally:
        await client.aclose()
        await app.state.load_jobs.close()
    left = [e.id for e in job_index.entries(tmp_path / "uploads", "TH-DSI")]
    assert refused.status_code == 429
    assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert later.status_code == 202
    assert left == [later.json()["id"]]
