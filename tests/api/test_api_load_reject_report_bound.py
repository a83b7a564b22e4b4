"""A load job's reject report is bounded like its upload (attack round 40b, 3): a short bad row
became a JSON line with the file name, line, reason and raw row, so 100 KB of bad rows left a report
of 8.9 MB, outside the agency's byte cap and the disk floor. At most the upload + REPORT_SLACK bytes,
then a closing line counts the lines left out; the job's counts stay exact."""

import io
import json
from pathlib import Path

import httpx
import pytest
from test_api_load_jobs import LOADER_TH, _settings, _wait

from graphapi.app import create_app
from graphapi.ingest.reject_report import RAW_CHARS, BoundedReport, report_limit

pytestmark = [pytest.mark.asyncio(loop_scope="session")]

HEADER = "record_id,caller,callee,start_time,duration_s,imei,cell_id,country\n"
CAP = 200_000  # bytes one agency's unfinished jobs may hold
NAME = "c" * 200 + ".csv"  # the file name is repeated in every reject line


async def test_a_jobs_reject_report_is_bounded_like_its_upload(tmp_path):
    body = (HEADER + "x\n" * 50_000).encode()  # 100 KB of rows, every one rejected
    app = create_app(_settings(tmp_path, load_pending_bytes_per_agency=CAP, upload_min_free_bytes=0), store=None)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lintas.test") as c:
            for _ in range(3):  # one after another: each under the cap, each ended before the next
                answer = await c.post("/loads", headers=LOADER_TH, data={"kind": "csv", "mapping": "cdr",
                                      "dryRun": "true"}, files={"file": (NAME, body, "text/csv")})
                assert answer.status_code == 202, answer.text
                job = await _wait(c, LOADER_TH, answer.json()["href"])
                assert job["rejected"] == 50_000
    finally:
        await app.state.load_jobs.close()
    reports = [f.stat().st_size for f in Path(tmp_path, "uploads").rglob("rejects.jsonl")]
    assert len(reports) == 3 and max(reports) <= report_limit(len(body) + 1_000)  # + the multipart's framing


async def test_a_reject_reports_closing_line_counts_the_rejects_not_written(tmp_path):
    body = (HEADER + "x\n" * 50_000).encode()
    app = create_app(_settings(tmp_path, upload_min_free_bytes=0), store=None)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lintas.test") as c:
            answer = await c.post("/loads", headers=LOADER_TH, data={"kind": "csv", "mapping": "cdr", "dryRun": "true"},
                                  files={"file": (NAME, body, "text/csv")})
            job = await _wait(c, LOADER_TH, answer.json()["href"])
            report = (await c.get(job["href"] + "/rejects", headers=LOADER_TH)).text
    finally:
        await app.state.load_jobs.close()
    lines = [json.loads(x) for x in report.splitlines()]
    assert (job["rows"], job["rejected"], job["summary"]["rows_rejected"]) == (50_000, 50_000, 50_000)
    assert len(lines) - 1 + lines[-1]["notWritten"] == 50_000
    assert lines[-1]["reason"].startswith(f"{lines[-1]['notWritten']:,} further report line(s) not written")


async def test_a_rejected_rows_raw_value_is_cut_in_its_report_line(tmp_path):
    body = (HEADER + "y" * 5_000 + "\n").encode()
    app = create_app(_settings(tmp_path, upload_min_free_bytes=0), store=None)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lintas.test") as c:
            answer = await c.post("/loads", headers=LOADER_TH, data={"kind": "csv", "mapping": "cdr", "dryRun": "true"},
                                  files={"file": ("cdr.csv", body, "text/csv")})
            job = await _wait(c, LOADER_TH, answer.json()["href"])
            report = (await c.get(job["href"] + "/rejects", headers=LOADER_TH)).text
    finally:
        await app.state.load_jobs.close()
    lines = [json.loads(x) for x in report.splitlines()]
    assert job["rejected"] == 1
    assert (len(lines[0]["raw"]), lines[0]["rawTruncated"]) == (RAW_CHARS, True)


async def test_a_report_line_whose_raw_row_holds_a_unicode_line_separator_stays_one_line():
    out = io.StringIO()
    report = BoundedReport(out, 1 << 20)
    report.write(json.dumps({"file": "a.csv", "line": 2, "reason": "bad", "raw": "x\u2028y\x85z"},
                            ensure_ascii=False) + "\n")
    text = out.getvalue()
    assert [json.loads(line)["raw"] for line in text.split("\n") if line] == ["x\u2028y\x85z"]
