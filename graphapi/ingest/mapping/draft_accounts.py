"""What ``lintas mapping init`` makes of a bank-transfer file's account, wallet and currency
columns (:mod:`graphapi.ingest.mapping.draft` asks): the value types that recognise them and the
draft's entity of an account or wallet column.

- A wallet column: addresses whose network the address alone names (Bitcoin ``bc1...``/``1...``/
  ``3...``, EVM ``0x`` + 40 hex, Tron ``T...``, checksums checked: ``types.wallet.network_of``),
  so that a transaction reference ``TX0000000123`` is none. A ``CryptoWallet`` keyed by address,
  its required ``chain`` the coin of the network the address's form names (ETH, TRX, BTC).
- An account-number column: digit groups with blanks, dashes or dots between them
  (``407-1-23958-7``, ``052 1 44890 3``) of 6 to 20 digits, or plain digits in a column whose
  header says account (``Sender A/C``, ``from_account``). Tried after phone numbers
  (``081-234-5678`` with a country column is a phone). A ``BankAccount`` whose ``accountNumber``
  is the number without separators and whose ``accountKey`` is country, bank and number (the
  bank and country columns the file has, else ``TODO``).
- A currency column: values the ``currency`` type cleans (ISO 4217 ``USD``, ``US$``, ``usd``,
  ``บาท``, crypto tickers): proposed as the ``currency`` property, which cleans them to the code.
"""

from __future__ import annotations

import re
from typing import Any

from graphapi.ontology.types import get_type
from graphapi.ontology.types.document import digits_of
from graphapi.ontology.types.wallet import network_of

_GROUPED = re.compile(r"\d+(?:[ .\-]\d+)+")
ACCOUNT_NAME = re.compile(r"account|acct|a/c|\bacc\b|acc[ _.]?no|บัญชี", re.IGNORECASE)
#: networks an address alone names (a generic 20-character code is no wallet for a draft)
_NETWORKS = frozenset({"bitcoin", "ethereum", "tron"})


def clean_wallet_address(value: str) -> str | None:
    """The canonical address of ``value`` if it is one of a network the address names, else None."""
    address = get_type("wallet").clean(value)
    return address if address and network_of(address) in _NETWORKS else None


def account_cleaner(name: str):
    """The clean of an account-number column named ``name``: digit groups with separators, or
    (the header says account) plain digits; 6 to 20 digits."""
    named = bool(ACCOUNT_NAME.search(name))

    def clean(value: str) -> str | None:
        if not (_GROUPED.fullmatch(value) or (named and value.isdigit())):
            return None
        digits = digits_of(value)
        return digits if 6 <= len(digits) <= 20 else None

    return clean


def currency_clean(value: str) -> Any:
    """The currency code of ``value`` (``US$`` -> ``USD``), or None."""
    return get_type("currency").clean(value)


def _field(text: str) -> str:
    """A column name as a template field (``{Sender A/C}``); braces cannot be in one."""
    return text if "{" not in text and "}" not in text else "TODO_COLUMN"


def account_entity(ent: str, col: str, name: str, bank: str | None, country: str | None, quote) -> list[str]:
    """The draft's lines of the BankAccount entity ``ent`` of account column ``name`` (``col``:
    as YAML text), keyed by country, bank and number (``bank``/``country``: the file's columns,
    or None: a TODO to fill; ``quote``: a column name as YAML text)."""
    key = (f"{{{_field(country)}:country}}" if country else "TODO_COUNTRY") + ":" + (
        f"{{{_field(bank)}}}" if bank else "TODO_BANK") + f":{{{_field(name)}:accountNumber}}"
    todo = ("" if bank and country else "   # TODO: the account's country (a constant: TH), used where its bank "
            "is in no gazetteer; a known bank's country is its own" if bank else
            "   # TODO: the country and bank of the account (columns or constants)")
    return [f"  {ent}:", "    label: BankAccount", "    properties:",
            f"      accountKey: {{template: \"{key}\"}}{todo}",
            f"      accountNumber: {{column: {col}}}   # without separators: 407-1-23958-7 -> 4071239587",
            *([f"      bankCode: {{column: {quote(bank)}}}"] if bank else [])]


def wallet_entity(ent: str, col: str) -> list[str]:
    """The draft's lines of the CryptoWallet entity ``ent`` of wallet column ``col`` (YAML text)."""
    return [f"  {ent}:", "    label: CryptoWallet", "    properties:",
            f"      address: {{column: {col}}}   # Bitcoin, EVM (0x..) or Tron (T..): the address names its network",
            f"      chain: {{column: {col}, steps: [{{regex: \"^(0x|T|bc1|1|3)\"}}], "
            'map: {ETH: ["0x"], TRX: [T], BTC: [bc1, "1", "3"]}}   # required: the coin of the network its form names']

