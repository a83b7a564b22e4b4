"""OFAC SDN reader and load: acceptance figures of issue 3 on the real subset in ../shared/data."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_helpers import data_dir, graph_counts, node_props

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ofac import OfacReader
from graphapi.ingest.readers.ofac_names import given_first
from graphapi.ingest.readers.ofac_remarks import REMARKS_MAX
from graphapi.ingest.records import EdgeRecord, NodeRecord, Rejection
from graphapi.ingest.writer import Provenance

SDN = data_dir("ofac") / "sdn_sea_scam_subset.csv"
ADD = data_dir("ofac") / "add_sea_scam_subset.csv"
CHEN_ZHI = "ofac-55505"
SAW_CHIT_THU = "ofac-53779"
KAREN_NATIONAL_ARMY = "ofac-53778"
PROV = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00Z")

pytestmark = pytest.mark.backends


async def _n(store, name: str, params: dict | None = None, **ph: str) -> int:
    return int((await store.read(name, params, **ph))[0]["n"])


def test_ofac_reader_counts_rows_and_never_rejects_the_real_subset() -> None:
    reader = OfacReader(SDN, ADD)
    items = list(reader.records())
    assert reader.stats.rows == 207 + 136 and reader.stats.rejected == 0
    people = {i.id for i in items if isinstance(i, NodeRecord) and i.label == "Person" and not i.unresolved}
    assert len(people) == 39


def test_ofac_reader_accepts_header_row_and_vessel_and_rejects_bad_rows(tmp_path: Path) -> None:
    sdn = tmp_path / "sdn.csv"
    sdn.write_text(
        "ent_num,SDN_Name,SDN_Type,Program,Title,Call_Sign,Vess_type,Tonnage,GRT,Vess_flag,Vess_owner,Remarks\n"
        '1,"A CO LTD",-0- ,"TCO",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"Linked To: NOBODY, Here."\n'
        '2,"SHIP",vessel,"TCO",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'
        "3,too,few\n",
        encoding="utf-8",
    )
    reader = OfacReader(sdn)
    items = list(reader.records())
    assert reader.stats.rows == 3 and reader.stats.rejected == 1  # the vessel is a Vessel
    assert reader.stats.unresolved == ["ofac-ref:nobody here"]
    placeholder = next(i for i in items if isinstance(i, NodeRecord) and i.unresolved)
    assert placeholder.label == "Person" and placeholder.properties["name"] == "NOBODY, Here"


def test_ofac_given_first_name() -> None:
    assert given_first("CHEN, Zhi") == "Zhi CHEN" and given_first("PRINCE GROUP") is None


async def test_ofac_load_meets_issue_acceptance(empty_store, tmp_path: Path) -> None:
    store = empty_store
    report = tmp_path / "rejects.jsonl"
    reader = OfacReader(SDN, ADD)
    s = await run_load(store, reader, source="ofac-sdn", provenance=PROV, batch_size=100,
                       reject_report=report)
    assert s.rows_read == s.rows_loaded + s.rows_rejected == 343
    assert report.exists() and s.dangling == 0
    assert await _n(store, "ingest/count_with_outgoing", label="Person", type="SANCTIONED") == 39
    assert await _n(store, "ingest/count_with_outgoing", label="Organization", type="SANCTIONED") == 168
    linked = await _n(store, "ingest/count_relationship", type="LINKED_TO")
    unresolved = reader.stats.unresolved
    assert s.unresolved == len(unresolved) >= 1
    placeholders = await store.read("ingest/existing_nodes", {"ids": unresolved})
    assert len(placeholders) == len(unresolved) and all(p["props"]["unresolved"] for p in placeholders)
    unresolved_links = sum(
        [await _n(store, "ingest/count_incoming", {"id": u}, type="LINKED_TO") for u in unresolved]
    )
    assert linked - unresolved_links >= 160
    assert await _n(store, "ingest/count_incoming", {"id": CHEN_ZHI}, type="LINKED_TO") >= 90
    # 14 "Digital Currency Address" mentions, one of them cut at 1000 characters: 13 wallets.
    assert await _n(store, "ingest/count_label", label="CryptoWallet") == 13
    chen = await node_props(store, CHEN_ZHI)
    assert any("3CuqLrZWn5oCe6DR" in i for i in chen["identifiers"])
    countries = {r["value"] for r in await store.read("ingest/distinct_values", label="Address", property="country")}
    assert len(countries) >= 8
    # The subset has no "Linked To" between Saw Chit Thu and the Karen National Army (his row has
    # none, and no row links both); they meet through their shared designations, one node apart.
    between = {"a": SAW_CHIT_THU, "b": KAREN_NATIONAL_ARMY}
    assert await store.read("ingest/links_between", between) == []
    common = {r["id"] for r in await store.read("ingest/common_neighbours", between)}
    assert common == {"sanction:OFAC|TCO", "sanction:OFAC|BURMA-EO14014"}
    # a name that itself ends in a period still resolves
    grand = await store.read("ingest/links_between", {"a": "ofac-55941", "b": "ofac-55940"})
    assert [h["type"] for h in grand] == ["LINKED_TO"]

    before = await graph_counts(store)
    again = await run_load(store, OfacReader(SDN, ADD), source="ofac-sdn", provenance=PROV, batch_size=100)
    assert await graph_counts(store) == before
    assert again.nodes_created == 0 and again.relationships_created == 0 and again.conflicts == 0


async def test_ofac_dry_run_writes_nothing(empty_store) -> None:
    s = await run_load(None, OfacReader(SDN, ADD), source="ofac-sdn", dry_run=True)
    assert s.rows_read == 343 and s.nodes_read > 0 and s.nodes_written is None
    assert await graph_counts(empty_store) == (0, 0)


def test_ofac_alt_file_email_and_phone_facts(tmp_path: Path) -> None:
    sdn = tmp_path / "sdn.csv"
    sdn.write_text(
        '9,"DOE, John","individual","TCO",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
        '"nationality Thailand; Email Address John@Example.org; Phone Number 081 234 5678; '
        'Digital Currency Address - XBT 3EynPFpoGTPxU9m5bPaEDEUxUanzh7vgQP."\n',
        encoding="utf-8",
    )
    alt = tmp_path / "alt.csv"
    alt.write_text('9,1,"aka","DOE, Johnny",-0- \n99,2,"aka","NOBODY",-0- \n', encoding="utf-8")
    reader = OfacReader(sdn, alt=alt)
    items = list(reader.records())
    assert reader.stats.rows == 3 and reader.stats.rejected == 1
    person = next(i for i in items if isinstance(i, NodeRecord) and i.id == "ofac-9")
    assert "DOE, Johnny" in person.properties["alias"] and "John DOE" in person.properties["alias"]
    ids = {i.id for i in items if isinstance(i, NodeRecord)}
    assert {"phone:+66812345678", "user:email|john@example.org",
            "wallet:3EynPFpoGTPxU9m5bPaEDEUxUanzh7vgQP"} <= ids


def _sdn(tmp_path: Path, *rows: str) -> Path:
    sdn = tmp_path / "sdn.csv"
    sdn.write_text("".join(row + "\n" for row in rows), encoding="utf-8")
    return sdn


def _row(ent: str, name: str, remarks: str, sdn_type: str = "-0- ") -> str:
    return f'{ent},"{name}",{sdn_type},"TCO",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"{remarks}"'


def test_ofac_remarks_cut_after_a_space_make_no_link_and_the_cut_is_noted(tmp_path: Path) -> None:
    tail = "; Linked To: TEST "
    remarks = ("; ".join(["Website example-one.com"] * 60))[:REMARKS_MAX - len(tail)] + tail
    assert len(remarks) == REMARKS_MAX
    reader = OfacReader(_sdn(tmp_path, _row("1", "TEST", "-0- "), _row("2", "CUT CO LTD", remarks)))
    items = list(reader.records())
    assert [e for e in items if isinstance(e, EdgeRecord) and e.type == "LINKED_TO"] == []
    cut = next(i for i in items if isinstance(i, NodeRecord) and i.id == "ofac-2")
    assert cut.properties["notes"].endswith("[cut by OFAC at 1000 characters] Linked To: TEST")
    assert "truncated:Linked To: TEST" in cut.properties["identifiers"]


def test_ofac_dob_range_is_kept_as_a_range_not_as_two_dates() -> None:
    person = next(i for i in OfacReader(SDN).records() if isinstance(i, NodeRecord) and i.id == "ofac-56033")
    assert person.properties["name"] == "SAWANG, Chamu"  # real row: DOB 01 Jan 1964 to 17 Feb 1964
    assert person.properties["birthDateRange"] == ["1964-01-01/1964-02-17"]
    assert person.properties["birthDate"] == ["1964"]


def test_ofac_first_row_with_a_bad_ent_num_is_read_and_rejected_not_taken_for_a_header(tmp_path: Path) -> None:
    sdn = _sdn(tmp_path, _row("55A505", "CHEN, Zhi", "-0- ", "individual"), _row("2", "A CO LTD", "-0- "))
    reader = OfacReader(sdn)
    rejected = [i for i in reader.records() if isinstance(i, Rejection)]
    assert [(r.line, r.reason) for r in rejected] == [(1, "ent_num '55A505' is not a number")]
    assert (reader.stats.rows, reader.stats.rejected) == (2, 1)


def test_ofac_header_row_of_ofac_column_names_is_skipped_in_every_file(tmp_path: Path) -> None:
    sdn = _sdn(tmp_path, "ENT_NUM,SDN_NAME,SDN_TYPE,PROGRAM,TITLE,CALL_SIGN,VESS_TYPE,TONNAGE,GRT,VESS_FLAG,"
                         "VESS_OWNER,REMARKS", _row("2", "A CO LTD", "-0- "))
    add = tmp_path / "add.csv"
    add.write_text("Ent_num,Add_num,Address,City/State/Province/Postal Code,Country,Add_remarks\n"
                   '2,20,"1 Main Street","Phnom Penh","Cambodia",-0- \n', encoding="utf-8")
    reader = OfacReader(sdn, add)
    items = list(reader.records())
    assert (reader.stats.rows, reader.stats.rejected) == (2, 0)
    assert any(isinstance(i, NodeRecord) and i.label == "Address" for i in items)


def test_ofac_phone_mail_and_website_that_do_not_clean_are_kept_as_text(tmp_path: Path) -> None:
    remarks = "Phone 1191; Email Address john.at.example; Website http://"
    items = list(OfacReader(_sdn(tmp_path, _row("9", "DOE, John", remarks, "individual"))).records())
    person = next(i for i in items if isinstance(i, NodeRecord) and i.id == "ofac-9")
    assert person.properties["identifiers"] == ["Website:http://", "UserAccount:john.at.example", "Phone:1191"]
    assert not any(isinstance(i, NodeRecord) and i.label in ("Phone", "UserAccount", "Website") for i in items)


def test_ofac_short_address_row_of_a_known_entity_is_rejected_for_its_field_count(tmp_path: Path) -> None:
    add = tmp_path / "add.csv"
    add.write_text('2,20,"1 Main Street","Phnom Penh"\n99,21,-0- ,-0- ,"Cambodia",-0- \n', encoding="utf-8")
    reader = OfacReader(_sdn(tmp_path, _row("2", "A CO LTD", "-0- ")), add)
    rejected = [(r.line, r.reason) for r in reader.records() if isinstance(r, Rejection)]
    assert rejected == [(1, "address row has 4 fields, expected 6"),
                        (2, "address row for ent_num '99', which is not among the loaded SDN rows")]
