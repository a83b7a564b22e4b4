"""One value given by two FtM properties is stored once, and one FtM phone value holding several
numbers is each of them (yente zala, as shipped: attack round 37, issue 13)."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_helpers import data_dir, ftm_file, node_props, read_mapped

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.writer import Provenance

ZALA = data_dir("ftm") / "yente_zala_entities.ftm.json"
OSETROVA = "NK-2Tbri3s6GgNtAwsSXh4qpL"  # taxNumber and innCode 183116181362
KALASHNIKOV = "NK-nR5AXM9AVPq4pQaSPSaVam"  # registrationNumber and ogrnCode 1111832003018
CST = "NK-abdzbEBkqyT29GyREbiURZ"  # LLC CST (Zala Aero): one phone value with three numbers
PROV = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00Z")



def _node(items: list, node_id: str) -> NodeRecord:
    return next(i for i in items if isinstance(i, NodeRecord) and i.id == node_id and not i.unresolved)


def test_a_registration_number_given_as_registrationNumber_and_ogrnCode_is_read_once() -> None:
    company = _node(list(FtmReader([ZALA]).records()), KALASHNIKOV)
    assert company.properties["registrationNumber"] == ["1832090230", "1111832003018"]


def test_no_list_value_of_the_zala_file_is_read_twice() -> None:
    twice = {(i.id, k): v for i in FtmReader([ZALA]).records() if isinstance(i, NodeRecord)
             for k, v in i.properties.items() if isinstance(v, list) and len(set(v)) != len(v)}
    assert twice == {}


@pytest.mark.backends
@pytest.mark.asyncio(loop_scope="session")
async def test_a_tax_number_given_as_taxNumber_and_innCode_is_stored_once(empty_store) -> None:
    await run_load(empty_store, FtmReader([ZALA]), source="ftm", provenance=PROV)
    assert (await node_props(empty_store, OSETROVA))["taxNumber"] == ["183116181362"]
    assert (await node_props(empty_store, KALASHNIKOV))["registrationNumber"] == ["1832090230", "1111832003018"]


def test_a_mapped_csv_value_given_twice_in_one_split_column_is_read_once(tmp_path: Path) -> None:
    header = ("agency,case_no,case_title,opened,person_id,full_name,role,nationality,gender,birth_date,phone,"
              "compound_id,compound_name,compound_country,rescued,repatriated")
    _, items = read_mapped(tmp_path, "cases", header,
                           "TH-DSI,C-1,Fraud,2026-01-01,P1,Nari Haile,victim,LK;Sri Lanka;LK,male,1984-11-28,"
                           "N/A,MM-X,Shwe Kokko,MM,2025-12-26,2026-01-23")
    person = next(i for i in items if isinstance(i, NodeRecord) and i.label == "Person")
    assert person.properties["nationality"] == ["LK"]


def test_three_phone_numbers_in_one_ftm_value_make_three_phones_the_company_uses() -> None:
    items = list(FtmReader([ZALA]).records())
    used = sorted(i.end for i in items if isinstance(i, EdgeRecord) and i.type == "USES_PHONE" and i.start == CST)
    assert used == ["phone:+73412430505", "phone:+79127693311", "phone:+79512108128"]
    assert not any(t.startswith("Phone:") for t in _node(items, CST).properties.get("identifiers", []))


def test_a_phone_value_holding_no_number_stays_text(tmp_path: Path) -> None:
    path = ftm_file(tmp_path, {"id": "co-1", "schema": "Company", "properties": {
        "name": ["Acme"], "country": ["ru"], "phone": ["call the office; ask for Ivan"]}}, name="co.ftm.json")
    items = list(FtmReader([path]).records())
    assert not [i for i in items if isinstance(i, NodeRecord) and i.label == "Phone"]
    assert _node(items, "co-1").properties["identifiers"] == ["Phone:call the office; ask for Ivan"]


def test_national_numbers_in_one_value_are_read_with_the_entitys_country(tmp_path: Path) -> None:
    path = ftm_file(tmp_path, {"id": "co-2", "schema": "Company", "properties": {
        "name": ["Acme"], "country": ["th"], "phone": ["081 234 5678 / 02 123 4567"]}}, name="co.ftm.json")
    phones = [i.id for i in FtmReader([path]).records() if isinstance(i, NodeRecord) and i.label == "Phone"]
    assert phones == ["phone:+66812345678", "phone:+6621234567"]
