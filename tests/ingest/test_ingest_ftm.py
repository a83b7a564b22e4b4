"""FollowTheMoney reader and load: the four yente fixture files, dangling refs, delta ops."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ingest_helpers import data_dir, graph_counts, node_props

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.writer import Provenance

FTM = data_dir("ftm")
FILES = sorted(FTM.glob("*.json"))
PROV = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00Z")

pytestmark = pytest.mark.backends


def test_ftm_reader_reports_zala_dangling_references() -> None:
    reader = FtmReader([FTM / "yente_zala_entities.ftm.json"])
    items = list(reader.records())
    assert reader.stats.rows == 91
    assert len(reader.stats.unresolved) == 16
    placeholders = [i for i in items if isinstance(i, NodeRecord) and i.unresolved]
    assert {p.id for p in placeholders} == set(reader.stats.unresolved)
    types = {i.type for i in items if isinstance(i, EdgeRecord)}
    assert {"OWNS", "DIRECTOR_OF", "FAMILY_OF", "SANCTIONED"} <= types


def test_ftm_reader_payments_become_transfers() -> None:
    reader = FtmReader([FTM / "yente_parteispenden_entities.ftm.json"])
    edges = [i for i in reader.records() if isinstance(i, EdgeRecord) and i.type == "TRANSFERRED_TO"]
    assert len(edges) >= 290 and all("amount" in e.properties for e in edges[:10])


async def test_ftm_load_all_four_files_idempotently(backend_empty_store) -> None:
    store = backend_empty_store
    reader = FtmReader(FILES)
    s = await run_load(store, reader, source="ftm", provenance=PROV, batch_size=200)
    assert s.rows_read == s.rows_loaded + s.rows_rejected == 575
    assert s.unresolved == len(reader.stats.unresolved) >= 16
    assert s.dangling == 0 and s.relationships_rejected == 0
    before = await graph_counts(store)
    assert before[0] > 250 and before[1] > 400
    again = await run_load(store, FtmReader(FILES), source="ftm", provenance=PROV, batch_size=200)
    assert await graph_counts(store) == before
    assert again.nodes_created == 0 and again.relationships_created == 0


async def test_ftm_delta_add_mod_del(backend_empty_store, tmp_path: Path) -> None:
    def entity(eid: str, name: str) -> dict:
        return {"id": eid, "schema": "Person", "properties": {"name": [name]}}

    base = tmp_path / "base.ftm.json"
    base.write_text("\n".join(json.dumps(entity(i, n)) for i, n in (("a", "Alpha"), ("b", "Beta"))) + "\n")
    delta = tmp_path / "d.delta.json"
    delta.write_text("\n".join(json.dumps(op) for op in (
        {"op": "ADD", "entity": entity("c", "Gamma")},
        {"op": "MOD", "entity": entity("a", "Alpha Renamed")},
        {"op": "DEL", "entity": {"id": "b", "schema": "Person", "properties": {}}},
    )) + "\n")
    await run_load(backend_empty_store, FtmReader([base]), source="ftm", provenance=PROV)
    assert await graph_counts(backend_empty_store) == (2, 0)
    s = await run_load(backend_empty_store, FtmReader([delta]), source="ftm", provenance=PROV)
    assert s.rows_read == 3
    assert await graph_counts(backend_empty_store) == (2, 0)
    a = await node_props(backend_empty_store, "a")
    assert a["name"] == "Alpha Renamed" and "conflicts" not in a
    assert await node_props(backend_empty_store, "b") == {}
    assert (await node_props(backend_empty_store, "c"))["name"] == "Gamma"


def test_ftm_call_becomes_called_between_phones(tmp_path: Path) -> None:
    f = tmp_path / "calls.ftm.json"
    rows = [
        {"id": "p1", "schema": "Person", "properties": {"name": ["A"]}},
        {"id": "c1", "schema": "Call", "properties": {"caller": ["p1"], "callerNumber": ["+66812345678"],
                                                      "receiverNumber": ["+85512345678"], "duration": ["61"],
                                                      "date": ["2026-03-01T10:00:00"]}},
        {"id": "t1", "schema": "Trip", "properties": {"name": ["x"]}},
    ]
    f.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    reader = FtmReader([f])
    items = list(reader.records())
    called = [i for i in items if isinstance(i, EdgeRecord) and i.type == "CALLED"]
    assert len(called) == 1 and called[0].properties["durationS"] == 61
    assert any(isinstance(i, EdgeRecord) and i.type == "USES_PHONE" and i.start == "p1" for i in items)
    assert reader.stats.rows == 3 and reader.stats.rejected == 1


def test_ftm_entity_caption_is_the_name_and_the_other_names_are_aliases(tmp_path: Path) -> None:
    path = tmp_path / "c.ftm.json"
    path.write_text("\n".join(json.dumps(d) for d in (
        {"id": "o1", "schema": "Organization", "caption": "RAB Inter Tobacco",
         "properties": {"name": ["LLC Inter Tobacco", "RAB Inter Tobacco"], "alias": ["Inter Tobacco"]}},
        {"id": "p1", "schema": "Person", "properties": {"name": ["Maria Osetrova", "Mariya Zakharova"]}},
        {"id": "a1", "schema": "Address", "caption": "Schillerstrasse 19, Karlsruhe", "properties": {}},
    )) + "\n")
    nodes = {r.id: r for r in FtmReader([path]).records() if isinstance(r, NodeRecord)}
    assert nodes["o1"].properties["name"] == "RAB Inter Tobacco"
    assert nodes["o1"].properties["alias"] == ["LLC Inter Tobacco", "Inter Tobacco"]
    assert nodes["p1"].properties["name"] == "Maria Osetrova"  # no caption field: the first name, as before
    assert nodes["p1"].properties["alias"] == ["Mariya Zakharova"]
    assert nodes["a1"].properties["full"] == "Schillerstrasse 19, Karlsruhe"


async def test_ftm_loaded_node_caption_is_the_entitys_own_caption(empty_store) -> None:
    await run_load(empty_store, FtmReader([FTM / "yente_t1_entities.ftm.json"]), source="ftm", provenance=PROV)
    props = await node_props(empty_store, "NK-2GdmHtZTeNXjNVrBGEXZNj")
    assert props["caption"] == props["name"] == "RAB „Inter Tobacco“"
    assert "LLC “Inter Tobacco”" in props["alias"]


async def test_ftm_delete_removes_an_entity_that_came_with_its_datasets(empty_store, tmp_path: Path) -> None:
    sanctioned = {"id": "os-1", "schema": "Company", "properties": {"name": ["Alpha Co"]},
                  "datasets": ["us_ofac_sdn", "gb_hmt_sanctions"]}
    (tmp_path / "base.json").write_text(json.dumps(sanctioned) + "\n")
    (tmp_path / "del.json").write_text(json.dumps({"op": "DEL", "entity": sanctioned}) + "\n")
    await run_load(empty_store, FtmReader([tmp_path / "base.json"]), source="ftm", provenance=PROV)
    assert (await node_props(empty_store, "os-1"))["sources"] == ["ftm", "ftm:us_ofac_sdn", "ftm:gb_hmt_sanctions"]
    await run_load(empty_store, FtmReader([tmp_path / "del.json"]), source="ftm", provenance=PROV)
    assert await node_props(empty_store, "os-1") == {}


async def test_ftm_delete_keeps_an_entity_another_source_also_asserts(empty_store, tmp_path: Path) -> None:
    entity = {"id": "os-2", "schema": "Person", "properties": {"name": ["Beta"]}, "datasets": ["us_ofac_sdn"]}
    (tmp_path / "base.json").write_text(json.dumps(entity) + "\n")
    (tmp_path / "del.json").write_text(json.dumps({"op": "DEL", "entity": entity}) + "\n")
    await run_load(empty_store, FtmReader([tmp_path / "base.json"]), source="ftm", provenance=PROV)
    await run_load(empty_store, FtmReader([tmp_path / "base.json"], source="partner"), source="partner",
                   provenance=PROV)
    await run_load(empty_store, FtmReader([tmp_path / "del.json"]), source="ftm", provenance=PROV)
    assert (await node_props(empty_store, "os-2"))["sources"] == ["partner", "partner:us_ofac_sdn"]


def test_ftm_reference_to_a_missing_address_is_an_address_placeholder_still_linked(tmp_path: Path) -> None:
    person = {"id": "p-1", "schema": "Person", "properties": {"name": ["Gamma"], "addressEntity": ["addr-x"]}}
    (tmp_path / "p.json").write_text(json.dumps(person) + "\n")
    reader = FtmReader([tmp_path / "p.json"])
    items = list(reader.records())
    (placeholder,) = [r for r in items if isinstance(r, NodeRecord) and r.id == "addr-x"]
    # a bare reference asserts no value: no `full` address (tests/ingest/test_ftm_placeholders.py)
    assert (placeholder.label, placeholder.unresolved, placeholder.properties) == ("Address", True, {})
    assert [(e.type, e.start, e.end) for e in items if isinstance(e, EdgeRecord)] == [("LOCATED_AT", "p-1", "addr-x")]
    assert reader.stats.unresolved == ["addr-x"]
