"""A whole-source replace (``run_load(..., replace=True)``, ``lintas load ... --replace``): once the
load has closed, what its source asserted before and it did not is retracted as a DEL would:
another source's or agency's assertions stay, an item goes only when nothing else asserts it, a
killed or rejecting load retracts nothing, and a second identical replace changes no count. On
both backends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ingest_helpers import graph_counts, node_props

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.base import ReadStats
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.records import NodeRecord, Origin
from graphapi.ingest.writer import Provenance, write_records
from graphapi.investigate.values import property_values
from graphapi.security import Principal

pytestmark = pytest.mark.asyncio(loop_scope="session")

PUBLIC = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00")
LATER = Provenance(owner="public", tlp="CLEAR", seen="2026-03-01T00:00:00")
READER = Principal("reader", agency="PH-NBI")
A = {"id": "per-a", "schema": "Person", "properties": {"name": ["Alpha"]}}
B = {"id": "per-b", "schema": "Person", "properties": {"name": ["Beta"]}}
C = {"id": "co-c", "schema": "Company", "properties": {"name": ["Gamma Co"]}}
OWNS = {"id": "own-ac", "schema": "Ownership", "properties": {"owner": ["per-a"], "asset": ["co-c"]}}


def _ftm(tmp_path: Path, name: str, *docs: dict, source: str = "ftm") -> FtmReader:
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(d) for d in docs) + "\n", encoding="utf-8")
    return FtmReader([path], source=source)


async def _names(store, node_id: str) -> dict[str, list[str]]:
    """name value -> its sources, as values(property:) answers a GREEN reader."""
    found = await property_values(store, READER, [node_id], "name")
    return {v.value: sorted(s.source for s in v.sources) for v in found[node_id]}


async def test_replace_deletes_a_node_and_its_relationship_the_source_no_longer_asserts(
        any_store, tmp_path: Path) -> None:
    await any_store.clear()
    await run_load(any_store, _ftm(tmp_path, "v1.json", A, B, C, OWNS), source="ftm", provenance=PUBLIC)
    s = await run_load(any_store, _ftm(tmp_path, "v2.json", B, C), source="ftm", provenance=LATER, replace=True)
    assert await graph_counts(any_store) == (2, 0)
    assert await node_props(any_store, "per-a") == {}
    assert (s.nodes_deleted, s.relationships_deleted, s.statements_retracted, s.replace_skipped) == (1, 1, 1, None)


async def test_replace_keeps_an_item_another_source_asserts_and_withdraws_only_its_own_source(
        any_store, tmp_path: Path) -> None:
    await any_store.clear()
    await run_load(any_store, _ftm(tmp_path, "v1.json", A, C, OWNS), source="ftm", provenance=PUBLIC)
    await run_load(any_store, _ftm(tmp_path, "p.json", A, C, OWNS, source="partner"), source="partner",
                   provenance=PUBLIC)
    s = await run_load(any_store, _ftm(tmp_path, "v2.json", C), source="ftm", provenance=LATER, replace=True)
    assert await graph_counts(any_store) == (2, 1)
    assert (s.nodes_deleted, s.nodes_retracted, s.relationships_deleted, s.relationships_retracted) == (0, 1, 0, 1)
    assert (await node_props(any_store, "per-a"))["sources"] == ["partner"]
    assert await _names(any_store, "per-a") == {"Alpha": ["partner"]}


async def test_replace_never_touches_another_agencys_statement_on_a_node_it_drops(
        any_store, tmp_path: Path) -> None:
    await any_store.clear()
    th = Provenance(owner="TH-DSI", tlp="GREEN")
    dated = {**A, "properties": {"name": ["Alpha"], "birthDate": ["1964"]}}
    await run_load(any_store, _ftm(tmp_path, "v1.json", dated, B), source="ftm", provenance=th)
    vn = NodeRecord("Person", "per-a", {"name": "Alpha", "birthDate": ["1964"]}, Origin("vn"))
    await write_records(any_store, [vn], provenance=Provenance(owner="VN-MPS", tlp="AMBER"))
    s = await run_load(any_store, _ftm(tmp_path, "v2.json", B), source="ftm", provenance=th, replace=True)
    # VN-MPS's statement keeps it, re-owned at VN-MPS's level: to TH-DSI, deleted (round 23, C1)
    assert (s.nodes_deleted, s.nodes_retracted, s.statements_retracted) == (1, 0, 1)
    found = await property_values(any_store, Principal("vn", agency="VN-MPS"), ["per-a"], "birthDate")
    assert {v.value: [x.source for x in v.sources] for v in found["per-a"]} == {"1964": ["vn"]}
    assert await _names(any_store, "per-a") == {}  # a GREEN reader may not see VN-MPS's AMBER statement


async def test_replace_drops_a_value_the_source_no_longer_gives_and_keeps_its_new_one(
        any_store, tmp_path: Path) -> None:
    await any_store.clear()
    await run_load(any_store, _ftm(tmp_path, "v1.json", A), source="ftm", provenance=PUBLIC)
    renamed = {**A, "properties": {"name": ["Alpha Renamed"]}}
    s = await run_load(any_store, _ftm(tmp_path, "v2.json", renamed), source="ftm", provenance=LATER,
                       replace=True)
    assert await _names(any_store, "per-a") == {"Alpha Renamed": ["ftm"]}
    stored = await node_props(any_store, "per-a")
    assert (stored["name"], stored.get("conflicts")) == ("Alpha Renamed", None)
    assert (s.values_retracted, s.statements_retracted, s.nodes_deleted) == (1, 0, 0)


async def test_replace_deletes_the_statement_of_a_dataset_that_no_longer_speaks_for_a_node(
        any_store, tmp_path: Path) -> None:
    await any_store.clear()
    docs = [{**A, "datasets": ["a"]}, {**A, "datasets": ["b"], "properties": {"name": ["Alpha B"]}}]
    await run_load(any_store, _ftm(tmp_path, "v1.json", *docs), source="ftm", provenance=PUBLIC)
    s = await run_load(any_store, _ftm(tmp_path, "v2.json", docs[0]), source="ftm", provenance=LATER, replace=True)
    assert await _names(any_store, "per-a") == {"Alpha": ["ftm:a"]}
    assert "ftm:b" not in (await node_props(any_store, "per-a"))["sources"]
    assert s.statements_retracted == 1


async def test_a_second_identical_replace_retracts_nothing_and_changes_no_count(any_store, tmp_path: Path) -> None:
    await any_store.clear()
    await run_load(any_store, _ftm(tmp_path, "v1.json", A, B, C, OWNS), source="ftm", provenance=PUBLIC)
    await run_load(any_store, _ftm(tmp_path, "v2.json", B, C), source="ftm", provenance=LATER, replace=True)
    before = await graph_counts(any_store)
    s = await run_load(any_store, _ftm(tmp_path, "v2.json", B, C), source="ftm", provenance=LATER, replace=True)
    assert await graph_counts(any_store) == before == (2, 0)
    assert (s.nodes_deleted, s.nodes_retracted, s.relationships_deleted, s.relationships_retracted,
            s.statements_retracted, s.values_retracted) == (0, 0, 0, 0, 0, 0)


async def _record_ids(store, node_id: str) -> dict[str, list[str]]:
    """name value -> the record ids its statements name, as values(property:) answers."""
    found = await property_values(store, READER, [node_id], "name")
    return {v.value: sorted(s.record_id for s in v.sources) for v in found[node_id]}


@pytest.mark.parametrize("seen", [PUBLIC, LATER], ids=["seen-the-same", "seen-later"])
async def test_a_value_a_replace_says_again_names_the_replacing_record(any_store, tmp_path: Path, seen) -> None:
    # new-user trial 8: values(name){sources{recordId}} still named v1.json's line after the
    # replace by v2.json, whose record was the only one left saying it
    await any_store.clear()
    await run_load(any_store, _ftm(tmp_path, "v1.json", A, B), source="ftm", provenance=PUBLIC)
    s = await run_load(any_store, _ftm(tmp_path, "v2.json", B), source="ftm", provenance=seen, replace=True)
    assert await _record_ids(any_store, "per-b") == {"Beta": ["v2.json:1"]}
    assert (s.statements_written, s.statements_seen) == (0, 1)  # the value is the same: seen again


async def test_a_replace_of_the_same_file_again_keeps_its_record_ids(any_store, tmp_path: Path) -> None:
    await any_store.clear()
    await run_load(any_store, _ftm(tmp_path, "v1.json", A, B), source="ftm", provenance=PUBLIC, replace=True)
    s = await run_load(any_store, _ftm(tmp_path, "v1.json", A, B), source="ftm", provenance=PUBLIC, replace=True)
    assert await _record_ids(any_store, "per-b") == {"Beta": ["v1.json:2"]}
    assert (s.statements_written, s.statements_seen) == (0, 0)


class _Records:
    def __init__(self, *items, fail_after: int | None = None):
        self.items, self.fail_after = items, fail_after
        self.stats = ReadStats(rows=len(items))

    def records(self):
        for i, item in enumerate(self.items):
            if i == self.fail_after:
                raise OSError("killed")  # as a load killed part way: what follows is never read
            yield item


def _person(node_id: str, name: str) -> NodeRecord:
    return NodeRecord("Person", node_id, {"name": name}, Origin("feed", "people.csv", 2))


async def test_a_replace_killed_part_way_retracts_nothing_and_its_rerun_retracts_only_the_dropped(
        any_store) -> None:
    await any_store.clear()
    people = [_person("per-1", "One"), _person("per-2", "Two"), _person("per-3", "Three")]
    await run_load(any_store, _Records(*people), source="feed", provenance=PUBLIC, batch_size=1)
    new_truth = people[:2]  # per-3 dropped; the killed run never reaches per-2
    with pytest.raises(OSError):
        await run_load(any_store, _Records(*new_truth, fail_after=1), source="feed", provenance=LATER,
                       batch_size=1, replace=True)
    assert await graph_counts(any_store) == (3, 0)
    s = await run_load(any_store, _Records(*new_truth), source="feed", provenance=LATER, batch_size=1,
                       replace=True)
    assert await graph_counts(any_store) == (2, 0)
    assert (s.nodes_deleted, await node_props(any_store, "per-3")) == (1, {})


async def test_a_replace_with_a_rejected_row_retracts_nothing_and_says_why(any_store, tmp_path: Path) -> None:
    await any_store.clear()
    await run_load(any_store, _ftm(tmp_path, "v1.json", A, B), source="ftm", provenance=PUBLIC)
    path = tmp_path / "v2.json"
    path.write_text(json.dumps(B) + "\n{not json\n", encoding="utf-8")
    s = await run_load(any_store, FtmReader([path]), source="ftm", provenance=LATER, replace=True)
    assert await graph_counts(any_store) == (2, 0)
    assert s.rows_rejected == 1 and s.nodes_deleted == 0
    assert s.replace_skipped.startswith("1 rejected or refused record(s) on 1 row(s): nothing retracted")
