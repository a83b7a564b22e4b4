"""An account whose mapping names its bank only in ``bic`` is linked to that bank even where the
gazetteer lists no BIC of the bank's office in the account's country (round 34c): since round 34
such an account stores no bic (never the head office's abroad), and with it went its only name of
the bank, so LA + "Bangkok Bank" and TH + "ACLEDA Bank" were linked to no bank at all, where they
had been linked through the head office's BIC. A mapping that never names a bank links nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.records import EdgeRecord, NodeRecord, Rejection
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends  # every store test runs on FalkorDB and on Neo4j

PROV = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00Z")
#: the bank column goes into the account's bic only (and its key)
INTO_BIC = """
name: into-bic
columns:
  bank: {resolve: bank}
entities:
  account:
    label: BankAccount
    required: true
    properties:
      accountKey: {template: "{country:country}:{bank}:{number:accountNumber}"}
      bic: {column: bank}
      country: {column: country}
"""
#: the same, the bank's name not resolved first: the bic getter reads it as written
INTO_BIC_AS_WRITTEN = INTO_BIC.replace("columns:\n  bank: {resolve: bank}\n", "")
#: the bank column only in the key: the mapping names no bank property
KEY_ONLY = INTO_BIC.replace("      bic: {column: bank}\n", "")
LAO_BBL = ("LA,Bangkok Bank,1234567890", "account:LA:BKKBLA:1234567890", "bank-th-bbl")
THAI_ACLEDA = ("TH,ACLEDA Bank,0011223344", "account:TH:ACLBTH:0011223344", "bank-kh-acleda")


def _read(tmp_path: Path, mapping: str, *rows: str) -> list[Any]:
    """Every record (and rejection) the rows make under ``mapping``."""
    (tmp_path / "m.yaml").write_text(mapping, encoding="utf-8")
    (tmp_path / "f.csv").write_text("\n".join(["country,bank,number", *rows]) + "\n", encoding="utf-8")
    return list(MappedCsvReader(load_mapping(tmp_path / "m.yaml"), [tmp_path / "f.csv"]).records())


def _accounts(items: list[Any]) -> list[tuple[str, dict[str, Any], str | None]]:
    """Per account record: ``(id, its properties, the bank node it is linked to)``."""
    banks = {i.start: i.end for i in items if isinstance(i, EdgeRecord) and i.type == "AT_BANK"}
    return [(i.id, i.properties, banks.get(i.id)) for i in items
            if isinstance(i, NodeRecord) and i.label == "BankAccount"]


@pytest.mark.parametrize("mapping", [INTO_BIC, INTO_BIC_AS_WRITTEN], ids=["resolved", "as-written"])
@pytest.mark.parametrize(("row", "account", "bank"), [LAO_BBL, THAI_ACLEDA], ids=["LA-BBL", "TH-ACLEDA"])
def test_an_account_named_at_its_bank_only_in_bic_with_no_office_listed_there_links_to_the_bank_and_stores_no_bic(
        tmp_path: Path, mapping: str, row: str, account: str, bank: str) -> None:
    country = row[:2]
    assert _accounts(_read(tmp_path, mapping, row)) == [
        (account, {"accountKey": account.removeprefix("account:"), "country": country}, bank)]


@pytest.mark.parametrize(("row", "head_office", "bank"), [
    (LAO_BBL[0], "TH,BKKBTHBK,1", LAO_BBL[2]), (THAI_ACLEDA[0], "KH,ACLBKHPP,1", THAI_ACLEDA[2])])
def test_the_bank_linked_is_the_node_its_head_offices_bic_reaches(
        tmp_path: Path, row: str, head_office: str, bank: str) -> None:
    ((_, _, by_name), (_, _, by_bic)) = _accounts(_read(tmp_path, INTO_BIC, row, head_office))
    assert (by_name, by_bic) == (bank, bank)


def test_the_bank_node_is_given_with_the_first_link_to_it(tmp_path: Path) -> None:
    items = _read(tmp_path, INTO_BIC, LAO_BBL[0])
    assert [(type(i).__name__, i.id) for i in items if not isinstance(i, Rejection)][1:] == [
        ("NodeRecord", "bank-th-bbl"), ("EdgeRecord", items[2].id)]


def test_an_account_seen_again_on_a_later_row_is_linked_once(tmp_path: Path) -> None:
    items = _read(tmp_path, INTO_BIC, LAO_BBL[0], LAO_BBL[0])
    links = [(i.start, i.end, i.origin.line) for i in items if isinstance(i, EdgeRecord) and i.type == "AT_BANK"]
    assert links == [(LAO_BBL[1], "bank-th-bbl", 2)]


def test_a_row_whose_bic_cell_is_empty_links_nothing(tmp_path: Path) -> None:
    mapping = INTO_BIC.replace("{country:country}:{bank}:", "{country:country}:BKKBLALA:")
    assert _accounts(_read(tmp_path, mapping, "LA,,1234567890")) == [
        ("account:LA:BKKBLA:1234567890", {"accountKey": "LA:BKKBLA:1234567890", "country": "LA"}, None)]


@pytest.mark.parametrize("row", [LAO_BBL[0], THAI_ACLEDA[0]])
def test_a_mapping_that_puts_the_bank_only_into_the_key_links_nothing(tmp_path: Path, row: str) -> None:
    items = _read(tmp_path, KEY_ONLY, row)
    assert [i for i in items if isinstance(i, EdgeRecord) or (isinstance(i, NodeRecord) and i.label == "Bank")] == []


# -- on the store -----------------------------------------------------------------------------------


async def _load(store: Any, tmp_path: Path, mapping: str, *rows: str) -> None:
    (tmp_path / "m.yaml").write_text(mapping, encoding="utf-8")
    csv = tmp_path / "f.csv"
    csv.write_text("\n".join(["country,bank,number", *rows]) + "\n", encoding="utf-8")
    s = await run_load(store, MappedCsvReader(load_mapping(tmp_path / "m.yaml"), [csv]), source="feed",
                       provenance=PROV)
    assert (s.rows_read, s.rows_loaded, s.rows_rejected) == (len(rows), len(rows), 0)


async def test_on_the_store_both_accounts_are_linked_at_their_banks_without_a_bic(
        backend_empty_store, tmp_path: Path) -> None:
    store = backend_empty_store
    await _load(store, tmp_path, INTO_BIC, LAO_BBL[0], THAI_ACLEDA[0])
    got = {}
    for _, account, bank in (LAO_BBL, THAI_ACLEDA):
        links = await store.read("ingest/links_between", {"a": account, "b": bank})
        (props,) = [r["props"] for r in await store.read("ingest/existing_nodes", {"ids": [account]})]
        got[account] = ([r["type"] for r in links], "bic" in props)
    assert got == {LAO_BBL[1]: (["AT_BANK"], False), THAI_ACLEDA[1]: (["AT_BANK"], False)}


async def test_on_the_store_a_mapping_without_a_bank_property_links_nothing(
        backend_empty_store, tmp_path: Path) -> None:
    store = backend_empty_store
    await _load(store, tmp_path, KEY_ONLY, LAO_BBL[0], THAI_ACLEDA[0])
    assert int((await store.read("ingest/count_relationship", type="AT_BANK"))[0]["n"]) == 0
