"""An agency's uploads streaming into one worker at once share its byte cap, counted live (attack
round 40b, 2): each counted only its own bytes past a snapshot at admit, so 3 x 0.6 MB all went in
under a 1 MB cap."""

import asyncio

import httpx
import pytest
from test_api_load_jobs import LOADER_TH, _settings

from graphapi.app import create_app

pytestmark = [pytest.mark.asyncio(loop_scope="session")]

HEADER = "record_id,caller,callee,start_time,duration_s,imei,cell_id,country\n"
ROW = "CDR-Q-{i},08{n},0899999999,2026-05-15 09:54:51,1,,TH-CELL-0001,TH\n"
CAP = 1_000_000  # bytes one agency's unfinished jobs may hold
BOUNDARY = "lintasboundary"


async def _body(tag: int):
    """A multipart body of ~0.6 MB, sent in 100 KB chunks with pauses (a slow client), no length."""
    yield (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\ncsv\r\n"
           f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"mapping\"\r\n\r\ncdr\r\n"
           f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"dryRun\"\r\n\r\ntrue\r\n"
           f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cdr{tag}.csv\"\r\n"
           f"Content-Type: text/csv\r\n\r\n{HEADER}").encode()
    i = 0
    sent = 0
    while sent < 600_000:
        chunk = "".join(ROW.format(i=i + k, n=10000000 + i + k) for k in range(1_200)).encode()
        i += 1_200
        sent += len(chunk)
        yield chunk
        await asyncio.sleep(0.01)  # the other upload streams meanwhile
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


async def test_two_concurrent_uploads_of_one_agency_hold_no_more_than_its_byte_cap(tmp_path):
    app = create_app(_settings(tmp_path, load_pending_bytes_per_agency=CAP, upload_min_free_bytes=0), store=None)
    headers = dict(LOADER_TH, **{"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"})
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lintas.test") as c:
            answers = await asyncio.gather(*(c.post("/loads", headers=headers, content=_body(t)) for t in range(3)))
            codes = [a.status_code for a in answers]
    finally:
        await app.state.load_jobs.close()
    assert sorted(codes) == [202, 429, 429]  # the one that went in holds 0.6 MB and its report's bound
    assert sorted(p.name for p in (tmp_path / "uploads").iterdir() if (p / "files").exists()) == []
