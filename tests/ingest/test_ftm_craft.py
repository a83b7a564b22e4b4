"""FtM ``Vessel`` and ``Airplane`` entities are the ontology's Vessel / Airplane, as OFAC's loader
makes them (feeds trial: they were rejected as having "no ontology counterpart"): their
particulars as the SDN loader keeps them, an IMO number as ``IMO`` and seven digits, and the
owner and operator they name linked OWNS / OPERATES_CRAFT."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.records import EdgeRecord, NodeRecord, Rejection

VESSEL = {"id": "v-1", "schema": "Vessel", "properties": {
    "name": ["Sea Star"], "alias": ["Star of the Sea"], "imoNumber": ["IMO 9074729"], "mmsi": ["457123000"],
    "callSign": ["XUAB7"], "flag": ["kh"], "pastFlags": ["pa"], "type": ["Crude Oil Tanker"],
    "tonnage": ["84,000"], "grossRegisteredTonnage": ["52000"], "buildDate": ["1994"], "owner": ["co-1"],
    "operator": ["co-2"]}}
AIRPLANE = {"id": "a-1", "schema": "Airplane", "properties": {
    "name": ["EP-MNA"], "registrationNumber": ["EP-MNA", "UP-B3701"], "serialNumber": ["26283"],
    "model": ["Boeing 747-422"], "country": ["ir"], "buildDate": ["1992-08-01"], "owner": ["co-1"]}}
OWNER = {"id": "co-1", "schema": "Company", "properties": {"name": ["Star Shipping Ltd"]}}


def _read(tmp_path: Path, *docs: dict[str, Any]) -> tuple[FtmReader, list]:
    path = tmp_path / "e.ftm.json"
    path.write_text("\n".join(json.dumps(d) for d in docs) + "\n", encoding="utf-8")
    reader = FtmReader([path])
    items = list(reader.records())
    assert reader.stats.loaded + reader.stats.rejected == reader.stats.rows == len(docs)
    return reader, items


def _node(items: list, label: str) -> NodeRecord:
    (node,) = [i for i in items if isinstance(i, NodeRecord) and i.label == label and not i.unresolved]
    return node


def test_an_ftm_vessel_is_a_vessel_with_the_particulars_ofac_gives(tmp_path: Path) -> None:
    reader, items = _read(tmp_path, VESSEL)
    assert [i for i in items if isinstance(i, Rejection)] == []
    vessel = _node(items, "Vessel")
    assert vessel.id == "v-1"
    assert vessel.properties == {
        "name": "Sea Star", "alias": ["Star of the Sea"], "imoNumber": "IMO9074729", "mmsi": "457123000",
        "callSign": "XUAB7", "flag": "KH", "pastFlags": ["PA"], "vesselType": "Crude Oil Tanker",
        "tonnage": 84000.0, "grossRegisteredTonnage": 52000.0, "buildDate": "1994"}


def test_an_ftm_airplane_is_an_airplane_with_its_tail_numbers(tmp_path: Path) -> None:
    reader, items = _read(tmp_path, AIRPLANE)
    assert _node(items, "Airplane").properties == {
        "name": "EP-MNA", "registrationNumber": ["EP-MNA", "UP-B3701"], "serialNumber": ["26283"],
        "model": "Boeing 747-422", "flag": "IR", "buildDate": "1992-08-01"}


def test_a_crafts_owner_and_operator_are_linked_to_it(tmp_path: Path) -> None:
    reader, items = _read(tmp_path, OWNER, VESSEL)
    edges = sorted((e.type, e.start, e.end) for e in items if isinstance(e, EdgeRecord))
    assert edges == [("OPERATES_CRAFT", "co-2", "v-1"), ("OWNS", "co-1", "v-1")]
    assert [n.id for n in items if isinstance(n, NodeRecord) and n.unresolved] == ["co-2"]


def test_a_vessel_with_a_flag_that_is_no_country_is_rejected_naming_it(tmp_path: Path) -> None:
    reader, items = _read(tmp_path, {**VESSEL, "properties": {"name": ["Sea Star"], "flag": ["Atlantis"]}})
    (reject,) = [i for i in items if isinstance(i, Rejection)]
    assert "in property flag" in reject.reason and "Atlantis" in reject.reason
