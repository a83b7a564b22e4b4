"""A load job's process is handed the gazetteers' node ids the API already read
(graphapi/ingest/load_process.py, ``LoadSpec.reference_ids``): reading and cleaning the gazetteers
again cost every new process ~0.04 s of CPU, ~6% of what a small job's process does."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from graphapi.ingest import load_process, reference_data
from graphapi.ingest.load_process import LoadSpec, run_load_process, store_connection
from graphapi.ingest.reference_data import ensure_reference_data, reference_ids

pytestmark = pytest.mark.asyncio(loop_scope="session")

CDR = ("record_id,caller,callee,start_time,duration_s,imei,cell_id,country\n"
       "CDR-R-1,0828301908,+85510904499,2026-05-15 09:54:51,420,353994661493921,TH-CELL-0080,TH\n")


class _FinishedProcess:
    """A load process that reads its spec and reports an empty summary."""

    def __init__(self) -> None:
        self.sent = b""
        self.stdin = self
        self.stdout = asyncio.StreamReader()
        self.stdout.feed_data(json.dumps({"summary": {"source": "cdr"}, "restrictedIds": []}).encode() + b"\n")
        self.stdout.feed_eof()
        self.returncode = 0

    def write(self, data: bytes) -> None:
        self.sent += data

    async def drain(self) -> None:
        return None

    def is_closing(self) -> bool:
        return False

    def close(self) -> None:
        return None

    async def wait(self) -> int:
        return 0


async def test_a_load_jobs_process_is_handed_the_gazetteer_ids_the_api_read(monkeypatch) -> None:
    process = _FinishedProcess()

    async def spawn(*args: Any, **kwargs: Any) -> _FinishedProcess:
        return process

    monkeypatch.setattr(load_process.asyncio, "create_subprocess_exec", spawn)
    spec = LoadSpec(kind="csv", paths=["cdr.csv"], source="cdr", owner="TH-DSI",
                    store={"backend": "falkordb", "data_dir": "/nowhere", "graph": "g", "timeout_ms": 1000})
    await run_load_process(spec)
    sent = json.loads(process.sent.splitlines()[0])
    assert sent["reference_ids"] == reference_ids() and "bank-th-ktb" in sent["reference_ids"]


async def test_a_dry_run_process_is_handed_no_gazetteer_ids(monkeypatch) -> None:
    process = _FinishedProcess()

    async def spawn(*args: Any, **kwargs: Any) -> _FinishedProcess:
        return process

    monkeypatch.setattr(load_process.asyncio, "create_subprocess_exec", spawn)
    await run_load_process(LoadSpec(kind="csv", paths=["cdr.csv"], source="cdr", owner="TH-DSI", dry_run=True))
    assert json.loads(process.sent.splitlines()[0])["reference_ids"] is None


@pytest.mark.backends
async def test_a_process_handed_the_gazetteer_ids_loads_without_reading_the_gazetteers(
        backend_empty_store, tmp_path: Path, monkeypatch) -> None:
    await ensure_reference_data(backend_empty_store)
    ids = reference_ids()  # as the API read them
    (tmp_path / "cdr.csv").write_text(CDR, encoding="utf-8")

    def unread(_deployment: str) -> tuple[str, ...]:
        raise AssertionError("the process read the gazetteers")

    monkeypatch.setattr(reference_data, "_reference_ids", unread)
    messages: list[dict[str, Any]] = []
    spec = LoadSpec(kind="csv", mapping="cdr", paths=[str(tmp_path / "cdr.csv")], source="cdr", owner="TH-DSI",
                    store=store_connection(backend_empty_store), reference_ids=ids)
    await load_process._child(spec, messages.append, lambda: "ok\n")
    summary = next(m["summary"] for m in messages if "summary" in m)
    assert (summary["rows_read"], summary["rows_loaded"], summary["rows_rejected"]) == (1, 1, 0)
