"""The null-token rule in names and after a spec's steps (round a-56, F13 and F5): ``Na`` and
``Nil`` are real names (Li Na, Hye-sun Na, Chulalongkorn na Ayutthaya, Nil Karaibrahimgil), so in
a name and in the parts of a name a mapping concatenates they are values, while ``n/a``,
``unknown``, ``-`` stay no value; a text a spec's steps, map or default make is tested by its
value type (``NA`` is still Namibia after a ``pick``); an FtM Person without a ``name`` is named
by her first, middle and last names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.readers.mapped_csv import MAPPINGS, MappedCsvReader, load_mapping
from graphapi.ingest.readers.nulls import no_value
from graphapi.ingest.records import EdgeRecord, NodeRecord, Rejection

NAMES = """name: names
source: names
csv: {records: single-line}
entities:
  person:
    label: Person
    required: true
    id: {template: "p-{pid}"}
    properties:
      name: {concat: [given, middle, family], sep: " "}
"""


def _names(tmp_path: Path, *rows: str, mapping: str = NAMES, header: str = "pid,given,middle,family") -> list:
    (tmp_path / "names.yaml").write_text(mapping, encoding="utf-8")
    (tmp_path / "names.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return list(MappedCsvReader(load_mapping(str(tmp_path / "names.yaml")), [tmp_path / "names.csv"]).records())


def _person_names(items: list) -> list:
    return [n.properties.get("name") for n in items if isinstance(n, NodeRecord) and n.label == "Person"]


def test_a_family_name_na_is_part_of_a_concatenated_name(tmp_path: Path) -> None:
    assert _person_names(_names(tmp_path, "1,Hye-sun,,Na")) == ["Hye-sun Na"]


def test_a_middle_name_na_is_part_of_a_concatenated_name(tmp_path: Path) -> None:
    assert _person_names(_names(tmp_path, "2,Chulalongkorn,na,Ayutthaya")) == ["Chulalongkorn na Ayutthaya"]


def test_a_given_name_na_is_part_of_a_concatenated_name(tmp_path: Path) -> None:
    assert _person_names(_names(tmp_path, "3,Na,,Li")) == ["Na Li"]


def test_a_person_named_na_alone_is_named_not_rejected(tmp_path: Path) -> None:
    items = _names(tmp_path, "4,Na,,")
    assert _person_names(items) == ["Na"] and [r for r in items if isinstance(r, Rejection)] == []


def test_a_name_part_that_is_no_word_of_a_name_is_still_left_out(tmp_path: Path) -> None:
    assert _person_names(_names(tmp_path, "5,Mei,N/A,Li", "6,Mei,unknown,Li")) == ["Mei Li", "Mei Li"]


def test_a_name_column_that_is_na_is_a_name(tmp_path: Path) -> None:
    mapping = NAMES.replace("{concat: [given, middle, family], sep: \" \"}", "{column: full}")
    items = _names(tmp_path, "1,Nil", "2,n/a", mapping=mapping, header="pid,full")
    assert _person_names(items) == ["Nil"] and len([r for r in items if isinstance(r, Rejection)]) == 1


@pytest.mark.parametrize(("raw", "type_name", "expected"), [
    ("Na", "name", False), ("NIL", "name", False), ("n/a", "name", True), ("unknown", "name", True),
    ("none", "name", True), ("Na", "string", True), ("Na", None, True),
])
def test_null_tokens_that_are_words_of_names_are_values_only_in_a_name(raw: str, type_name: str | None,
                                                                      expected: bool) -> None:
    assert no_value(raw, type_name) is expected


def _ftm(tmp_path: Path, *docs: dict) -> dict:
    path = tmp_path / "n.ftm.json"
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return {r.id: r.properties for r in FtmReader([path]).records() if isinstance(r, NodeRecord)}


@pytest.mark.parametrize("name", ["Na", "Nil"])
def test_an_ftm_person_named_like_a_null_token_keeps_her_name(tmp_path: Path, name: str) -> None:
    props = _ftm(tmp_path, {"id": "p1", "schema": "Person", "properties": {"name": [name]}})["p1"]
    assert props["name"] == name and "unidentified" not in props


def test_an_ftm_person_without_a_name_is_named_by_her_name_parts(tmp_path: Path) -> None:
    props = _ftm(tmp_path, {"id": "p2", "schema": "Person", "properties": {
        "firstName": ["Mei"], "middleName": ["Ling"], "lastName": ["Li"]}})["p2"]
    assert props["name"] == "Mei Ling Li" and "unidentified" not in props


def test_an_ftm_persons_name_comes_before_her_name_parts(tmp_path: Path) -> None:
    props = _ftm(tmp_path, {"id": "p3", "schema": "Person", "properties": {
        "name": ["LI Mei"], "firstName": ["Mei"], "lastName": ["Li"]}})["p3"]
    assert props["name"] == "LI Mei"


CROSSINGS = ("crossing_id,person_id,full_name,nationality,birth_date,document_no,checkpoint_id,checkpoint_name,"
             "checkpoint_countries,checkpoint_kind,direction,crossed_at")


@pytest.mark.parametrize("nationality", ["NA", "Namibia"])
def test_a_namibian_travellers_passport_is_issued_by_namibia_after_the_pick_step(tmp_path: Path,
                                                                                 nationality: str) -> None:
    path = tmp_path / "x.csv"
    path.write_text(f"{CROSSINGS}\nC1,P1,Nari Santos,{nationality},1983-04-01,G7576565,MS,Mae Sot,TH;MM,land,exit,"
                    "2026-05-25 06:47:54\n", encoding="utf-8")
    items = list(MappedCsvReader(load_mapping(str(MAPPINGS / "crossings.yaml")), [path]).records())
    assert [(e.start, e.end) for e in items if isinstance(e, EdgeRecord) and e.type == "HOLDS_DOCUMENT"] == [
        ("imm-P1", "identity:NA|G7576565")]


COUNTRY_STEPS = """name: c
source: c
csv: {records: single-line}
entities:
  person:
    label: Person
    required: true
    id: {template: "p-{pid}"}
    properties:
      name: {column: name}
      nationality: {column: nat, steps: [trim], default: TH}
"""


@pytest.mark.parametrize(("nat", "expected"), [("NA", ["NA"]), ("N/A", ["TH"])])
def test_a_country_after_steps_is_tested_for_null_tokens_as_a_country(tmp_path: Path, nat: str,
                                                                      expected: list) -> None:
    items = _names(tmp_path, f"1,Ann,{nat}", mapping=COUNTRY_STEPS, header="pid,name,nat")
    (person,) = [n for n in items if isinstance(n, NodeRecord) and n.label == "Person"]
    assert person.properties["nationality"] == expected


WHEN_COUNTRY = """name: w
source: w
csv: {records: single-line}
entities:
  person:
    label: Person
    id: {template: "p-{pid}"}
    when: {column: nat, empty: false}
    properties:
      name: {column: name}
      nationality: {column: nat}
"""


@pytest.mark.parametrize(("nat", "made"), [("NA", ["p-1"]), ("N/A", []), ("-", [])])
def test_a_condition_on_a_country_column_takes_na_for_namibia(tmp_path: Path, nat: str, made: list) -> None:
    items = _names(tmp_path, f"1,Ann,{nat}", mapping=WHEN_COUNTRY, header="pid,name,nat")
    assert [n.id for n in items if isinstance(n, NodeRecord) and n.label == "Person"] == made
