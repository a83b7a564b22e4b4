"""What one agency may queue over /loads, and the disk floor every upload keeps (attack round 38b, 5):
one loader's token queued uploads without bound (12 of 12 answered 202 while two ran), each holding up
to LINTAS_MAX_UPLOAD_BYTES on the data directory's disk, the embedded store's AOF's too."""

from pathlib import Path

import httpx
import pytest
from test_api_load_jobs import LOADER_TH, LOADER_VN, _error, _settings, _wait, left_behind

from graphapi.app import create_app
from graphapi.security.audit import AuditLog

pytestmark = [pytest.mark.asyncio(loop_scope="session")]

HEADER = "record_id,caller,callee,start_time,duration_s,imei,cell_id,country\n"
#: 20,000 rows (~1.7 MB): a dry run long enough that the later uploads find the earlier ones unfinished
ROWS = "".join(f"CDR-Q-{i},08{10000000 + i},0899999999,2026-05-15 09:54:51,1,,TH-CELL-0001,TH\n"
               for i in range(20_000))
BODY = (HEADER + ROWS).encode()
SMALL = (HEADER + ROWS[:2_000]).encode()


def _form(body: bytes = BODY) -> dict:
    return {"data": {"kind": "csv", "mapping": "cdr", "dryRun": "true"},
            "files": {"file": ("cdr.csv", body, "text/csv")}}


class _App:
    """An app over ``tmp_path`` whose job processes are stopped at the end."""

    def __init__(self, tmp_path: Path, **settings) -> None:
        self.app = create_app(_settings(tmp_path, **settings), store=None)
        self.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url="http://lintas.test")

    async def __aenter__(self) -> httpx.AsyncClient:
        return self.client

    async def __aexit__(self, *exc) -> None:
        await self.client.aclose()
        await self.app.state.load_jobs.close()


def _held_uploads(tmp_path: Path) -> list[Path]:
    return [f for f in Path(tmp_path, "uploads").rglob("*") if f.is_file() and f.parent.parent.name == "files"]


async def test_one_agency_queues_at_most_four_unfinished_load_jobs_by_default(tmp_path):
    async with _App(tmp_path) as c:
        codes = [(await c.post("/loads", headers=LOADER_TH, **_form())).status_code for _ in range(12)]
        refused = await c.post("/loads", headers=LOADER_TH, **_form())
        jobs = (await c.get("/loads", headers=LOADER_TH)).json()["jobs"]
    assert codes == [202] * 4 + [429] * 8
    assert _error(refused) == (429, "RATE_LIMITED", "TH-DSI has 4 load job(s) uploading, queued or running, the "
                                                    "most it may; upload again when one has ended")
    assert len(jobs) == 4


async def test_another_agency_uploads_while_one_agencys_queue_is_full(tmp_path):
    async with _App(tmp_path, load_queue_per_agency=1) as c:
        first = await c.post("/loads", headers=LOADER_TH, **_form())
        again = await c.post("/loads", headers=LOADER_TH, **_form())
        other = await c.post("/loads", headers=LOADER_VN, **_form())
    assert [first.status_code, again.status_code, other.status_code] == [202, 429, 202]


async def test_an_agency_uploads_again_once_its_job_has_ended(tmp_path):
    async with _App(tmp_path, load_queue_per_agency=1) as c:
        first = await c.post("/loads", headers=LOADER_TH, **_form(SMALL))
        await _wait(c, LOADER_TH, first.json()["href"])
        again = await c.post("/loads", headers=LOADER_TH, **_form(SMALL))
    assert [first.status_code, again.status_code] == [202, 202]


async def test_an_upload_past_the_agencys_pending_bytes_is_refused_and_deleted(tmp_path):
    async with _App(tmp_path, load_pending_bytes_per_agency=1_000_000) as c:
        refused = await c.post("/loads", headers=LOADER_TH, **_form())  # ~1.7 MB
        small = await c.post("/loads", headers=LOADER_TH, **_form(SMALL))
    assert _error(refused) == (429, "RATE_LIMITED", "TH-DSI's unfinished load jobs would hold more than 1,000,000 "
                                                    "bytes of uploads; upload again when one has ended")
    assert small.status_code == 202
    assert [f.name for f in _held_uploads(tmp_path)] in ([], ["cdr.csv"])  # the small one's, until it ends


async def test_an_upload_with_no_declared_length_is_stopped_as_it_passes_the_pending_bytes(tmp_path):
    boundary = "lintas-boundary"
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\ncsv\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="mapping"\r\n\r\ncdr\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="cdr.csv"\r\n\r\n').encode()

    async def chunked():
        yield head
        for start in range(0, len(BODY), 65_536):
            yield BODY[start:start + 65_536]
        yield f"\r\n--{boundary}--\r\n".encode()

    async with _App(tmp_path, load_pending_bytes_per_agency=1_000_000) as c:
        multipart = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        refused = await c.post("/loads", headers={**LOADER_TH, **multipart}, content=chunked())
    assert _error(refused)[:2] == (429, "RATE_LIMITED")
    assert left_behind(Path(tmp_path, "uploads")) == []


async def test_an_upload_under_the_disks_free_space_floor_is_refused_507_and_audited(tmp_path):
    async with _App(tmp_path, upload_min_free_bytes=1 << 60) as c:
        refused = await c.post("/loads", headers=LOADER_TH, **_form(SMALL))
    assert _error(refused) == (507, "INSUFFICIENT_STORAGE", "the server has too little disk space left for uploads; "
                                                            "nothing was loaded, try again later")
    [entry] = [e for e in AuditLog(tmp_path / "audit.jsonl").entries() if e["operation"] == "load.start"]
    assert (entry["subject"], entry["outcome"]) == ("feed-th", "error:INSUFFICIENT_STORAGE")


async def test_a_refused_queue_place_is_audited_for_the_loader(tmp_path):
    async with _App(tmp_path, load_queue_per_agency=1) as c:
        await c.post("/loads", headers=LOADER_TH, **_form())
        await c.post("/loads", headers=LOADER_TH, **_form())
    refusals = [e for e in AuditLog(tmp_path / "audit.jsonl").entries()
                if e["operation"] == "load.start" and e["outcome"] != "ok"]
    assert [(e["subject"], e["outcome"]) for e in refusals] == [("feed-th", "error:RATE_LIMITED")]
