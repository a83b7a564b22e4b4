"""An FtM Person's own ``passportNumber`` is an IdentityDocument issued by her nationality, as the
shipped crossings mapping keys a traveller's passport and OFAC's 'Passport MA123456 (Burma)'
does: the same traveller in an FtM export, the SDN list and a crossings feed meets herself on
one identity node (attack round 32, item 7). With several nationalities there is no issuer to
key it by (FtM's values are a set): no node, the number stays her property."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from ingest_helpers import read_mapped

from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.readers.ofac import OfacReader
from graphapi.ingest.records import EdgeRecord, NodeRecord

HEADER = ("crossing_id,person_id,full_name,nationality,birth_date,document_no,checkpoint_id,checkpoint_name,"
          "checkpoint_countries,checkpoint_kind,direction,crossed_at")


def _documents(items: Any) -> list[str]:
    return sorted(i.id for i in items if isinstance(i, NodeRecord) and i.label == "IdentityDocument")


def _ftm(tmp_path: Path, **properties: list[str]) -> list[Any]:
    f = tmp_path / "p.ftm.json"
    f.write_text(json.dumps({"id": "p-1", "schema": "Person", "properties": {"name": ["Aung Min"], **properties}})
                 + "\n", encoding="utf-8")
    return list(FtmReader([f]).records())


def test_an_ftm_persons_passport_number_meets_the_same_passport_from_ofac_and_a_crossings_feed(tmp_path):
    sdn = tmp_path / "sdn.csv"
    with sdn.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerow(["9001", "MIN, Aung", "individual", "SDGT"] + ["-0- "] * 7
                                + ["nationality Burma; Passport MA123456 (Burma)."])
    _, crossing = read_mapped(tmp_path, "crossings", HEADER,
                              "X1,P1,Aung Min,MM,1980-01-01,MA-123456,KH-TH-PAILIN,Pailin - Ban Pakkard,KH;TH,land,"
                              "exit,2026-05-25 06:47:54")
    ftm = _ftm(tmp_path, nationality=["mm"], passportNumber=["MA 123-456"])
    assert _documents(OfacReader(sdn).records()) == ["identity:MM|MA123456"]
    assert _documents(crossing) == ["identity:MM|MA123456"]
    assert _documents(ftm) == ["identity:MM|MA123456"]


def test_the_ftm_person_holds_her_passport_node(tmp_path):
    items = _ftm(tmp_path, nationality=["mm"], passportNumber=["MA 123-456"])
    holds = [(i.start, i.end) for i in items if isinstance(i, EdgeRecord) and i.type == "HOLDS_DOCUMENT"]
    assert holds == [("p-1", "identity:MM|MA123456")]


def test_a_person_of_several_nationalities_keeps_her_passport_number_without_a_node(tmp_path):
    items = _ftm(tmp_path, nationality=["mm", "th"], passportNumber=["MA123456"])
    person = next(i for i in items if isinstance(i, NodeRecord) and i.label == "Person")
    assert _documents(items) == [] and person.properties["passportNumber"] == ["MA123456"]


def test_a_person_without_a_nationality_keeps_her_passport_number_without_a_node(tmp_path):
    items = _ftm(tmp_path, passportNumber=["MA123456"])
    assert _documents(items) == []


def test_a_placeholder_passport_number_makes_no_node(tmp_path):
    assert _documents(_ftm(tmp_path, nationality=["mm"], passportNumber=["N/A"])) == []
