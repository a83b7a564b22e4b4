"""An account is linked to its bank: the one Bank node of the banks gazetteer, whichever name,
script, code or BIC a feed or an FtM file gives it, or the bank code of its IBAN (AT_BANK). A
bank the gazetteer does not know is loaded, flagged unresolvedBank and warned of with its file
and line, never dropped and never made a bank of its own."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from ingest_helpers import ftm_file, load_transfers_and_ftm, node_props, read_mapped

from graphapi.ingest.identity.accounts import bank_identity
from graphapi.ingest.identity.banks import named_bank
from graphapi.ingest.identity.gazetteer import gazetteer
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.readers.gazetteers import GazetteerReader
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.reference_data import captured_reference_nodes, ensure_reference_data, reference_ids
from graphapi.ingest.service import ingest_records
from graphapi.ingest.writer import Provenance
from graphapi.investigate.entities import get_nodes
from graphapi.investigate.syndicates import syndicates
from graphapi.security import DEMO_PRINCIPAL, Principal

pytestmark = pytest.mark.backends  # every store test runs on FalkorDB and on Neo4j

PROV = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00Z")
TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
HEADER = ("txn_ref,from_account,from_bank,from_country,to_account,to_bank,to_country,to_wallet_chain,"
          "to_wallet,amount,currency,value_time,reference")
FIU = load_mapping(Path(__file__).resolve().parents[2] / "seed" / "mappings" / "partners" / "transfers-fiu.yaml")
FIU_HEADER = ("Ref No,Sender Account,Sender Bank,Sender Country,Beneficiary Account,Beneficiary Bank,"
              "Beneficiary Country,Wallet Network,Wallet Address,Amount,Ccy,Value Date,Narrative")
#: KBZ Bank in four spellings (abbreviation, English, Burmese, branch BIC), paying ABA in Khmer
KBZ_ROWS = ("TX1,405-1-30105-6,KBZ,MM,7654321,ធនាគារ ABA,KH,,,10.00,USD,13/03/2026 03:27:38,a",
            "TX2,4051301056,Kanbawza Bank,MM,7654321,ABA,KH,,,20.00,USD,13/03/2026 04:27:38,b",
            "TX3,3057219486,ကမ္ဘောဇဘဏ်,MM,7654321,Advanced Bank of Asia,KH,,,30.00,USD,13/03/2026 05:27:38,c",
            "TX4,6620184735,KBZBMMMYXXX,MM,7654321,ABAAKHPP,KH,,,40.00,USD,13/03/2026 06:27:38,d")
UNKNOWN_ROW = "TX9,555-01,Golden Lotus Bank,TH,7654321,ABA,KH,,,10.00,USD,13/03/2026 03:27:38,z"
KBZ_ACCOUNT = "account:MM:KBZBMMMY:4051301056"
ABA_ACCOUNT = "account:KH:ABAAKHPP:7654321"
LOTUS_ACCOUNT = "account:TH:GOLDENLOTUSBANK:55501"


def _links(items: list[Any]) -> dict[str, str]:
    return {e.start: e.end for e in items if isinstance(e, EdgeRecord) and e.type == "AT_BANK"}


def _banks(items: list[Any]) -> list[str]:
    return [r.id for r in items if isinstance(r, NodeRecord) and r.label == "Bank"]


# -- the reader: one Bank node, whatever the spelling ---------------------------------------------


def test_a_bank_named_four_ways_is_one_bank_node_every_account_links_to(tmp_path: Path) -> None:
    _, items = read_mapped(tmp_path, "transfers", HEADER, *KBZ_ROWS)
    assert sorted(_banks(items)) == ["bank-kh-aba", "bank-mm-kbz"]
    assert _links(items) == {KBZ_ACCOUNT: "bank-mm-kbz", "account:MM:KBZBMMMY:3057219486": "bank-mm-kbz",
                             "account:MM:KBZBMMMY:6620184735": "bank-mm-kbz", ABA_ACCOUNT: "bank-kh-aba"}


def test_a_bank_node_carries_the_gazetteers_names_and_bic(tmp_path: Path) -> None:
    _, items = read_mapped(tmp_path, "transfers", HEADER, KBZ_ROWS[0])
    (kbz,) = [r for r in items if isinstance(r, NodeRecord) and r.id == "bank-mm-kbz"]
    assert kbz.properties == {"name": "KBZ Bank", "alias": ["KBZ", "Kanbawza Bank", "Kanbawza", "ကမ္ဘောဇဘဏ်"],
                              "bic": ["KBZBMMMY"], "country": ["MM"]}


def test_an_account_is_linked_once_per_load_not_once_per_row(tmp_path: Path) -> None:
    _, items = read_mapped(tmp_path, "transfers", HEADER, *KBZ_ROWS)
    to_aba = [e for e in items if isinstance(e, EdgeRecord) and e.type == "AT_BANK" and e.start == ABA_ACCOUNT]
    assert [(e.origin.file, e.origin.line) for e in to_aba] == [("transfers.csv", 2)]


def test_an_account_said_again_with_the_same_properties_has_its_bank_read_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from graphapi.ingest.identity import banks

    asked: list[str] = []
    country = banks.account_country

    def counted(props: dict[str, Any]) -> str | None:
        asked.append(str(props.get("accountKey")))
        return country(props)

    monkeypatch.setattr(banks, "account_country", counted)
    rows = [KBZ_ROWS[0].replace("TX1,", f"TX{i},") for i in range(1, 6)]  # one transfer's accounts, five rows
    _, items = read_mapped(tmp_path, "transfers", HEADER, *rows)
    assert _links(items) == {"account:MM:KBZBMMMY:4051301056": "bank-mm-kbz", ABA_ACCOUNT: "bank-kh-aba"}
    assert sorted(set(asked)) == ["KH:ABAAKHPP:7654321", "MM:KBZBMMMY:4051301056"]
    assert len(asked) == 6  # each account's first row (its key, its bank, the abroad check); none after it


def test_an_account_of_an_unknown_bank_is_flagged_on_every_row_naming_it(tmp_path: Path) -> None:
    rows = [UNKNOWN_ROW.replace("TX9,", f"TX{i},") for i in range(9, 13)]
    _, items = read_mapped(tmp_path, "transfers", HEADER, *rows)
    lotus = [r for r in items if isinstance(r, NodeRecord) and r.id == LOTUS_ACCOUNT]
    assert [r.properties.get("unresolvedBank") for r in lotus] == [True] * 4


def test_the_partner_layout_links_a_bank_named_in_khmer_and_in_burmese(tmp_path: Path) -> None:
    path = tmp_path / "fiu.csv"
    path.write_text(FIU_HEADER + "\nTX1,405-1-30105-6,ကမ္ဘောဇဘဏ်,MMR,765-4321,ធនាគារ វីង,KHM,,,\"1,000.00\",kyat,"
                    "2026-03-13 03:27:38,fee\n", encoding="utf-8")
    items = list(MappedCsvReader(FIU, [path]).records())
    assert _links(items) == {KBZ_ACCOUNT: "bank-mm-kbz", "account:KH:KH-WING:7654321": "bank-kh-wing"}


def test_an_ftm_account_given_by_its_bic_or_bank_name_links_to_the_same_bank(tmp_path: Path) -> None:
    items = list(FtmReader([ftm_file(tmp_path, {"id": "a1", "schema": "BankAccount", "properties": {
        "bic": ["KBZBMMMYXXX"], "accountNumber": ["4051301056"]}}, {"id": "a2", "schema": "BankAccount", "properties": {
            "bankName": ["ធនាគារ អេស៊ីលីដា ភីអិលស៊ី"], "accountNumber": ["99-01"], "country": ["kh"]}})]).records())
    assert _links(items) == {KBZ_ACCOUNT: "bank-mm-kbz", "account:KH:ACLBKHPP:9901": "bank-kh-acleda"}


def test_an_iban_account_links_to_the_bank_its_bank_code_names(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a deployment's gazetteer knows Commerzbank; schwifty's registry maps the IBAN's code 37040044 to it
    (tmp_path / "banks-local.yaml").write_text(
        "entries:\n  - {id: de-commerzbank, name: Commerzbank, country: DE, bic: COBADEFF}\n", encoding="utf-8")
    monkeypatch.setenv("LINTAS_GAZETTEERS", str(tmp_path))
    gazetteer.cache_clear()
    bank_identity.cache_clear()
    try:
        items = list(FtmReader([ftm_file(tmp_path, {"id": "a1", "schema": "BankAccount", "properties": {
            "iban": ["DE89 3704 0044 0532 0130 00"]}})]).records())
    finally:
        monkeypatch.delenv("LINTAS_GAZETTEERS")
        gazetteer.cache_clear()
        bank_identity.cache_clear()
    assert _links(items) == {"account:DE89370400440532013000": "bank-de-commerzbank"}


def test_an_account_that_names_no_bank_links_to_none_and_is_not_flagged(tmp_path: Path) -> None:
    reader, items = read_mapped(tmp_path, "transfers", HEADER,
                                "TX1,,,,,,,ethereum,0x52908400098527886E0F7030069857D2E4169EE7,1.00,USDT,"
                                "13/03/2026 03:27:38,a")
    assert _links(items) == {} and reader.stats.warnings == []


def test_an_account_with_a_country_and_no_bank_is_not_flagged(tmp_path: Path) -> None:
    reader = FtmReader([ftm_file(tmp_path, {"id": "a1", "schema": "BankAccount", "properties": {
        "accountNumber": ["0011223344"], "country": ["kh"]}})])
    (account,) = [i for i in reader.records() if isinstance(i, NodeRecord)]
    assert "unresolvedBank" not in account.properties and reader.stats.warnings == []


# -- an unknown bank: loaded, flagged, warned, never a bank -----------------------------------------


def test_an_unknown_bank_is_loaded_flagged_and_made_no_bank(tmp_path: Path) -> None:
    reader, items = read_mapped(tmp_path, "transfers", HEADER, UNKNOWN_ROW)
    (lotus,) = [r for r in items if isinstance(r, NodeRecord) and r.id == LOTUS_ACCOUNT]
    assert lotus.properties["unresolvedBank"] is True
    assert _banks(items) == ["bank-kh-aba"] and LOTUS_ACCOUNT not in _links(items)
    assert (reader.stats.rows, reader.stats.rejected) == (1, 0)


def test_an_unknown_bank_is_warned_of_with_its_file_line_and_row(tmp_path: Path) -> None:
    reader, _ = read_mapped(tmp_path, "transfers", HEADER, KBZ_ROWS[0], UNKNOWN_ROW)
    (warning,) = reader.stats.warnings
    assert (warning.file, warning.line) == ("transfers.csv", 3)
    assert warning.reason.startswith(f"unknown bank 'GOLDENLOTUSBANK' of {LOTUS_ACCOUNT}: not in the banks gazetteer")
    assert warning.raw["from_bank"] == "Golden Lotus Bank"


def test_an_unknown_bank_is_warned_of_once_per_account(tmp_path: Path) -> None:
    reader, _ = read_mapped(tmp_path, "transfers", HEADER, UNKNOWN_ROW, UNKNOWN_ROW.replace("TX9", "TX10"))
    assert [w.line for w in reader.stats.warnings] == [2]


def test_a_foreign_iban_whose_bank_no_gazetteer_knows_is_flagged_with_its_bank(tmp_path: Path) -> None:
    reader = FtmReader([ftm_file(tmp_path, {"id": "a1", "schema": "BankAccount", "properties": {
        "iban": ["DE89370400440532013000"]}})])
    (account,) = [r for r in reader.records() if isinstance(r, NodeRecord)]
    assert account.properties["unresolvedBank"] is True
    assert reader.stats.warnings[0].reason.startswith(
        "unknown bank 'Commerzbank (COBADEFFXXX)' of account:DE89370400440532013000")


def test_a_name_resolves_before_the_iban_and_nothing_names_no_bank() -> None:
    entry, named = named_bank({"bankName": "Kasikorn", "iban": "DE89370400440532013000"})
    assert (entry.id, named) == ("th-kbank", "Kasikorn")
    assert named_bank({"accountNumber": "123"}) == (None, None)


# -- on the store -----------------------------------------------------------------------------------


async def _incoming(store: Any, node_id: str) -> int:
    return int((await store.read("ingest/count_incoming", {"id": node_id}, type="AT_BANK"))[0]["n"])


async def test_the_feed_ftm_and_the_gazetteer_make_one_bank_node_on_the_store(
        backend_empty_store, tmp_path: Path) -> None:
    store = backend_empty_store
    await load_transfers_and_ftm(store, tmp_path, HEADER, KBZ_ROWS, {"id": "f1", "schema": "BankAccount",
                                 "properties": {"bankName": ["KBZ Bank"], "accountNumber": ["333"], "country": ["mm"]}},
                                 PROV)
    s = await run_load(store, GazetteerReader(kinds=("banks",)), source="gazetteer", provenance=PROV)
    assert int((await store.read("ingest/count_label", label="Bank"))[0]["n"]) == s.rows_read
    assert await _incoming(store, "bank-mm-kbz") == 4  # 405..., 305..., 662... and FtM's 333
    assert await _incoming(store, "bank-kh-aba") == 1
    props = await node_props(store, "bank-mm-kbz")
    assert props["name"] == "KBZ Bank" and props["sources"] == ["partner-fiu-transfers", "ftm", "gazetteer"]


async def test_an_unknown_bank_is_a_warning_on_the_store_and_in_the_reject_report(
        backend_empty_store, tmp_path: Path) -> None:
    store = backend_empty_store
    csv = tmp_path / "transfers.csv"
    csv.write_text("\n".join([HEADER, KBZ_ROWS[0], UNKNOWN_ROW]) + "\n", encoding="utf-8")
    report = tmp_path / "rejects.jsonl"
    s = await run_load(store, MappedCsvReader(load_mapping("transfers"), [csv]), source="partner-fiu-transfers",
                       provenance=PROV, reject_report=report)
    assert (s.rows_read, s.rows_loaded, s.rows_rejected, s.warnings) == (2, 2, 0, 1)
    (line,) = [json.loads(x) for x in report.read_text(encoding="utf-8").splitlines()]
    assert (line["file"], line["line"], line["warning"]) == ("transfers.csv", 3, True)
    assert (await node_props(store, LOTUS_ACCOUNT))["unresolvedBank"] is True
    assert "unresolvedBank" not in await node_props(store, KBZ_ACCOUNT)
    assert int((await store.read("ingest/count_label", label="Bank"))[0]["n"]) == 2  # KBZ and ABA, no Lotus


async def test_reloading_the_feed_changes_no_bank_count(backend_empty_store, tmp_path: Path) -> None:
    store = backend_empty_store
    csv = tmp_path / "transfers.csv"
    csv.write_text("\n".join([HEADER, *KBZ_ROWS, UNKNOWN_ROW]) + "\n", encoding="utf-8")
    for _ in range(2):
        s = await run_load(store, MappedCsvReader(load_mapping("transfers"), [csv]), source="partner-fiu-transfers",
                           provenance=PROV)
        assert (s.rows_read, s.rows_rejected) == (5, 0)
        assert int((await store.read("ingest/count_relationship", type="AT_BANK"))[0]["n"]) == 4
        assert int((await store.read("ingest/count_label", label="Bank"))[0]["n"]) == 2


async def test_two_customers_of_one_bank_are_no_syndicate_unless_the_bank_is_asked_for(
        backend_empty_store, tmp_path: Path) -> None:
    store = backend_empty_store
    csv = tmp_path / "transfers.csv"
    csv.write_text("\n".join([HEADER, KBZ_ROWS[0], "TX2,3057219486,KBZ,MM,1073835163,BDO,PH,,,5.00,USD,"
                              "13/03/2026 04:27:38,b"]) + "\n", encoding="utf-8")
    await run_load(store, MappedCsvReader(load_mapping("transfers"), [csv]), source="partner-fiu-transfers",
                   provenance=PROV)
    alone = await syndicates(store, DEMO_PRINCIPAL, [KBZ_ACCOUNT], depth=3)
    assert {m.node.id for m in alone.members} == {KBZ_ACCOUNT, ABA_ACCOUNT}
    counted = await syndicates(store, DEMO_PRINCIPAL, [KBZ_ACCOUNT], depth=3, exclude_relationship_types=[])
    assert {"bank-mm-kbz", "account:MM:KBZBMMMY:3057219486"} <= {m.node.id for m in counted.members}


async def test_a_red_feed_naming_a_bank_first_leaves_the_bank_public_once_the_store_is_ready(
        backend_empty_store, tmp_path: Path) -> None:
    # attack round 12, B1: KH-NP's RED account made bank-th-ktb KH-NP's RED node, hidden from
    # everyone else; every path that readies a store for writes now loads the gazetteers first
    store = backend_empty_store
    assert await ensure_reference_data(store) == len(set(reference_ids()))
    ftm = ftm_file(tmp_path, {"id": "k1", "schema": "BankAccount", "properties": {
        "bic": ["KRTHTHBK"], "accountNumber": ["9001"], "country": ["th"]}})
    red = Provenance(owner="KH-NP", tlp="RED", seen="2026-01-01T00:00:00Z")
    summary = await run_load(store, FtmReader([ftm]), source="ftm", provenance=red, viewer="KH-NP")
    assert summary.rows_rejected == 0
    props = await node_props(store, "bank-th-ktb")
    assert (props["owner"], props["tlp"]) == ("public", "CLEAR")
    assert [n.id for n in (await get_nodes(store, TH, ["bank-th-ktb"])).values()] == ["bank-th-ktb"]
    assert await ensure_reference_data(store) == 0  # all there: one read, nothing written


@pytest.mark.parametrize(("label", "squatted"), [
    ("Bank", "bank-mm-futurepay"),  # attack round 13, B1b: it took the node of an entry added later
    ("BorderCheckpoint", "bcp-th-la-new-bridge"), ("Compound", "cmp-kh-new-site"),  # round 14, B1c
])
async def test_an_agency_creates_no_node_of_a_gazetteer_id_its_gazetteer_may_add_later(
        backend_empty_store, label: str, squatted: str) -> None:
    store = backend_empty_store
    squat = [{"kind": "node", "label": label, "id": squatted, "properties": {"name": "Soon listed"}}]
    result = await ingest_records(store, squat, source="graphql:KH-NP", owner="KH-NP", tlp="RED")
    assert [reason for _i, reason in result.rejected] == [
        f"id {squatted!r} has the form of a gazetteer's node (bank-, bcp-, cmp-: public reference data, written by "
        "`lintas load gazetteers`); an agency's load does not create one"]
    assert await store.read("ingest/existing_node_ids", {"ids": [squatted]}) == []


async def test_the_gazetteer_nodes_an_agency_took_before_they_were_reference_data_are_told(
        backend_empty_store, tmp_path: Path) -> None:
    store = backend_empty_store
    ftm = ftm_file(tmp_path, {"id": "k1", "schema": "BankAccount", "properties": {
        "bic": ["KRTHTHBK"], "accountNumber": ["9001"], "country": ["th"]}})
    await run_load(store, FtmReader([ftm]), source="ftm", provenance=Provenance(owner="KH-NP", tlp="RED"))
    await ensure_reference_data(store)
    assert await captured_reference_nodes(store) == [("bank-th-ktb", "KH-NP", "RED")]


async def test_an_agencys_record_of_a_gazetteer_node_adds_nothing_to_it(backend_empty_store) -> None:
    # attack round 17, G1: a GREEN ingest of bcp-th-mm-mae-sot added an alias, a name and a latitude
    store = backend_empty_store
    await ensure_reference_data(store)
    before = await node_props(store, "bcp-th-mm-mae-sot")
    edit = [{"kind": "node", "label": "BorderCheckpoint", "id": "bcp-th-mm-mae-sot",
             "properties": {"name": "SECRET-GREEN name", "alias": ["SECRET-GREEN alias"], "lat": 1.5}}]
    result = await ingest_records(store, edit, source="graphql:TH-DSI", owner="TH-DSI", tlp="GREEN")
    assert result.rejected == []
    assert await node_props(store, "bcp-th-mm-mae-sot") == before
