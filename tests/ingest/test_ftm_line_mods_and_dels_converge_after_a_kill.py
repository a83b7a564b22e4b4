"""A delta of MODs and DELs of FtM lines (line statements: docs/provenance.md) killed after any one
of its writes, then run again, ends as one uninterrupted run (attack round a-69: what a line said
before is found by the line, so a rerun finds what a killed run left)."""

import json

import pytest
from store_kills import converges_after_each_kill

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends

PROV = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00Z")
ANNA = {"id": "per-1", "schema": "Person", "properties": {"name": ["Anna"]}}
BEA = {"id": "per-2", "schema": "Person", "properties": {"name": ["Bea"]}}
PASSPORT = {"id": "pp-1", "schema": "Passport",
            "properties": {"number": ["AA123"], "country": ["th"], "holder": ["per-1"]}}
SECOND = {"id": "pp-2", "schema": "Passport", "properties": {"number": ["BB9"], "country": ["th"], "holder": ["per-1"]}}


def _with(entity: dict, **props: list[str]) -> dict:
    return {**entity, "properties": {**entity["properties"], **props}}


async def _load(store, tmp_path, name: str, *lines: dict) -> None:
    path = tmp_path / name
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    await run_load(store, FtmReader([path], source="ftm"), source="ftm", provenance=PROV, batch_size=2)


async def _graph(store):
    (row,) = await store.read("admin/snapshot")
    return (sorted(json.dumps(n, sort_keys=True) for n in row["nodes"] if "WriteLease" not in n["labels"]),
            sorted(json.dumps(r, sort_keys=True) for r in row["relationships"] if r.get("type")))


async def test_line_mods_and_dels_killed_after_any_write_end_as_one_run(empty_store, tmp_path, monkeypatch):
    async def start():
        await empty_store.clear()
        await _load(empty_store, tmp_path, "add.json", ANNA, BEA, PASSPORT, SECOND)

    async def run():
        await _load(empty_store, tmp_path, "delta.json",
                    {"op": "MOD", "entity": _with(PASSPORT, number=["CC7"], holder=["per-2"])},
                    {"op": "DEL", "entity": _with(SECOND, holder=["per-2"])})

    writes = await converges_after_each_kill(empty_store, monkeypatch, start, run, lambda: _graph(empty_store))
    # it covered the writes of each part: the MOD's statements, the line statements' DEL and rebuild,
    # the DEL of the documents no line states any more
    assert {"provenance/write_statements", "provenance/retract_line_statements", "ingest/mark_rebuild",
            "ingest/delete_nodes"} <= set(writes)


async def test_call_lines_modded_and_deleted_as_passports_lose_their_called_after_any_kill(
        empty_store, tmp_path, monkeypatch):
    # the rerun found "was a Call" only by the line's USES_PHONE statements, which the killed run had
    # retracted: the CALLED stayed for good (a-83, F1); one Call line MOD'd, one DEL'd, in one run
    calls = [{"id": f"c-{n}", "schema": "Call", "properties": {
        "callerNumber": [f"+6681111111{n}"], "receiverNumber": [f"+6682222222{n}"], "caller": ["per-1"],
        "receiver": ["per-2"], "date": ["2024-03-01"]}} for n in (1, 2)]

    async def start():
        await empty_store.clear()
        await _load(empty_store, tmp_path, "add.json", ANNA, BEA, *calls)

    async def run():
        await _load(empty_store, tmp_path, "delta.json", {"op": "MOD", "entity": {**PASSPORT, "id": "c-1"}},
                    {"op": "DEL", "entity": {"id": "c-2", "schema": "Passport", "properties": {}}})

    writes = await converges_after_each_kill(empty_store, monkeypatch, start, run, lambda: _graph(empty_store))
    assert "provenance/retract_statements" in writes
    (row,) = await empty_store.read("admin/snapshot")
    assert [r for r in row["relationships"] if r.get("type") == "CALLED"] == []
