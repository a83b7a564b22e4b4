"""The load path's memos change no value (issue 14: clean each distinct value once, correctness
unchanged): a call-record file naming one number in several formats, under two country hints,
on repeated and near-repeated rows, builds the same graph with every memo on, with the memo of
cleaned values held to a few values (emptied again and again), and with no memo at all.
Both backends."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from graphapi.ingest import guard as guard_module
from graphapi.ingest.mapping import column_rules, memo, plan, values
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers import mapped_rows
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.writer import Provenance

pytestmark = [pytest.mark.backends, pytest.mark.asyncio(loop_scope="session")]

PROV = Provenance(owner="TH-DSI", tlp="AMBER", seen="2026-03-01T00:00:00")
HEADER = "record_id,caller,callee,start_time,duration_s,imei,cell_id,country"
#: +66815550142 as written six ways under TH; the same texts under KH, where they are no number
#: (rejected: a memo by text alone would take the TH answer); a repeated row under another record
#: id; a placeholder number
ROWS = [
    "C1,+66815550142,+85510904499,2026-05-15 09:54:51,420,356938035643809,TH-CELL-1,TH",
    "C2,0815550142,+85510904499,2026-05-15 09:54:51,420,356938035643809,TH-CELL-1,TH",
    "C3,+66 81 555 0142,+855 10 904 499,2026-05-15 10:00:00,60,,TH-CELL-2,TH",
    "C4, 081-555-0142 ,010904499,2026-05-15 10:00:00,60,,TH-CELL-2,KH",
    "C5,0815550142,010904499,2026-05-15 10:05:00,61,,KH-CELL-9,KH",
    "C6,+66815550142,+85510904499,2026-05-15 09:54:51,420,356938035643809,TH-CELL-1,TH",
    "C7,66815550142,0815550142,2026-05-15 11:00:00,5,,TH-CELL-1,TH",
    "C8,N/A,+85510904499,2026-05-15 11:00:00,5,,TH-CELL-1,TH",
]


async def _graph(store, feed: Path) -> tuple[str, int, int]:
    """The graph ``feed`` builds in the cleared ``store`` (canonical JSON), rows loaded and rejected."""
    await store.clear()
    summary = await run_load(store, MappedCsvReader(load_mapping("cdr"), [feed]), source="memo-cdr",
                             provenance=PROV, batch_size=3)
    (snapshot,) = await store.read("admin/snapshot")
    nodes = sorted(({"labels": sorted(n["labels"]), "props": n["props"]} for n in snapshot["nodes"]),
                   key=lambda n: str(n["props"].get("id")))
    rels = sorted(snapshot["relationships"], key=lambda r: (r["type"], r["from"], r["to"], str(r["props"].get("id"))))
    return json.dumps({"nodes": nodes, "relationships": rels}, sort_keys=True), summary.rows_loaded, \
        summary.rows_rejected


def _no_memo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every value cleaned on every row, every entity made anew, every identifier judged anew."""
    def forget(table: dict[Any, Any], raw: Any, value: Any) -> None:
        return None

    monkeypatch.setattr(memo, "_CLEANED", {})
    for module in (memo, values, plan, column_rules):
        monkeypatch.setattr(module, "_remember", forget)
    monkeypatch.setattr(mapped_rows, "memo_columns", lambda spec: None)
    monkeypatch.setattr(guard_module, "_verdicts", lambda ex: {})


async def test_a_memo_emptied_again_and_again_builds_the_graph_no_memo_builds(
        backend_empty_store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    feed = tmp_path / "cdr.csv"
    feed.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    with monkeypatch.context() as off:
        _no_memo(off)
        without = await _graph(backend_empty_store, feed)
        assert not any(memo._CLEANED.values())  # nothing was remembered
    monkeypatch.setattr(memo, "_CLEANED", {})
    monkeypatch.setattr(memo, "_remembered", 0)
    monkeypatch.setattr(memo, "_CACHE_MAX", 3)
    bounded = await _graph(backend_empty_store, feed)
    assert sum(len(t) for t in memo._CLEANED.values()) <= 3  # held to its bound all along the load
    assert memo._remembered <= 3
    assert bounded == without
    assert without[1:] == (5, 3)  # C4 and C5 (no KH number) and C8 (no number) rejected
    monkeypatch.setattr(memo, "_CACHE_MAX", 500_000)
    assert await _graph(backend_empty_store, feed) == without  # the memo warm from the run before
    assert without[0].count('"id": "phone:+66815550142"') == 1  # one node of the six ways
