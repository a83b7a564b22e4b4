"""One FtM id typed with two schemata (issue 12): schemata that cannot merge (FtM's
``model.common_schema``) reject the second line naming both, in one file or across loads, as a row
reject; a refinement FtM allows (Organization, then Company) makes the node the narrower one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from ingest_helpers import Records, graph_counts, node_props

from graphapi.ingest.load_summary import LoadSummary
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.records import EdgeRecord, LineRenewal, NodeRecord, Origin, Rejection
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends  # every store test runs on FalkorDB and on Neo4j

PROV = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00Z")
PERSON = {"id": "x1", "schema": "Person", "properties": {"name": ["Ann Lee"], "nationality": ["TH"]}}
ORG = {"id": "x1", "schema": "Organization",
       "properties": {"name": ["Front Co"], "jurisdiction": ["KH"], "registrationNumber": ["R-77"],
                      "phone": ["+85510904499"]}}


def _file(tmp_path: Path, name: str, *entities: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text("".join(json.dumps(e) + "\n" for e in entities), encoding="utf-8")
    return path


async def _load(store: Any, path: Path) -> LoadSummary:
    return await run_load(store, FtmReader([path]), source="ftm", provenance=PROV)


async def _labels(store: Any, node_id: str) -> set[str]:
    rows = await store.read("ingest/existing_nodes", {"ids": [node_id]})
    return set(rows[0]["labels"]) if rows else set()


def test_ftm_schema_conflict_in_one_file_rejects_the_second_line_naming_both(tmp_path: Path) -> None:
    reader = FtmReader([_file(tmp_path, "e.ftm.json", PERSON, ORG)])
    items = list(reader.records())
    assert [(r.line, r.reason) for r in items if isinstance(r, Rejection)] == [
        (2, "FtM id 'x1' is a Person (e.ftm.json line 1) and an Organization here: "
            "schemata that cannot merge; not merged")]
    assert [(n.label, n.id) for n in items if isinstance(n, NodeRecord)] == [("Person", "x1")]
    assert (reader.stats.rows, reader.stats.rejected) == (2, 1)


ACCOUNT = {"id": "x1", "schema": "BankAccount",
           "properties": {"accountNumber": ["55598765"], "bankName": ["SCB"], "country": ["th"]}}


def test_ftm_a_person_then_a_bank_account_with_its_id_keeps_the_person_and_rejects_the_account(
        tmp_path: Path) -> None:
    reader = FtmReader([_file(tmp_path, "e.ftm.json", PERSON, ACCOUNT)])
    items = list(reader.records())
    assert [(r.line, r.reason) for r in items if isinstance(r, Rejection)] == [
        (2, "FtM id 'x1' is a Person (e.ftm.json line 1) and a BankAccount here: "
            "schemata that cannot merge; not merged")]
    assert [(n.label, n.id) for n in items if isinstance(n, NodeRecord)] == [("Person", "x1")]
    assert (reader.stats.rows, reader.stats.rejected) == (2, 1)


async def test_ftm_a_person_then_a_bank_account_with_its_id_stores_the_person(empty_store, tmp_path: Path) -> None:
    summary = await _load(empty_store, _file(tmp_path, "e.ftm.json", PERSON, ACCOUNT))
    assert (summary.rows_read, summary.rows_loaded, summary.rows_rejected) == (2, 1, 1)
    assert (await node_props(empty_store, "x1"))["name"] == "Ann Lee"
    assert await _labels(empty_store, "x1") == {"Entity", "Person"}


async def test_ftm_schema_conflict_in_one_file_leaves_the_person_without_the_organizations_values(
        empty_store, tmp_path: Path) -> None:
    summary = await _load(empty_store, _file(tmp_path, "e.ftm.json", PERSON, ORG))
    stored = await node_props(empty_store, "x1")
    assert (summary.rows_loaded, summary.rows_rejected, summary.relationships_rejected) == (1, 1, 0)
    assert stored["name"] == "Ann Lee" and "registrationNumber" not in stored and "country" not in stored
    assert await _labels(empty_store, "x1") == {"Entity", "Person"}


async def test_ftm_schema_conflict_across_loads_is_a_row_reject_naming_both(empty_store, tmp_path: Path) -> None:
    await _load(empty_store, _file(tmp_path, "a.ftm.json", PERSON))
    summary = await _load(empty_store, _file(tmp_path, "b.ftm.json", ORG))
    assert (summary.rows_read, summary.rows_loaded, summary.rows_rejected) == (1, 0, 1)
    assert summary.relationships_rejected == 0
    (rejection,) = summary.rejections
    assert (rejection.file, rejection.line) == ("b.ftm.json", 1)
    assert rejection.reason == "label conflict: x1 is a Person (as stored, from ftm), not an Organization; not merged"


async def test_ftm_schema_conflict_across_loads_links_nothing_of_the_rejected_line(
        empty_store, tmp_path: Path) -> None:
    await _load(empty_store, _file(tmp_path, "a.ftm.json", PERSON))
    summary = await _load(empty_store, _file(tmp_path, "b.ftm.json", ORG))
    stored = await node_props(empty_store, "x1")
    assert "registrationNumber" not in stored and summary.relationships_written == 0
    assert await graph_counts(empty_store) == (2, 0)  # x1, and the phone node: no USES_PHONE from x1


async def test_ftm_schema_refinement_in_one_file_makes_the_node_a_company(empty_store, tmp_path: Path) -> None:
    org = {"id": "o1", "schema": "Organization", "properties": {"name": ["Front Co"]}}
    company = {"id": "o1", "schema": "Company", "properties": {"name": ["Front Co"], "registrationNumber": ["R-1"]}}
    summary = await _load(empty_store, _file(tmp_path, "e.ftm.json", org, company))
    assert summary.rows_rejected == 0
    assert await _labels(empty_store, "o1") == {"Entity", "Organization", "Company"}
    assert (await node_props(empty_store, "o1"))["registrationNumber"] == ["R-1"]


async def test_ftm_schema_refinement_across_loads_makes_the_node_a_company(empty_store, tmp_path: Path) -> None:
    org = {"id": "o1", "schema": "Organization", "properties": {"name": ["Front Co"]}}
    company = {"id": "o1", "schema": "Company", "properties": {"name": ["Front Co"]}}
    await _load(empty_store, _file(tmp_path, "a.ftm.json", org))
    summary = await _load(empty_store, _file(tmp_path, "b.ftm.json", company))
    assert summary.rows_rejected == 0
    assert await _labels(empty_store, "o1") == {"Entity", "Organization", "Company"}


async def test_writer_label_conflict_within_one_load_is_a_row_reject(empty_store) -> None:
    person = NodeRecord("Person", "y1", {"name": "Ann Lee"}, Origin("csv", "f.csv", 2))
    company = NodeRecord("Company", "y1", {"name": "Front Co"}, Origin("csv", "f.csv", 3))
    summary = await run_load(empty_store, Records(person, company), source="csv", provenance=PROV)
    assert [(r.line, r.reason) for r in summary.rejections] == [
        (3, "label conflict: y1 is a Person (f.csv line 2), not a Company; not merged")]
    assert (summary.rows_loaded, summary.rows_rejected, summary.relationships_rejected) == (1, 1, 0)
    assert (await node_props(empty_store, "y1"))["name"] == "Ann Lee"


# A delta re-typing an id between exports (attack round 31): DEL of the BankAccount x-1 was, ADD of
# the Person it is. The DEL's account key belongs to that line alone: it deletes the account, and
# the Person (and what names her) keeps the FtM id.
IBAN = "DE89370400440532013000"
IBAN_ACCOUNT = {"id": "x-1", "schema": "BankAccount", "properties": {"iban": [IBAN]}}
RETYPED = [{"op": "DEL", "entity": IBAN_ACCOUNT},
           {"op": "ADD", "entity": {"id": "x-1", "schema": "Person", "properties": {"name": ["Anna Schmidt"]}}},
           {"op": "ADD", "entity": {"id": "o-1", "schema": "Ownership",
                                    "properties": {"owner": ["x-1"], "asset": ["c-1"]}}},
           {"op": "ADD", "entity": {"id": "c-1", "schema": "Company", "properties": {"name": ["Acme GmbH"]}}}]


def test_ftm_a_delta_re_typing_an_id_deletes_the_old_entity_by_its_key_and_keeps_the_new_ones_id(
        tmp_path: Path) -> None:
    reader = FtmReader([_file(tmp_path, "d.delta.json", *RETYPED)])
    items = list(reader.records())
    assert [(n.label, n.id, n.op) for n in items if isinstance(n, NodeRecord)] == [
        ("BankAccount", f"account:{IBAN}", "delete"), ("Person", "x-1", "merge"), ("Company", "c-1", "merge")]
    assert [(e.type, e.start, e.end) for e in items if isinstance(e, EdgeRecord)] == [("OWNS", "x-1", "c-1")]
    # the DEL ends its line whatever schema it names (a-76, F4)
    assert [(r.line, r.op) for r in items if isinstance(r, LineRenewal)] == [("x-1", "delete")]
    assert (reader.stats.rows, reader.stats.loaded, reader.stats.rejected) == (4, 4, 0)


async def test_ftm_after_a_delta_re_typing_an_id_the_person_is_stored_and_the_account_gone(
        empty_store, tmp_path: Path) -> None:
    await _load(empty_store, _file(tmp_path, "t1.ftm.json", IBAN_ACCOUNT))
    summary = await _load(empty_store, _file(tmp_path, "t2.delta.json", *RETYPED))
    assert (summary.rows_read, summary.rows_loaded, summary.rows_rejected) == (4, 4, 0)
    assert (await node_props(empty_store, "x-1"))["name"] == "Anna Schmidt"
    assert await _labels(empty_store, "x-1") == {"Entity", "Person"}
    assert await node_props(empty_store, f"account:{IBAN}") == {}
    assert await graph_counts(empty_store) == (2, 1)
