"""One identity per bank account: from its IBAN, else from its country, its bank's identity and
its number, the same in every reader (the mapped CSV feeds, FtM).

- A bank's identity (:func:`bank_identity`) is its head-office BIC (ISO 9362, 8 characters) when
  the banks gazetteer (``seed/gazetteers/banks.yaml``) knows it by the name, abbreviation, local
  script or BIC given (``KBZ``, ``Kanbawza Bank``, ``ကမ္ဘောဇဘဏ်`` and ``KBZBMMMYXXX`` are all
  ``KBZBMMMY``), else its gazetteer id for an institution with no BIC (an e-wallet), else the
  BIC as given (any valid BIC, branch dropped), else the name itself without blanks or
  punctuation, upper case (an unknown bank still keys the same in every feed that spells it so).
- The number (:func:`account_number`) is cleaned by the bank's account format when its
  gazetteer entry declares one (:mod:`.account_formats`: ``A/C 123-4-56789-0`` at a bank whose
  numbers are 10 digits is ``1234567890``), else, and for a number that cannot be one of that
  bank's, by the ontology's ``accountNumber`` type: ``123-4-56789-0`` and ``1234567890`` are one
  number.
- :func:`account_key` joins them as the ontology's BankAccount ``accountKey``:
  ``COUNTRY:BANK:NUMBER`` (``MM:KBZBMMMY:4051301056``). The country is the row's; the bank's
  (from the banks gazetteer or its BIC) only when the row gives none. An account named in two
  countries' feeds may so be two nodes (feeds trial: ``TH:ACLBKHPP`` and ``KH:ACLBKHPP``), but
  two accounts are never one: a bank's name is no proof of its country (attack round 30c, H4).
  Nor is an alias of a bank (``SCB``, ``KBANK``, a local-script name) proof of the bank outside
  its country: in a row of another country it names no known bank and keys as written, cleaned
  (``SG:SCB:...``: Standard Chartered's, not Siam Commercial's); the bank's name, BIC and
  gazetteer id name it everywhere (round 30c, issue 13). A bank named (name, alias, id) keys by
  its BIC in the account's country (a branch's abroad: ``KH:BKKBKHPP`` for Bangkok Bank in a
  Cambodian row); a BIC given keys as given, never swapped for another of the bank's
  (``TH:BKKBKHPP`` is the Phnom Penh branch's account, not the Thai one: round 31b).
- :func:`normal_account_key` keys a mapped feed's ``accountKey`` so whatever its template
  says: ``TH:{bank}:{number}`` written with the bank's local name and the number's dashes is the
  same key as the one written with ``resolve: bank`` and ``:accountNumber`` (feeds trial: three
  nodes of one account, no warning).
"""

from __future__ import annotations

from functools import cache, lru_cache

from graphapi.ingest.identity.account_formats import AccountFormat
from graphapi.ingest.identity.gazetteer import Entry, gazetteer, name_key
from graphapi.ontology.types import get_type


@cache
def _types():  # type: ignore[no-untyped-def]
    return get_type("bic"), get_type("accountNumber"), get_type("country")


def bank_entry(text: str | None, country: str | None = None) -> Entry | None:
    """The banks gazetteer's entry for a bank named, abbreviated or coded ``text``, else None;
    with the row's ``country``, an alias (``SCB``) names only a bank of that country
    (:meth:`~graphapi.ingest.identity.gazetteer.Gazetteer.resolve`)."""
    if not text:
        return None
    banks = gazetteer("banks")
    entry = banks.resolve(text, country)
    if entry is None:
        bic = _types()[0].clean(text)
        entry = banks.resolve(bic) if bic else None
    return entry


@lru_cache(maxsize=65_536)  # feeds name a few banks many times
def bank_identity(text: str, country: str | None = None) -> str | None:
    """The identity of the bank ``text`` names in ``country`` (see the module docstring), or None
    for no text."""
    given = given_bic(text, country)
    if given is not None:  # a BIC is the bank as given: Bangkok Bank's Phnom Penh branch is BKKBKHPP
        return given
    entry = bank_entry(text, country)
    if entry is not None:
        bic = entry.get("bic")
        return str(bic[0] if isinstance(bic, list) else bic) if bic else entry.id.upper()
    bic = _types()[0].clean(text)
    if bic:
        return bic[:8]
    key = name_key(text).upper()
    return key or None


def given_bic(text: str, country: str | None = None) -> str | None:
    """The BIC ``text`` is, its 8 characters (branch code dropped), when it names the bank by a
    BIC (one of its gazetteer entry's, or of a bank the gazetteer does not know), else None (a
    name, alias or id, even one that looks like a BIC)."""
    bic = _types()[0].clean(text)
    if not bic:
        return None
    entry = gazetteer("banks").resolve(text, country)
    return bic[:8] if entry is None or bic[:8] in _bics(entry) else None


@lru_cache(maxsize=4_096)
def account_bic(text: str, country: str | None = None) -> str | None:
    """The BIC of an account of ``country`` at the bank ``text`` names, for its ``bic``: a BIC
    given, as given (cleaned: ``BKKBKHPP`` in a Thai row is the Phnom Penh branch's); a bank named
    by name, alias or id (what ``resolve: bank`` writes), its BIC in ``country`` as the account key
    takes it (``th-bbl`` in a Cambodian row is ``BKKBKHPP``); None for a bank without a BIC (an
    e-wallet) or text that names no bank (attack round 31d: ``th-bbl`` was refused as no BIC)."""
    if given_bic(text, country) is not None:
        return _types()[0].clean(text)
    bics = _bics(bank_entry(text, country))
    return next((b for b in bics if b[4:6] == country), bics[0]) if bics else None


def bank_country(text: str | None) -> str | None:
    """The country of the bank ``text`` names: the gazetteer's (a branch's BIC its own: BKKBKHPP is
    Bangkok Bank in Cambodia), else its BIC's, else None."""
    entry = bank_entry(text)
    bic = _types()[0].clean(text) if text else None
    if entry is not None and entry.get("country") and not (bic and bic[:8] in _bics(entry)[1:]):
        return str(entry.get("country"))
    return bic[4:6] if bic else None


def bank_code(text: str) -> str | None:
    """What ``resolve: bank`` writes, with no row's country to hand: the bank's identity when
    ``text`` is its name, BIC or id (which name it everywhere), else ``text`` cleaned as an
    unknown bank's (``SCB``): an alias is resolved by the account key, with its country."""
    if gazetteer("banks").is_local_alias(text):
        return name_key(text).upper() or None
    entry = bank_entry(text) if given_bic(text) is None else None
    if entry is not None and len(_bics(entry)) > 1:
        # a bank with branches abroad, named: its id, which the key resolves to its BIC in the
        # account's country (its head office's BIC would be a BIC given, kept as such)
        return entry.id
    return bank_identity(text)


@lru_cache(maxsize=65_536)
def bank_format(bank: str, country: str | None = None) -> tuple[str, AccountFormat] | None:
    """``(the bank's name, its account format)`` if the banks gazetteer declares one for the bank
    ``bank`` names in ``country``, else None."""
    entry = bank_entry(bank, country)
    spec = entry.get("account") if entry is not None else None
    return (entry.name, AccountFormat.of(spec)) if entry is not None and spec is not None else None


@lru_cache(maxsize=65_536)  # feeds name an account on many rows
def account_number(bank: str | None, number: str, country: str | None = None) -> tuple[str | None, str]:
    """``(number, "")``: ``number`` of an account at ``bank`` (any of its names or its BIC) as the
    bank's format writes it, or the ``accountNumber`` type's (None if it does not clean) for a
    bank without one; ``(the type's, why)`` for a number that cannot be one of the bank's
    (``account number '123-4-5678' cannot be Kasikornbank's (10 digits)``); ``(None, "")`` for
    text that is no number."""
    plain = _types()[1].clean(number)
    found = bank_format(bank, country) if bank else None
    if found is None:
        return plain, ""
    name, fmt = found
    normal = fmt.normal(number)
    if normal is not None:
        return normal, ""
    if plain is None:  # no number at all ("N/A"): nothing to say of the bank's format
        return None, ""
    return plain, f"account number {number!r} cannot be {name}'s ({fmt})"


def account_key(country: str | None, bank: str | None, number: str | None) -> str | None:
    """``COUNTRY:BANK:NUMBER`` of a domestic account, each part cleaned (country ISO 3166-1
    alpha-2 from any name; bank :func:`bank_identity`; number :func:`account_number`), or
    None when a part is missing or does not clean."""
    countries = _types()[2]
    # the row's country first: a bank's name or alias is no proof of its country ("SCB" in a
    # Singapore feed is Standard Chartered, and Bangkok Bank has Cambodian and Lao branches), and
    # keying by the bank's would merge different accounts (attack round 30c, H4)
    cc = (countries.clean(country) if country else None) or (bank_country(bank) if bank else None)
    # ... and a bank's alias names only a bank of that country: "SCB" in a Singapore feed is no
    # Siam Commercial account, it stays "SCB" as an unknown bank's name would
    bank_id = bank_identity(bank, cc) if bank else None
    digits = account_number(bank, number, cc)[0] if number else None
    if not (cc and bank_id and digits):
        return None
    # a BIC in the row is the bank as given (BKKBKHPP in a Thai row is the Phnom Penh branch's
    # account, not the Thai one with those digits: round 31b); a bank named, its BIC in the country
    named = given_bic(bank, cc) is None
    return f"{cc}:{bic_in_country(bank_id, cc) if named else bank_id}:{digits}"


@lru_cache(maxsize=4_096)
def bic_in_country(bank_id: str, country: str) -> str:
    """The BIC the bank of identity ``bank_id`` has in ``country``: its gazetteer entry lists its
    branches' BICs abroad after its head office's (``bic: [BKKBTHBK, BKKBKHPP]``), so a Cambodian
    account at Bangkok Bank named by the bank's name keys as one named by its Phnom Penh BIC,
    ``KH:BKKBKHPP`` (attack round 31); ``bank_id`` itself where the entry has none there."""
    bics = _bics(gazetteer("banks").resolve(bank_id))
    if bank_id not in bics:
        return bank_id
    return next((b for b in bics if b[4:6] == country), bank_id)


def _bics(entry: Entry | None) -> list[str]:
    """The BICs of a banks gazetteer entry, its head office's first."""
    bic = entry.get("bic") if entry is not None else None
    return [str(b) for b in (bic if isinstance(bic, list) else [bic] if bic else [])]


@lru_cache(maxsize=65_536)  # a feed names an account on many rows
def normal_account_key(key: str) -> str:
    """A mapped ``accountKey`` as :func:`account_key` writes it: ``COUNTRY:BANK:NUMBER`` with its
    bank as its identity, its number cleaned and its country as written (the bank's if none).
    A key of another form (an IBAN: no ``:``), or whose parts do not clean, is kept as given."""
    if key.count(":") < 2:
        return key
    country, rest = key.split(":", 1)
    bank, number = rest.rsplit(":", 1)
    return account_key(country.strip(), bank.strip(), number.strip()) or key
