"""A load job's hits on other agencies' data reach the API and the owners' audit, however many
(graphapi/ingest/load_process.py): a 40,000-row load's summary line used to outgrow the reader's
line limit, fail the job with asyncio's text and leave the owners' audit without the hits."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from graphapi.ingest import load_jobs
from graphapi.ingest.load_audit import _end_auditor, _hit_auditor
from graphapi.ingest.load_jobs import LoadJobs
from graphapi.ingest.load_process import (
    HITS_PER_LINE,
    UNREADABLE,
    LoadProcessError,
    hit_messages,
    read_reports,
)
from graphapi.security.principal import Principal

MM = Principal(subject="loader", agency="MM-MPF", roles=frozenset({"loader"}))


def _hits(n: int) -> list[tuple[str, str]]:
    return [(f"phone:+8551234{i:05d}", "KH-NP") for i in range(n)]


def _reader(messages: list[dict[str, Any]], limit: int = 2 ** 16) -> asyncio.StreamReader:
    reader = asyncio.StreamReader(limit=limit)  # asyncio's default line limit
    reader.feed_data(b"".join(json.dumps(m).encode() + b"\n" for m in messages))
    reader.feed_eof()
    return reader


class _Sink:
    def __init__(self) -> None:
        self.entries: list[dict[str, Any]] = []

    def record(self, principal: Any, operation: str, arguments: Any, size: Any = None, **kw: Any) -> None:
        self.entries.append({"operation": operation, "arguments": arguments, "size": size, **kw})


def test_hits_travel_in_lines_of_at_most_500_pairs_in_order() -> None:
    lines = hit_messages(_hits(1_234))
    assert [len(m["hits"]) for m in lines] == [HITS_PER_LINE, HITS_PER_LINE, 234]
    assert [tuple(p) for m in lines for p in m["hits"]] == _hits(1_234)


async def test_report_of_40000_hits_reads_under_asyncios_default_line_limit() -> None:
    met: list[tuple[str, str]] = []
    messages = [{"pid": 7}, *hit_messages(_hits(40_000)), {"summary": {"rows_read": 40_000}, "restrictedIds": []}]
    result = await read_reports(_reader(messages), met=met.extend)
    assert result == {"summary": {"rows_read": 40_000}, "restrictedIds": []}
    assert met == _hits(40_000)


async def test_report_line_past_the_limit_fails_with_a_plain_reason_keeping_the_hits_before_it() -> None:
    met: list[tuple[str, str]] = []
    messages = [*hit_messages(_hits(600)), {"summary": {"note": "x" * 100_000}, "restrictedIds": []}]
    try:
        await read_reports(_reader(messages), met=met.extend)
    except LoadProcessError as exc:
        assert str(exc) == UNREADABLE and "limit" not in str(exc)
    else:
        raise AssertionError("an unreadable report must fail the job")
    assert met == _hits(600)


async def test_failed_load_job_audits_its_hits_for_the_owner(monkeypatch, tmp_path: Path) -> None:
    async def fails_after_hits(spec, *, progress=None, started=None, met=None):
        await met(_hits(3))  # a job's met charges the lookup budget first: a coroutine
        raise LoadProcessError(UNREADABLE)

    monkeypatch.setattr(load_jobs, "run_load_process", fails_after_hits)
    sink = _Sink()
    feed = tmp_path / "cdr.csv"
    feed.write_text("record_id,caller,callee\n")
    job = LoadJobs().start(None, "csv", [feed], owner="MM-MPF", mapping="cdr", dry_run=True,
                           on_finish=_end_auditor(sink, MM, "req-1"), on_hits=_hit_auditor(sink, MM, "req-1"))
    await asyncio.wait_for(job.task, 30)
    assert (job.state, job.error) == ("failed", UNREADABLE)
    hit = next(e for e in sink.entries if e.get("kind") == "hit")
    assert hit["arguments"]["agencies"] == ["KH-NP"]
    assert hit["arguments"]["restricted"] == [[i, "KH-NP"] for i, _ in _hits(3)]
    assert hit["request_id"] == "req-1"


async def test_load_job_failing_inside_the_api_shows_no_exception_text(monkeypatch, tmp_path: Path) -> None:
    async def breaks(spec, **_: Any):
        raise ValueError("Separator is found, but chunk is longer than limit")

    monkeypatch.setattr(load_jobs, "run_load_process", breaks)
    feed = tmp_path / "cdr.csv"
    feed.write_text("record_id,caller,callee\n")
    job = LoadJobs().start(None, "csv", [feed], owner="MM-MPF", mapping="cdr", dry_run=True)
    await asyncio.wait_for(job.task, 30)
    assert (job.state, job.error) == ("failed", LoadJobs.INTERNAL)
