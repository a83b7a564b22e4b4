"""``lintas mapping init`` on a bank-transfer file (``graphapi.ingest.mapping.draft_accounts``):
a currency column (``THB``, ``US$``, ``usd``, ``usdt``) is the ``currency`` property, a column
of Bitcoin, Ethereum and Tron addresses a ``CryptoWallet``, dashed or spaced account numbers
(``407-1-23958-7``, ``052 1 44890 3``) a ``BankAccount`` keyed by country, bank and number
(new-user trial 7: none of them was recognised). ``tests/ingest/data/bank_transfers.csv`` is
such a file: a Thai bank's outgoing transfers, to accounts and to wallets."""

from __future__ import annotations

from pathlib import Path

import yaml

from graphapi.ingest.mapping import load_mapping
from graphapi.ingest.mapping.draft import draft_mapping, guess_columns
from graphapi.ingest.readers.mapped_csv import MappedCsvReader
from graphapi.ingest.records import NodeRecord

TRANSFERS = Path(__file__).parent / "data" / "bank_transfers.csv"


def _types(path: Path = TRANSFERS) -> dict[str, str | None]:
    return {c.name: c.type for c in guess_columns(path)}


def _draft(tmp_path: Path) -> Path:
    """The draft of the transfers file with its one value TODO, the time zone, set."""
    draft = tmp_path / "draft.yaml"
    draft.write_text(draft_mapping(TRANSFERS).replace("tz: TODO", "tz: Asia/Bangkok"), encoding="utf-8")
    return draft


def _nodes(draft: Path, label: str) -> dict[str, dict]:
    reader = MappedCsvReader(load_mapping(draft), [TRANSFERS])
    nodes = {r.id: r.properties for r in reader.records() if isinstance(r, NodeRecord) and r.label == label}
    assert (reader.stats.rows, reader.stats.rejected) == (8, 0)
    return nodes


def test_a_column_of_currency_codes_and_spellings_is_a_currency_column() -> None:
    assert _types()["Ccy"] == "currency"  # THB, US$, usdt, usd, BTC, btc, USD


def test_a_currency_column_is_proposed_as_the_currency_property() -> None:
    line = next(x for x in draft_mapping(TRANSFERS).splitlines() if "{column: Ccy}" in x)
    assert line.startswith("#   currency: {column: Ccy}   # currency: currency of BankAccount, TRANSFERRED_TO")


def test_us_dollar_written_us_dollar_sign_is_a_currency_not_the_united_states(tmp_path: Path) -> None:
    feed = tmp_path / "fx.csv"
    feed.write_text("ref,ccy\n1,US$\n2,US$\n3,usd\n", encoding="utf-8")
    assert _types(feed)["ccy"] == "currency"


def test_bitcoin_ethereum_and_tron_addresses_are_a_wallet_column() -> None:
    assert _types()["Beneficiary Wallet"] == "wallet"


def test_a_transaction_reference_is_no_wallet_address() -> None:
    assert _types()["Txn No"] is None  # FT24061AB01: letters and digits, no network's address


def test_dashed_and_spaced_account_numbers_are_account_number_columns() -> None:
    types = _types()
    assert (types["Sender A/C"], types["Beneficiary A/C"]) == ("accountNumber", "accountNumber")


def test_a_dashed_phone_number_beside_a_country_stays_a_phone(tmp_path: Path) -> None:
    feed = tmp_path / "subscribers.csv"
    feed.write_text("msisdn,country\n081-234-5678,TH\n089-765-4321,TH\n", encoding="utf-8")
    assert _types(feed)["msisdn"] == "phone"


def test_drafted_accounts_are_keyed_by_country_bank_and_number_whatever_the_bank_is_called(tmp_path: Path) -> None:
    # 407-1-23958-7 at KBANK and at Kasikornbank is one account; 052 1 44890 3 at Bangkok Bank
    # is the 052-1-44890-3 of BBL
    accounts = _nodes(_draft(tmp_path), "BankAccount")
    assert sorted(accounts) == ["account:TH:BKKBTHBK:0521448903", "account:TH:KASITHBK:4071239587",
                                "account:TH:KRTHTHBK:6812104579", "account:TH:SICOTHBK:1234567890"]
    assert accounts["account:TH:KASITHBK:4071239587"]["accountNumber"] == "4071239587"


def test_drafted_wallets_are_keyed_by_address_with_the_coin_of_their_network(tmp_path: Path) -> None:
    wallets = _nodes(_draft(tmp_path), "CryptoWallet")
    assert {nid: p["chain"] for nid, p in wallets.items()} == {
        "wallet:TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t": ["TRX"],
        "wallet:0xde0b295669a9fd93d5f28d9ec85e40f4cb697bae": ["ETH"],
        "wallet:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq": ["BTC"],
        "wallet:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa": ["BTC"]}


def test_each_account_takes_the_bank_and_country_columns_of_its_own_side(tmp_path: Path) -> None:
    entities = yaml.safe_load(_draft(tmp_path).read_text(encoding="utf-8"))["entities"]
    assert entities["beneficiary_a_c"]["properties"]["accountKey"] == {
        "template": "{Beneficiary Country:country}:{Beneficiary Bank}:{Beneficiary A/C:accountNumber}"}


KBANK_STR = ("Txn No.,Date,From A/C,From Bank,To A/C,To Bank,To Country,Amount,Ccy\n"
             "T1,13/03/2026 10:15,123-4-56789-1,KBANK,987-6-54321-0,SCB,TH,1200.50,THB\n"
             "T2,14/03/2026 11:00,001-122-334-4,ACLEDA,123-4-56789-1,KBANK,Thailand,500,USD\n")


def test_an_account_is_never_keyed_with_the_other_sides_country(tmp_path: Path) -> None:
    # feeds trial: the sender was keyed {To Country:country}: the beneficiary's country
    feed = tmp_path / "str.csv"
    feed.write_text(KBANK_STR, encoding="utf-8")
    text = draft_mapping(feed)
    keys = {name: spec["properties"]["accountKey"]["template"]
            for name, spec in yaml.safe_load(text)["entities"].items() if spec["label"] == "BankAccount"}
    assert keys == {"from_a_c": "TODO_COUNTRY:{From Bank}:{From A/C:accountNumber}",
                    "to_a_c": "{To Country:country}:{To Bank}:{To A/C:accountNumber}"}
    assert "TODO: the account's country (a constant: TH), used where its bank is in no gazetteer" in text


def test_a_drafted_sender_at_a_known_bank_takes_its_banks_country_before_its_todo_is_filled(tmp_path: Path) -> None:
    feed = tmp_path / "str.csv"
    feed.write_text(KBANK_STR, encoding="utf-8")
    draft = tmp_path / "draft.yaml"
    draft.write_text(draft_mapping(feed).replace("tz: TODO", "tz: Asia/Bangkok"), encoding="utf-8")
    reader = MappedCsvReader(load_mapping(draft), [feed])
    ids = [r.id for r in reader.records() if isinstance(r, NodeRecord) and r.label == "BankAccount"]
    assert ids == ["account:TH:KASITHBK:1234567891", "account:TH:SICOTHBK:9876543210",
                   "account:KH:ACLBKHPP:0011223344", "account:TH:KASITHBK:1234567891"]
