"""A pending mark whose finish keeps failing stops only the loads that would write what it names.

Attack round 41a, 4: the public feed's DEL of Anna was killed after its statements went and its
finish then failed every time (a poison batch); every later load of every agency retried the same
finish and stopped, and no command showed or removed the mark. Now the failed finish is noted on
the mark (attempts, last error), a load that writes neither its items nor its source goes on, one
of its source or by its owner naming its items still stops (attack round 39a, 1; another agency's
naming them goes on: test_a_stuck_mark_stops_only_the_writes_its_finish_would_undo), and an operator
lists, retries or drops it (``lintas admin pending``; a drop is audited).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ingest_helpers import node_props
from store_kills import die_after

from graphapi.ingest import pending_retractions
from graphapi.ingest.pending_admin import drop_mark, list_marks, retry_mark
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance
from graphapi.security.audit import AuditLog
from graphapi.store.errors import PendingRetractionUnfinished, StoreTimeout

pytestmark = [pytest.mark.backends, pytest.mark.asyncio(loop_scope="session")]

PUBLIC = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00Z")
TH = Provenance(owner="TH-DSI", tlp="AMBER", seen="2026-01-01T00:00:00Z")
ANNA = {"id": "p-1", "schema": "Person", "properties": {"name": ["Anna Schmidt"]}}
ANNA_BY_TH = {"id": "p-1", "schema": "Person", "properties": {"name": ["Anna Schmidt"], "nationality": ["de"]}}
SOMCHAI = {"id": "th-9", "schema": "Person", "properties": {"name": ["Somchai Wong"]}}


async def _load(store, tmp_path: Path, name: str, prov: Provenance, source: str, *lines: dict):
    path = tmp_path / name
    path.write_text("".join(json.dumps(e) + "\n" for e in lines), encoding="utf-8")
    return await run_load(store, FtmReader([path], source=source), source=source, provenance=prov)


async def _stuck_del(store, tmp_path: Path, monkeypatch) -> None:
    """The public feed's DEL of Anna killed after its statements went; its finish then times out every time."""
    await store.clear()
    await _load(store, tmp_path, "t1.json", PUBLIC, "ftm", ANNA)
    with monkeypatch.context() as m:
        die_after(store, m, lambda name: name == "provenance/retract_statements")
        with pytest.raises(OSError):
            await _load(store, tmp_path, "t2.delta.json", PUBLIC, "ftm", {"op": "DEL", "entity": ANNA})
    assert len(await store.read("ingest/pending_retractions", {})) == 1

    async def poison(*args, **kwargs):
        raise StoreTimeout("Query timed out")

    monkeypatch.setattr(pending_retractions, "retract_node_batch", poison)


async def test_another_agencys_unrelated_load_goes_on_past_a_stuck_mark(empty_store, tmp_path, monkeypatch):
    store = empty_store
    await _stuck_del(store, tmp_path, monkeypatch)
    for attempt in range(3):
        summary = await _load(store, tmp_path, f"th{attempt}.json", TH, "th-cases", SOMCHAI)
        assert (summary.rows_read, summary.rows_loaded, summary.rows_rejected) == (1, 1, 0)
    assert (await node_props(store, "th-9")).get("name") == "Somchai Wong"


async def test_the_marks_owners_load_naming_its_item_still_stops(empty_store, tmp_path, monkeypatch):
    store = empty_store
    await _stuck_del(store, tmp_path, monkeypatch)
    with pytest.raises(PendingRetractionUnfinished):  # another agency's goes on (attack round 42b, 2)
        await _load(store, tmp_path, "more.json", PUBLIC, "public-extra", SOMCHAI, ANNA_BY_TH)
    assert "nationality" not in await node_props(store, "p-1")  # nothing written over her


async def test_a_load_of_the_stuck_marks_source_still_stops(empty_store, tmp_path, monkeypatch):
    store = empty_store
    await _stuck_del(store, tmp_path, monkeypatch)
    with pytest.raises(PendingRetractionUnfinished):  # its finish, later, would retract what the feed writes now
        await _load(store, tmp_path, "t3.json", PUBLIC, "ftm", SOMCHAI)
    assert await node_props(store, "th-9") == {}


async def test_the_list_shows_the_stuck_marks_attempts_and_last_error(empty_store, tmp_path, monkeypatch):
    store = empty_store
    await _stuck_del(store, tmp_path, monkeypatch)
    for attempt in range(2):
        await _load(store, tmp_path, f"th{attempt}.json", TH, "th-cases", SOMCHAI)
    [mark] = await list_marks(store)
    assert (mark.kind, mark.source, mark.owner, mark.items) == ("del", "ftm", "public", 1)
    assert mark.attempts == 2
    assert mark.last_error == "StoreTimeout: Query timed out"
    assert 0 <= mark.age_s() < 600


async def test_a_retry_that_succeeds_finishes_the_mark(empty_store, tmp_path, monkeypatch):
    store = empty_store
    await _stuck_del(store, tmp_path, monkeypatch)
    await _load(store, tmp_path, "th.json", TH, "th-cases", SOMCHAI)
    [mark] = await list_marks(store)
    still = await retry_mark(store, mark.id)
    assert [s.mark for s in still.stuck] == [mark.id]
    assert (await list_marks(store))[0].attempts == 2
    monkeypatch.undo()  # the cause fixed
    finished = await retry_mark(store, mark.id)
    assert [b.mark for b, _ in finished.done] == [mark.id]
    assert await list_marks(store) == []
    assert await node_props(store, "p-1") == {}  # the DEL done: Anna gone


async def test_a_drop_removes_the_mark_and_is_audited_first(empty_store, tmp_path, monkeypatch):
    store = empty_store
    await _stuck_del(store, tmp_path, monkeypatch)
    await _load(store, tmp_path, "th.json", TH, "th-cases", SOMCHAI)
    [mark] = await list_marks(store)
    audit = AuditLog(tmp_path / "audit.jsonl")
    await drop_mark(store, mark.id, audit=audit, operator="ops-anna", reason="poison batch, ticket 41")
    assert await list_marks(store) == []
    [entry] = list(audit.entries())
    assert (entry["subject"], entry["operation"], entry["outcome"]) == ("ops-anna", "pending.drop", "ok")
    args = entry["arguments"]
    assert (args["mark"], args["source"], args["owner"], args["ids"], args["attempts"], args["reason"]) == (
        mark.id, "ftm", "public", ["p-1"], 1, "poison batch, ticket 41")
    summary = await _load(store, tmp_path, "t3.json", PUBLIC, "ftm", SOMCHAI)  # the feed loads again
    assert summary.rows_loaded == 1


async def test_a_drop_needs_a_reason_and_keeps_the_mark_without_one(empty_store, tmp_path, monkeypatch):
    store = empty_store
    await _stuck_del(store, tmp_path, monkeypatch)
    [mark] = await list_marks(store)
    with pytest.raises(ValueError, match="reason"):
        await drop_mark(store, mark.id, audit=AuditLog(tmp_path / "audit.jsonl"), operator="ops", reason=" ")
    assert [m.id for m in await list_marks(store)] == [mark.id]


async def test_dropping_or_retrying_an_unknown_mark_says_so(empty_store, tmp_path):
    store = empty_store
    await store.clear()
    with pytest.raises(KeyError):
        await retry_mark(store, "no-such-mark")
    with pytest.raises(KeyError):
        await drop_mark(store, "no-such-mark", audit=AuditLog(tmp_path / "audit.jsonl"), operator="ops", reason="x")
    assert not (tmp_path / "audit.jsonl").exists() or not list(AuditLog(tmp_path / "audit.jsonl").entries())


async def test_a_later_mark_naming_a_stuck_marks_item_waits_for_it(empty_store, tmp_path, monkeypatch):
    store = empty_store
    await _stuck_del(store, tmp_path, monkeypatch)
    await store.write("ingest/mark_rebuild", {"mark": "zz-rebuild", "type": "", "ids": ["p-1"], "said": [],
                                              "owner": "TH-DSI", "referred": [], "referrer": ""})
    # (a replace's rebuild of Anna, marked after)
    await _load(store, tmp_path, "th.json", TH, "th-cases", SOMCHAI)
    marks = {m.id: m for m in await list_marks(store)}
    assert "zz-rebuild" in marks  # not rebuilt over her before the DEL's finish
    assert marks["zz-rebuild"].attempts == 0
