"""Placeholder document numbers ("N/A", "0", "none", empty) are no document numbers: no reader
stores them as a person's passport or id number, nor makes a document node of them; the text
stays in ``identifiers`` (what the source said), as for any placeholder identifier."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphapi.ingest.identity.documents import placeholder_number
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.readers.ofac import read_ofac
from graphapi.ingest.records import NodeRecord

PLACEHOLDERS = ["N/A", "0", "none", "000000", "A0000000", "XXXXXX", "", " "]
CROSSINGS_HEADER = ("crossing_id,person_id,full_name,nationality,birth_date,document_no,checkpoint_id,"
                    "checkpoint_name,checkpoint_countries,checkpoint_kind,direction,crossed_at")


def _numbers(items: list, holder: str) -> list[str]:
    return [n for r in items if isinstance(r, NodeRecord) and r.id == holder
            for n in r.properties.get("passportNumber", []) + r.properties.get("idNumber", [])]


def _documents(items: list) -> list[str]:
    return [r.id for r in items if isinstance(r, NodeRecord) and r.label == "IdentityDocument"]


@pytest.mark.parametrize("text", PLACEHOLDERS)
def test_placeholder_document_numbers_are_recognised(text: str) -> None:
    assert placeholder_number(text)


@pytest.mark.parametrize("text", ["M1234567", "G757-6565", "3LabanaN069004", "25817349", "АБ123"])
def test_real_document_numbers_are_no_placeholders(text: str) -> None:
    assert not placeholder_number(text)


def test_ofac_placeholder_passports_are_no_numbers_and_no_documents(tmp_path: Path) -> None:
    sdn = tmp_path / "sdn.csv"
    sdn.write_text('1,"DOE, John","individual","TCO",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"Passport N/A (Burma); '
                   "alt. Passport 0 (Burma); National ID No. none (Burma); alt. Passport 000000 (Thailand); "
                   'Passport M1234567 (Burma)."\n', encoding="utf-8")
    items = list(read_ofac(sdn).records())
    assert _numbers(items, "ofac-1") == ["M1234567"]
    assert _documents(items) == ["identity:MM|M1234567"]
    person = next(r for r in items if isinstance(r, NodeRecord) and r.id == "ofac-1")
    assert "passport:MM:N/A" in person.properties["identifiers"]  # what OFAC wrote, as text


def test_ftm_placeholder_passports_are_no_numbers_and_no_documents(tmp_path: Path) -> None:
    path = tmp_path / "e.ftm.json"
    docs = [{"id": "p1", "schema": "Person", "properties": {"name": ["Min Aung"], "passportNumber": ["N/A", "0"],
                                                              "idNumber": ["none", "12/ABC(N)123456"]}},
            {"id": "pass1", "schema": "Passport", "properties": {"holder": ["p1"], "number": ["000000"],
                                                                 "country": ["mm"]}}]
    path.write_text("\n".join(json.dumps(d) for d in docs) + "\n", encoding="utf-8")
    reader = FtmReader([path])
    items = list(reader.records())
    assert _numbers(items, "p1") == ["12/ABC(N)123456"]
    assert _documents(items) == []
    assert reader.stats.rejected == 0


@pytest.mark.parametrize("placeholder", ["0", "000000", "none", "N/A"])
def test_mapped_placeholder_passport_is_no_number_and_the_row_loads(tmp_path: Path, placeholder: str) -> None:
    path = tmp_path / "crossings.csv"
    path.write_text(CROSSINGS_HEADER + f"\nX1,P1,Traveller,MM,1980-01-01,{placeholder},MM-TH-MAESOT,"
                    "Myawaddy - Mae Sot,MM;TH,land,entry,2026-05-25 06:47:54\n", encoding="utf-8")
    reader = MappedCsvReader(load_mapping("crossings"), [path])
    items = list(reader.records())
    assert (reader.stats.rows, reader.stats.rejected) == (1, 0)
    assert _numbers(items, "imm-P1") == []


def test_a_mapped_document_with_no_number_keeps_no_text_of_its_country(tmp_path: Path) -> None:
    # feeds trial: a person with no passport number had 'IdentityDocument:Myanmar' in identifiers
    (tmp_path / "m.yaml").write_text("""
name: cases
entities:
  person: {label: Person, required: true, id: {template: "p-{name}"}, properties: {name: {column: name}}}
  passport:
    label: IdentityDocument
    properties: {number: {column: passport}, country: {column: nationality}, kind: {value: passport}}
relationships:
  - {type: HOLDS_DOCUMENT, from: person, to: passport}
""", encoding="utf-8")
    (tmp_path / "f.csv").write_text("name,passport,nationality\nKo Ko,,Myanmar\n", encoding="utf-8")
    items = list(MappedCsvReader(load_mapping(tmp_path / "m.yaml"), [tmp_path / "f.csv"]).records())
    (person,) = [i for i in items if isinstance(i, NodeRecord) and i.label == "Person"]
    assert "identifiers" not in person.properties
