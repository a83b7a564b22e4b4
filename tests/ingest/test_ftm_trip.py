"""FtM reader: a Trip becomes TRAVELLED relationships from each traveller to the trip's start
(departure) and end (arrival) addresses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from ingest_helpers import graph_counts

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.records import EdgeRecord, NodeRecord, Rejection
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends  # every store test runs on FalkorDB and on Neo4j

PROV = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00Z")
BANGKOK, PHNOM_PENH = "address:bangkok|TH", "address:phnom penh|KH"
TRIP = {"id": "t1", "schema": "Trip",
        "properties": {"name": ["To the compound"], "involved": ["p1"], "startLocation": ["a-bkk"],
                       "endLocation": ["a-pnh"], "startDate": ["2026-03-01"], "endDate": ["2026-03-02"]}}
ENTITIES = (
    {"id": "p1", "schema": "Person", "properties": {"name": ["Somchai"]}},
    {"id": "a-bkk", "schema": "Address", "properties": {"full": ["Bangkok"], "country": ["th"]}},
    {"id": "a-pnh", "schema": "Address", "properties": {"full": ["Phnom Penh"], "country": ["kh"]}},
)


def _file(tmp_path: Path, *docs: dict[str, Any]) -> Path:
    path = tmp_path / "trips.ftm.json"
    path.write_text("\n".join(json.dumps(d) for d in docs) + "\n", encoding="utf-8")
    return path


def test_ftm_trip_becomes_travelled_departure_and_arrival(tmp_path: Path) -> None:
    reader = FtmReader([_file(tmp_path, TRIP, *ENTITIES)])
    edges = [e for e in reader.records() if isinstance(e, EdgeRecord)]
    assert [(e.type, e.start, e.end, e.properties) for e in edges] == [
        ("TRAVELLED", "p1", BANGKOK, {"direction": "departure", "from": "2026-03-01", "to": "2026-03-02",
                                       "tripId": "t1", "recordId": "t1"}),
        ("TRAVELLED", "p1", PHNOM_PENH, {"direction": "arrival", "from": "2026-03-01", "to": "2026-03-02",
                                          "tripId": "t1", "recordId": "t1"}),
    ]
    assert (reader.stats.rows, reader.stats.rejected, reader.stats.unresolved) == (4, 0, [])


def test_ftm_trip_to_an_address_not_in_the_file_links_to_its_placeholder(tmp_path: Path) -> None:
    reader = FtmReader([_file(tmp_path, TRIP, *ENTITIES[:2])])
    items = list(reader.records())
    assert [(r.id, r.label, r.unresolved) for r in items if isinstance(r, NodeRecord) and r.unresolved] == [
        ("a-pnh", "Address", True)]
    assert [e.end for e in items if isinstance(e, EdgeRecord)] == [BANGKOK, "a-pnh"]
    assert reader.stats.unresolved == ["a-pnh"]


def test_ftm_trip_without_a_traveller_is_rejected(tmp_path: Path) -> None:
    lonely = {**TRIP, "properties": {k: v for k, v in TRIP["properties"].items() if k != "involved"}}
    items = list(FtmReader([_file(tmp_path, lonely)]).records())
    assert [(r.line, r.reason) for r in items if isinstance(r, Rejection)] == [
        (1, "Trip without involved or without startLocation/endLocation")]


async def test_ftm_trip_loads_as_travelled_relationships(empty_store, tmp_path: Path) -> None:
    s = await run_load(empty_store, FtmReader([_file(tmp_path, TRIP, *ENTITIES)]), source="ftm", provenance=PROV)
    assert (s.rows_rejected, s.relationships_rejected, s.dangling) == (0, 0, 0)
    rows = await empty_store.read("ingest/count_relationship", type="TRAVELLED")
    assert int(rows[0]["n"]) == 2 and await graph_counts(empty_store) == (3, 2)
