"""Per-value provenance (issue 12): every value of a node records which sources asserted it, a
MOD replaces only its source's values, a DEL removes only its source's statements; on both
backends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ingest_helpers import graph_counts, node_props

from graphapi.bench.load import TimedStore
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.records import NodeRecord, Origin
from graphapi.ingest.writer import Provenance, write_records
from graphapi.investigate.values import property_values
from graphapi.ontology.tlp import visible_to
from graphapi.security import Principal

pytestmark = pytest.mark.asyncio(loop_scope="session")

PUBLIC = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00")
LATER = Provenance(owner="public", tlp="CLEAR", seen="2026-03-01T00:00:00")
READER = Principal("reader", agency="PH-NBI")


def _ftm(tmp_path: Path, name: str, *docs: dict) -> FtmReader:
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(d) for d in docs) + "\n", encoding="utf-8")
    return FtmReader([path])


def _person(dataset: str, **props: list[str]) -> dict:
    return {"id": "per-x", "schema": "Person", "datasets": [dataset], "properties": {"name": ["Somchai X"], **props}}


async def _said(store, prop: str, viewer: Principal = READER) -> dict[str, list[str]]:
    """value -> its sources, as values(property:) answers ``viewer``."""
    found = await property_values(store, viewer, ["per-x"], prop)
    return {v.value: sorted(s.source for s in v.sources) for v in found["per-x"]}


async def test_three_sources_of_a_birth_date_each_keep_their_own_value(any_store, tmp_path: Path) -> None:
    await any_store.clear()
    docs = [_person("a", birthDate=["1964"]), _person("b", birthDate=["1964-02-01"]),
            _person("c", birthDate=["1964-02"])]
    await run_load(any_store, _ftm(tmp_path, "three.json", *docs), source="ftm", provenance=PUBLIC)
    assert await _said(any_store, "birthDate") == {
        "1964": ["ftm:a"], "1964-02-01": ["ftm:b"], "1964-02": ["ftm:c"]}
    assert await _said(any_store, "name") == {"Somchai X": ["ftm:a", "ftm:b", "ftm:c"]}


async def test_a_value_says_its_record_owner_level_and_when_it_was_first_and_last_seen(any_store) -> None:
    await any_store.clear()
    rec = NodeRecord("Person", "per-x", {"name": "Somchai X"}, Origin("th-feed", "people.csv", 7))
    await write_records(any_store, [rec], provenance=PUBLIC)
    await write_records(any_store, [rec], provenance=LATER)
    [value] = (await property_values(any_store, READER, ["per-x"], "name"))["per-x"]
    [said] = value.sources
    assert (said.source, said.record_id, said.owner, said.tlp) == ("th-feed", "people.csv:7", "public", "CLEAR")
    assert (said.first_seen, said.last_seen) == ("2026-01-01T00:00:00", "2026-03-01T00:00:00")


async def test_reloading_the_same_records_changes_no_count_and_writes_no_statement(any_store, tmp_path) -> None:
    await any_store.clear()
    reader = [_person("a", birthDate=["1964"]), _person("b", birthDate=["1964-02"])]
    await run_load(any_store, _ftm(tmp_path, "p.json", *reader), source="ftm", provenance=PUBLIC)
    counts = await graph_counts(any_store)
    again = await run_load(any_store, _ftm(tmp_path, "p.json", *reader), source="ftm", provenance=PUBLIC)
    assert await graph_counts(any_store) == counts == (1, 0)
    assert again.statements_written == 0
    assert await _said(any_store, "birthDate") == {"1964": ["ftm:a"], "1964-02": ["ftm:b"]}


async def test_a_reload_reads_back_no_statement_the_store_already_holds(any_store, tmp_path) -> None:
    # the store holds each as its record says it (provenance/statement_digests): neither probed
    # nor read back whole
    await any_store.clear()
    docs = [_person("a", birthDate=["1964"]), _person("b", birthDate=["1964-02"])]
    await run_load(any_store, _ftm(tmp_path, "p.json", *docs), source="ftm", provenance=PUBLIC)
    counted = TimedStore(any_store)
    again = await run_load(counted, _ftm(tmp_path, "p.json", *docs), source="ftm", provenance=PUBLIC)
    assert again.statements_written == 0
    assert counted.calls["provenance/statement_digests"] == 1
    assert counted.calls["provenance/statement_probe"] == 0
    assert counted.calls["provenance/statements_by_ids"] == 0


async def test_a_value_said_again_seen_earlier_moves_its_first_sighting_back(any_store) -> None:
    # the stored statement does not cover the record (seen before its first sighting): merged
    await any_store.clear()
    rec = NodeRecord("Person", "per-x", {"name": "Somchai X"}, Origin("th-feed", "people.csv", 7))
    await write_records(any_store, [rec], provenance=LATER)
    await write_records(any_store, [rec], provenance=PUBLIC)
    [value] = (await property_values(any_store, READER, ["per-x"], "name"))["per-x"]
    [said] = value.sources
    assert (said.first_seen, said.last_seen) == ("2026-01-01T00:00:00", "2026-03-01T00:00:00")


async def test_a_new_value_said_by_the_same_source_joins_its_statement(any_store) -> None:
    await any_store.clear()
    origin = Origin("th-feed", "people.csv", 7)
    await write_records(any_store, [NodeRecord("Person", "per-x", {"name": "Somchai X"}, origin)], provenance=PUBLIC)
    await write_records(any_store, [NodeRecord("Person", "per-x", {"name": "Somchai X", "alias": ["Chai"]}, origin)],
                        provenance=PUBLIC)
    assert await _said(any_store, "alias") == {"Chai": ["th-feed"]}
    assert await _said(any_store, "name") == {"Somchai X": ["th-feed"]}


async def test_a_mod_replaces_only_its_own_sources_values(any_store, tmp_path: Path) -> None:
    await any_store.clear()
    await run_load(any_store, _ftm(tmp_path, "a.json", _person("a", birthDate=["1964"])), source="ftm",
                   provenance=PUBLIC)
    await run_load(any_store, FtmReader([_path(tmp_path, "b.json", _person("b", birthDate=["1965"]))], source="nbi"),
                   source="nbi", provenance=PUBLIC)
    mod = {"op": "MOD", "entity": _person("a", birthDate=["1964-02-01"])}
    await run_load(any_store, _ftm(tmp_path, "mod.json", mod), source="ftm", provenance=LATER)
    assert await _said(any_store, "birthDate") == {"1964-02-01": ["ftm:a"], "1965": ["nbi:b"]}
    assert sorted((await node_props(any_store, "per-x"))["birthDate"]) == ["1964-02-01", "1965"]


async def test_a_mod_at_another_level_replaces_what_its_source_said_at_every_level(any_store, tmp_path: Path) -> None:
    await any_store.clear()
    th = Principal("analyst-th", agency="TH-DSI")
    await run_load(any_store, _ftm(tmp_path, "a.json", _person("a", birthDate=["1964"])), source="ftm",
                   provenance=Provenance(owner="TH-DSI", tlp="AMBER", shared_with=("VN-MPS",)))
    mod = {"op": "MOD", "entity": _person("a", birthDate=["1964-02-01"])}
    await run_load(any_store, _ftm(tmp_path, "mod.json", mod), source="ftm",
                   provenance=Provenance(owner="TH-DSI", tlp="AMBER", shared_with=("VN-MPS", "KH-NP")))
    assert await _said(any_store, "birthDate", th) == {"1964-02-01": ["ftm:a"]}
    assert (await node_props(any_store, "per-x"))["birthDate"] == ["1964-02-01"]


async def test_a_del_removes_its_sources_values_and_leaves_a_shared_one_to_the_other_source(
        any_store, tmp_path: Path) -> None:
    await any_store.clear()
    await run_load(any_store, _ftm(tmp_path, "a.json", _person("a", birthDate=["1964"], alias=["Chai"])),
                   source="ftm", provenance=PUBLIC)
    nbi = FtmReader([_path(tmp_path, "b.json", _person("b", birthDate=["1964"]))], source="nbi")
    await run_load(any_store, nbi, source="nbi", provenance=PUBLIC)
    gone = await run_load(any_store, _ftm(tmp_path, "del.json", {"op": "DEL", "entity": _person("a")}),
                          source="ftm", provenance=PUBLIC)
    assert (gone.nodes_deleted, gone.nodes_retracted, gone.statements_retracted) == (0, 1, 1)
    assert await _said(any_store, "birthDate") == {"1964": ["nbi:b"]}
    assert await _said(any_store, "alias") == {}
    stored = await node_props(any_store, "per-x")
    assert (stored["birthDate"], stored.get("alias"), stored["sources"]) == (["1964"], None, ["nbi", "nbi:b"])


async def test_a_del_of_the_only_source_deletes_the_node_and_its_statements(any_store, tmp_path: Path) -> None:
    await any_store.clear()
    await run_load(any_store, _ftm(tmp_path, "a.json", _person("a", birthDate=["1964"])), source="ftm",
                   provenance=PUBLIC)
    gone = await run_load(any_store, _ftm(tmp_path, "del.json", {"op": "DEL", "entity": _person("a")}),
                          source="ftm", provenance=PUBLIC)
    assert (gone.nodes_deleted, gone.statements_retracted) == (1, 1)
    assert await graph_counts(any_store) == (0, 0)
    assert await any_store.read("provenance/statements_of", {"ids": ["per-x"]}) == []


def _path(tmp_path: Path, name: str, *docs: dict) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(d) for d in docs) + "\n", encoding="utf-8")
    return path


async def test_another_agencys_amber_assertion_on_a_green_node_is_shown_to_that_agency_only(any_store) -> None:
    await any_store.clear()
    record = {"name": "Somchai X", "birthDate": ["1964"]}
    await write_records(any_store, [NodeRecord("Person", "per-x", record, Origin("th"))],
                        provenance=Provenance(owner="TH-DSI", tlp="GREEN"))
    await write_records(any_store, [NodeRecord("Person", "per-x", record, Origin("vn"))],
                        provenance=Provenance(owner="VN-MPS", tlp="AMBER"))
    vn, ph = Principal("vn", agency="VN-MPS"), Principal("ph", agency="PH-NBI")
    assert await _said(any_store, "birthDate", vn) == {"1964": ["th", "vn"]}
    assert await _said(any_store, "birthDate", ph) == {"1964": ["th"]}


async def test_after_the_green_owner_retracts_a_value_only_an_amber_assertion_holds_is_hidden(
        any_store, tmp_path: Path) -> None:
    await any_store.clear()
    th = Provenance(owner="TH-DSI", tlp="GREEN")
    await run_load(any_store, _ftm(tmp_path, "th.json", _person("a", birthDate=["1964"])), source="ftm", provenance=th)
    await write_records(any_store, [NodeRecord("Person", "per-x", {"name": "Somchai X", "birthDate": ["1964"]},
                                               Origin("vn"))], provenance=Provenance(owner="VN-MPS", tlp="AMBER"))
    done = await run_load(any_store, _ftm(tmp_path, "del.json", {"op": "DEL", "entity": _person("a")}),
                          source="ftm", provenance=th)
    # VN-MPS's statement keeps the node, re-owned at its level: to TH-DSI, deleted (round 23, C1)
    assert (done.nodes_deleted, done.nodes_retracted, done.statements_retracted) == (1, 0, 1)
    vn, ph = Principal("vn", agency="VN-MPS"), Principal("ph", agency="PH-NBI")
    assert await _said(any_store, "birthDate", vn) == {"1964": ["vn"]}
    assert await _said(any_store, "birthDate", ph) == {}
    stored = await node_props(any_store, "per-x")  # no longer GREEN: re-owned at VN-MPS's level (round 23, C1)
    assert (stored["tlp"], stored["owner"], stored["birthDate"]) == ("AMBER", "VN-MPS", ["1964"])
    assert not visible_to(stored, "PH-NBI")


async def test_a_mod_that_drops_several_values_keeps_the_nodes_owner_and_level(any_store, tmp_path: Path) -> None:
    await any_store.clear()
    th = Provenance(owner="TH-DSI", tlp="GREEN")
    full = _person("a", alias=["Chai"], birthDate=["1964"], nationality=["th"], notes=["seen in Myawaddy"])
    await run_load(any_store, _ftm(tmp_path, "a.json", full), source="ftm", provenance=th)
    await run_load(any_store, _ftm(tmp_path, "mod.json", {"op": "MOD", "entity": _person("a")}), source="ftm",
                   provenance=th)
    stored = await node_props(any_store, "per-x")
    assert (stored["owner"], stored["tlp"], stored["name"]) == ("TH-DSI", "GREEN", "Somchai X")
    assert [k for k in ("alias", "birthDate", "nationality", "notes", "countryCodes") if k in stored] == []
