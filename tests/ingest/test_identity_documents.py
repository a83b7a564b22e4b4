"""Identity documents are shared identifier nodes keyed by issuing country and number without
separators: the same passport from OFAC, an FtM Passport and a border-crossing log is one node,
its holders meet through it, and placeholder documents link nobody."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from ingest_helpers import data_dir, graph_counts, node_props

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.readers.ofac import read_ofac
from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.writer import Provenance
from graphapi.investigate.shared_ids import shared_identifiers
from graphapi.security import DEMO_PRINCIPAL

pytestmark = pytest.mark.backends  # every store test runs on FalkorDB and on Neo4j

PROV = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00Z")
PASSPORT = "identity:MM|G7576565"
CROSSINGS_HEADER = ("crossing_id,person_id,full_name,nationality,birth_date,document_no,checkpoint_id,"
                    "checkpoint_name,checkpoint_countries,checkpoint_kind,direction,crossed_at")


def _ofac(tmp_path: Path) -> Path:
    sdn = tmp_path / "sdn.csv"
    sdn.write_text('90001,"AUNG, Min",individual,"TCO",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
                   '"DOB 01 Jan 1980; nationality Burma; Passport G757-6565 (Burma)."\n', encoding="utf-8")
    return sdn


def _ftm(tmp_path: Path) -> Path:
    path = tmp_path / "e.ftm.json"
    docs = [{"id": "ftm-p1", "schema": "Person", "properties": {"name": ["Min Aung"]}},
            {"id": "ftm-pass1", "schema": "Passport",
             "properties": {"holder": ["ftm-p1"], "number": ["g 7576565"], "country": ["mm"]}}]
    path.write_text("\n".join(json.dumps(d) for d in docs) + "\n", encoding="utf-8")
    return path


def _crossings(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "crossings.csv"
    path.write_text("\n".join([CROSSINGS_HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def _crossing(n: int, person: str, nationality: str, document: str) -> str:
    return (f"X{n},{person},Traveller {n},{nationality},1980-01-01,{document},MM-TH-MAESOT,Myawaddy - Mae Sot,"
            f"MM;TH,land,entry,2026-05-25 06:47:54")


def _documents(items: list[Any]) -> set[str]:
    return {r.id for r in items if isinstance(r, NodeRecord) and r.label == "IdentityDocument"}


def test_the_same_passport_from_ofac_ftm_and_a_crossing_log_is_one_document_id(tmp_path: Path) -> None:
    ofac = list(read_ofac(_ofac(tmp_path)).records())
    ftm = list(FtmReader([_ftm(tmp_path)]).records())
    path = _crossings(tmp_path, _crossing(1, "P1", "MM", "G 757 6565"))
    csv = list(MappedCsvReader(load_mapping("crossings"), [path]).records())
    assert _documents(ofac) == _documents(ftm) == _documents(csv) == {PASSPORT}
    holds = [(e.start, e.end) for items in (ofac, ftm, csv) for e in items
             if isinstance(e, EdgeRecord) and e.type == "HOLDS_DOCUMENT"]
    assert holds == [("ofac-90001", PASSPORT), ("ftm-p1", PASSPORT), ("imm-P1", PASSPORT)]


def test_a_passport_with_no_issuing_country_is_no_document_node(tmp_path: Path) -> None:
    path = tmp_path / "e.ftm.json"
    path.write_text(json.dumps({"id": "pass1", "schema": "Passport",
                                "properties": {"holder": ["p1"], "number": ["G7576565"]}}) + "\n", encoding="utf-8")
    items = list(FtmReader([path]).records())
    assert _documents(items) == set()
    assert [r.properties["passportNumber"] for r in items
            if isinstance(r, NodeRecord) and r.id == "p1" and not r.unresolved] == [["G7576565"]]


def test_a_norwegian_passport_is_a_document_although_no_is_a_placeholder_word(tmp_path: Path) -> None:
    path = _crossings(tmp_path, _crossing(1, "P1", "NO", "25817349"))
    items = list(MappedCsvReader(load_mapping("crossings"), [path]).records())
    assert _documents(items) == {"identity:NO|25817349"}


def test_a_myanmar_national_registration_number_is_compacted_from_ofac_real_rows() -> None:
    items = list(read_ofac(data_dir("ofac") / "sdn_sea_scam_subset.csv").records())
    docs = _documents(items)
    # OFAC writes "National ID No. 3/Baahna(N)259667 (Burma)" and "3LabanaN069004 (Burma)"
    assert {"identity:MM|3BAAHNAN259667", "identity:MM|3LABANAN069004", "identity:KH|N1922404"} <= docs
    assert len(docs) == 46  # people's passports and national ids with an issuing country


async def _count(store: Any, label: str) -> int:
    return int((await store.read("ingest/count_label", label=label))[0]["n"])


async def _rels(store: Any, rel_type: str) -> int:
    return int((await store.read("ingest/count_relationship", type=rel_type))[0]["n"])


async def test_three_feeds_naming_one_passport_make_one_node_and_its_holders_meet(
        backend_empty_store, tmp_path: Path) -> None:
    store = backend_empty_store
    await run_load(store, read_ofac(_ofac(tmp_path)), source="ofac-sdn", provenance=PROV)
    await run_load(store, FtmReader([_ftm(tmp_path)]), source="ftm", provenance=PROV)
    csv = _crossings(tmp_path, _crossing(1, "P1", "MM", "G-757-6565"))
    await run_load(store, MappedCsvReader(load_mapping("crossings"), [csv]), source="partner-immigration",
                   provenance=PROV)
    assert await _count(store, "IdentityDocument") == 1
    assert await _rels(store, "HOLDS_DOCUMENT") == 3
    found = await shared_identifiers(store, DEMO_PRINCIPAL, ["ofac-90001"])
    assert {(t.a.id, t.b.id): [i.id for i in t.identifiers] for t in found.ties} == {
        ("ftm-p1", "ofac-90001"): [PASSPORT], ("imm-P1", "ofac-90001"): [PASSPORT]}
    before = await graph_counts(store)
    await run_load(store, MappedCsvReader(load_mapping("crossings"), [csv]), source="partner-immigration",
                   provenance=PROV)
    assert await graph_counts(store) == before  # a reload changes no count


@pytest.mark.parametrize("placeholder", ["0", "000000", "XXXXXX"])
async def test_a_placeholder_passport_links_nobody(backend_empty_store, tmp_path: Path, placeholder: str) -> None:
    store = backend_empty_store
    csv = _crossings(tmp_path, _crossing(1, "P1", "MM", placeholder), _crossing(2, "P2", "MM", placeholder))
    s = await run_load(store, MappedCsvReader(load_mapping("crossings"), [csv]), source="partner-immigration",
                       provenance=PROV)
    assert (s.rows_read, s.rows_rejected) == (2, 0)
    assert await _count(store, "IdentityDocument") == 0
    assert await _rels(store, "HOLDS_DOCUMENT") == 0
    assert (await shared_identifiers(store, DEMO_PRINCIPAL, ["imm-P1"])).ties == []


async def test_a_passport_held_by_more_people_than_the_limit_is_quarantined_and_links_the_rest_as_text(
        backend_empty_store, tmp_path: Path) -> None:
    store = backend_empty_store
    # five travellers give one passport, written five ways; the breaker's limit is 3 holders
    written = ["G7576565", "G 757 6565", "G-757-6565", "g7576565", "G.7576565"]
    csv = _crossings(tmp_path, *(_crossing(n, f"P{n}", "MM", doc) for n, doc in enumerate(written, start=1)))
    s = await run_load(store, MappedCsvReader(load_mapping("crossings"), [csv]), source="partner-immigration",
                       provenance=PROV, correlation_limit=3)
    assert (s.rows_read, s.rows_rejected, s.quarantined) == (5, 0, 1)
    assert await _count(store, "IdentityDocument") == 1
    assert await _rels(store, "HOLDS_DOCUMENT") == 3
    # quarantined for the loading agency (a load's own quarantine is its audience's; the flag for
    # everyone comes only from holders everyone may see in the store: attack round 54, 1)
    passport = await node_props(store, PASSPORT)
    assert (passport.get("quarantined"), passport.get("quarantinedFor")) == (None, [PROV.owner])
    holders = [await node_props(store, f"imm-P{n}") for n in range(1, 6)]
    assert [p.get("identifiers") for p in holders] == [None, None, None, ["IdentityDocument:MM|G7576565"],
                                                       ["IdentityDocument:MM|G7576565"]]
