"""One bank account is one node: its bank resolved to one identity (the BIC, by the banks
gazetteer) from any of its names, and its number without separators, the same in the transfers
feed and in FtM."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_helpers import account_ids, ftm_file, node_props

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends  # every store test runs on FalkorDB and on Neo4j

PROV = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00Z")
HEADER = ("txn_ref,from_account,from_bank,from_country,to_account,to_bank,to_country,to_wallet_chain,"
          "to_wallet,amount,currency,value_time,reference")
KBZ_ACCOUNT = "account:MM:KBZBMMMY:4051301056"


def _transfers(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "transfers.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


ROWS = ("TX1,405-1-30105-6,KBZ,MM,7654321,BDO,PH,,,10.00,USD,13/03/2026 03:27:38,a",
        "TX2,4051301056,ကမ္ဘောဇဘဏ်,Myanmar,76-54-321,Banco de Oro,Philippines,,,20.00,USD,13/03/2026 04:27:38,b",
        "TX3,4051 3010 56,Kanbawza Bank,Burma,7654321,bnorphmmxxx,ph,,,30.00,USD,13/03/2026 05:27:38,c")


def test_an_account_written_with_separators_and_its_bank_in_two_scripts_is_one_id(tmp_path: Path) -> None:
    items = list(MappedCsvReader(load_mapping("transfers"), [_transfers(tmp_path, *ROWS)]).records())
    assert set(account_ids(items)) == {KBZ_ACCOUNT, "account:PH:BNORPHMM:7654321"}
    assert [(e.start, e.end) for e in items if isinstance(e, EdgeRecord) and e.type == "TRANSFERRED_TO"] == [
        (KBZ_ACCOUNT, "account:PH:BNORPHMM:7654321")] * 3


def test_an_ftm_bank_account_with_the_same_bank_and_number_takes_the_feeds_id(tmp_path: Path) -> None:
    items = list(FtmReader([ftm_file(tmp_path, {"id": "ftm-acct", "schema": "BankAccount", "properties": {
        "bankName": ["Kanbawza Bank"], "accountNumber": ["4051-301-056"], "country": ["mm"]}})]).records())
    (account,) = [r for r in items if isinstance(r, NodeRecord) and r.label == "BankAccount"]
    assert account.id == KBZ_ACCOUNT
    assert account.properties["accountNumber"] == "4051301056" and account.properties["referents"] == ["ftm-acct"]


def test_an_ftm_bank_account_given_by_bic_alone_takes_its_country_from_the_bic(tmp_path: Path) -> None:
    items = list(FtmReader([ftm_file(tmp_path, {"id": "a1", "schema": "BankAccount", "properties": {
        "bic": ["KBZBMMMYXXX"], "accountNumber": ["4051301056"]}})]).records())
    assert account_ids(items) == [KBZ_ACCOUNT]


def test_a_bank_the_gazetteer_does_not_know_keys_by_its_name_alike_in_ftm_and_the_feed(tmp_path: Path) -> None:
    csv = _transfers(tmp_path, "TX1,555-01,Golden Lotus Bank,TH,7654321,BDO,PH,,,10.00,USD,13/03/2026 03:27:38,a")
    fed = account_ids(list(MappedCsvReader(load_mapping("transfers"), [csv]).records()))
    ftm = account_ids(list(FtmReader([ftm_file(tmp_path, {"id": "a1", "schema": "BankAccount", "properties": {
        "bankName": ["golden lotus bank"], "accountNumber": ["55501"], "country": ["th"]}})]).records()))
    assert fed[0] == ftm[0] == "account:TH:GOLDENLOTUSBANK:55501"


async def test_the_feeds_and_ftm_make_one_node_per_account_on_the_store(backend_empty_store, tmp_path: Path) -> None:
    store = backend_empty_store
    s = await run_load(store, MappedCsvReader(load_mapping("transfers"), [_transfers(tmp_path, *ROWS)]),
                       source="partner-fiu-transfers", provenance=PROV)
    assert (s.rows_read, s.rows_rejected) == (3, 0)
    ftm = ftm_file(tmp_path, {"id": "ftm-acct", "schema": "BankAccount", "properties": {
        "bankName": ["KBZ Bank"], "accountNumber": ["4051301056"], "country": ["mm"]}})
    await run_load(store, FtmReader([ftm]), source="ftm", provenance=PROV)
    rows = await store.read("ingest/count_label", label="BankAccount")
    assert int(rows[0]["n"]) == 2
    props = await node_props(store, KBZ_ACCOUNT)
    assert props["sources"] == ["partner-fiu-transfers", "ftm"] and props["referents"] == ["ftm-acct"]
