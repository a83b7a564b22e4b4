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
  countries' feeds may so be two nodes (feeds trial: ``TH:ACLBTH`` and ``KH:ACLBKHPP``), but
  two accounts are never one: a bank's name is no proof of its country (attack round 30c, H4).
  Nor is a code alias of a bank (``SCB``, ``KBANK``) proof of the bank outside its country: in a
  row of another country it names no known bank and keys as written, cleaned (``SG:SCB:...``:
  Standard Chartered's, not Siam Commercial's); the bank's name, BIC, gazetteer id and named
  aliases (legal, local-script) name it everywhere (round 30c, issue 13; round 33, 4a). The
  bank part is the office the account is at (:func:`key_bank`), one rule for every bank the
  gazetteer knows: the BIC it lists for the bank's institution in the account's country (a
  branch's abroad: ``KH:BKKBKHPP`` for Bangkok Bank in a Cambodian row), else its institution
  code and the country (``LA:BKKBLA`` from ``Bangkok Bank`` and ``BKKBLALA`` alike, round 33,
  4b; ``LA:ACLBLA`` from ``ACLEDA Bank`` and ``ACLBLALA``, ``KH:KASIKH`` for Kasikornbank in a
  Cambodian row, round 34: a bank with one listed BIC kept it abroad); a BIC given is that
  office, never swapped for another of the bank's (``TH:BKKBKHPP`` is the Phnom Penh branch's
  account, not the Thai one: round 31b). Text is read as a BIC only as :func:`read_bic` says
  (``Eximbank`` in a Vietnamese row is a name, not a BIC of Bosnia).
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
from graphapi.ontology.types.decimals import decimal_written
from graphapi.ontology.types.signs import signed


@cache
def _types():  # type: ignore[no-untyped-def]
    return get_type("bic"), get_type("accountNumber"), get_type("country")


@cache
def _listed() -> tuple[frozenset[str], dict[str, Entry | None]]:
    """The BICs the banks gazetteer lists, and its entries by institution code (a BIC's letters
    1-4; None for a code two entries share)."""
    listed: set[str] = set()
    institutions: dict[str, Entry | None] = {}
    for entry in gazetteer("banks").entries.values():
        for bic in _bics(entry):
            listed.add(bic[:8])
            seen = institutions.setdefault(bic[:4], entry)
            if seen is not None and seen.id != entry.id:
                institutions[bic[:4]] = None
    return frozenset(listed), institutions


#: The lengths of the groups a BIC is written in: one word, or SWIFT's bank, country, location
#: and branch groups (``ABCD TH BK XXX``). Not 8 + 3 or 4 + 4: ``BANKTHAI PCL`` and ``BANK
#: THAI`` are names.
_BIC_GROUPS = frozenset({(8,), (11,), (4, 2, 2), (4, 2, 2, 3)})


def read_bic(text: str | None, country: str | None = None) -> str | None:
    """The BIC (8 or 11 characters) ``text`` is, when it reads as one: a BIC the banks gazetteer
    lists or of an institution it lists, in any case (``BKKBLALA``: Bangkok Bank's), or else one
    word written as a code, in capitals or all small letters (``ocbcthbkxxx`` is
    ``OCBCTHBKXXX``, attack round 34, 3), whose country letters are the row's ``country``; in a
    row with no country, one in capitals. Else None, a bank's name: a capitalised or mixed-case
    word is written as a name (``Bankthaipcl``, ``BankThaiPcl`` in a Thai row: read as
    ``BANKTHAIPCL`` they keyed TH:BANKTHAI apart from ``Bankthai pcl``'s TH:BANKTHAIPCL, rounds
    35, 1 and 36, 2), as are ``Eximbank`` and ``Hana Bank`` in a Vietnamese row (round 33, 4b:
    cleaned as BICs of Bosnia). A code may be written in its groups (``ABCD TH BK XXX``, as SWIFT
    prints it; round 38a, 5). Case cannot tell the rest: an unlisted bank's one-word name whose
    letters 5-6 are the row's country, in small letters or capitals (``bankthaipcl``,
    ``BANKTHAIPCL``), still reads as a code."""
    bic = _types()[0].clean(text) if text else None
    if bic is None or bic[:8] in _listed()[0] or _institution(bic) is not None:
        return bic
    groups = str(text).split()
    if tuple(len(g) for g in groups) not in _BIC_GROUPS:
        return None
    written = "".join(groups)
    if country:
        return bic if (written.isupper() or written.islower()) and bic[4:6] == country else None
    return bic if written == written.upper() else None


def _institution(bic: str) -> Entry | None:
    """The banks gazetteer's entry of the institution (letters 1-4) of ``bic``, else None."""
    return _listed()[1].get(bic[:4])


def bank_entry(text: str | None, country: str | None = None) -> Entry | None:
    """The banks gazetteer's entry for a bank named, abbreviated or coded ``text``, else None;
    with the row's ``country``, a code alias (``SCB``) names only a bank of that country
    (:meth:`~graphapi.ingest.identity.gazetteer.Gazetteer.resolve`). A BIC names its
    institution's entry, one of an office the gazetteer does not list too (``BKKBLALA``)."""
    if not text:
        return None
    banks = gazetteer("banks")
    entry = banks.resolve(text, country)
    if entry is None:
        bic = read_bic(text, country)
        entry = (banks.resolve(bic) or _institution(bic)) if bic else None
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
    key = name_key(text).upper()
    return key or None


def given_bic(text: str, country: str | None = None) -> str | None:
    """The BIC ``text`` is, its 8 characters (branch code dropped), when it names the bank by a
    BIC (:func:`read_bic`: one the gazetteer lists, or a code of the row's country), else None (a
    name, alias or id, even one that looks like a BIC)."""
    bic = read_bic(text, country)
    if not bic:
        return None
    entry = gazetteer("banks").resolve(text, country)
    return bic[:8] if entry is None or bic[:8] in _bics(entry) else None


@lru_cache(maxsize=4_096)
def account_bic(text: str, country: str | None = None) -> str | None:
    """The BIC of an account of ``country`` at the bank ``text`` names, for its ``bic``: that of the
    office its key takes (:func:`key_bank`), never another office's. A BIC given, as given
    (cleaned: ``BKKBKHPP`` in a Thai row is the Phnom Penh branch's, keyed ``TH:BKKBKHPP``); a bank
    named by name, alias or id (what ``resolve: bank`` writes), the BIC the gazetteer lists for it
    in ``country`` (``th-bbl`` in a Cambodian row is ``BKKBKHPP``); None where it lists none there,
    for every bank alike (never the head office's abroad: Bangkok Bank in a Lao row keys
    ``LA:BKKBLA``, round 33, 4b; Kasikornbank in a Cambodian one ``KH:KASIKH``, round 34), for a
    bank without a BIC (an e-wallet) or text that names no bank. Without a country, a bank's head
    office's."""
    if given_bic(text, country) is not None:
        return read_bic(text, country)
    bics = _bics(bank_entry(text, country))
    if not country:
        return bics[0] if bics else None
    return next((b for b in bics if b[4:6] == country), None)


def bank_country(text: str | None) -> str | None:
    """The country of the bank ``text`` names: a BIC's own (BKKBKHPP is Bangkok Bank in Cambodia,
    BKKBLALA in Laos), else the gazetteer's, else None."""
    given = given_bic(text) if text else None
    if given is not None:
        return given[4:6]
    entry = bank_entry(text)
    return str(entry.get("country")) if entry is not None and entry.get("country") else None


def bank_code(text: str) -> str | None:
    """What ``resolve: bank`` writes, with no row's country to hand, so that the account key
    resolves it with the account's country (:func:`key_bank`): a bank's gazetteer id when ``text``
    names a bank that has a BIC by its name, alias or id (``th-kbank``: its key part depends on the
    country, ``KASITHBK`` in Thailand, ``KASIKH`` in Cambodia; never a head office's BIC that would
    be read as given); a BIC as given (8 characters); a bank without a BIC (an e-wallet), its id in
    upper case; else ``text`` cleaned as an unknown bank's (a code alias, ``SCB``, too: it names a
    bank only in its own country, which the key knows)."""
    if gazetteer("banks").is_local_alias(text):
        return name_key(text).upper() or None
    entry = bank_entry(text) if given_bic(text) is None else None
    if entry is not None and _bics(entry):
        return entry.id
    return bank_identity(text)


@lru_cache(maxsize=65_536)
def bank_format(bank: str, country: str | None = None) -> tuple[str, AccountFormat] | None:
    """``(the bank's name, its account format)`` if the banks gazetteer declares one for the bank
    ``bank`` names in ``country``, else None."""
    entry = bank_entry(bank, country)
    spec = entry.get("account") if entry is not None else None
    if entry is None or spec is None:
        return None
    return entry.name, AccountFormat.of(spec, entry.get("country"))


@lru_cache(maxsize=65_536)  # feeds name an account on many rows
def account_number(bank: str | None, number: str, country: str | None = None) -> tuple[str | None, str]:
    """``(number, "")``: ``number`` of an account at ``bank`` (any of its names or its BIC) as the
    bank's format writes it, or the ``accountNumber`` type's (None if it does not clean) for a
    bank without one; ``(the type's, why)`` for a number that cannot be one of the bank's
    (``account number '123-4-5678' cannot be Kasikornbank's (10 digits)``); ``(None, "")`` for
    text that is no number. A whole number a float export wrote (``1073835163.0``,
    ``1,073,835,163.00``) is its integer part, one with a fraction or a sign no number (the
    ``accountNumber`` type's rule, before the bank's format: its digits-only rule kept the ``0``
    after the point, attack round 38b, 1), one with a sign (``-1``, ``(1624938057)``) no number. At an
    e-wallet keyed by phone (``phone: true``), a mobile number is the wallet's national number
    however written (``+66812345678`` is ``0812345678``: its ``+`` no sign); another number the
    format's other keys check, and with none is the type's, without a warning."""
    found = bank_format(bank, country) if bank else None
    if found is not None and found[1].phone:
        mobile = found[1].mobile(number)
        if mobile is not None:
            return mobile, ""
    written = decimal_written(number)
    if written is not None:
        if written.fault:
            return None, ""
        number = written.whole
    elif signed(number):  # a bank's format would drop the sign as a separator, as the type did
        return None, ""
    plain = _types()[1].clean(number)
    if found is None or not found[1].checks:
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
    return f"{cc}:{key_bank(bank, cc)}:{digits}"


@lru_cache(maxsize=4_096)
def key_bank(bank: str, country: str) -> str | None:
    """The bank part of the key of an account of ``country`` at ``bank``: the office the account is
    at, by the BIC the gazetteer lists for the bank's institution in that office's country, else
    the institution code and that country (letters 1-6), one rule for every bank the gazetteer
    knows, so that a bank's name and its office's BIC key alike whether or not the gazetteer
    lists the office (attack round 33, 4b; round 34: ``LA`` + ``ACLEDA Bank`` keyed ``LA:ACLBKHPP``
    while ``LA`` + ``ACLBLALA`` keyed ``LA:ACLBLA``, and ``KH`` + ``Kasikornbank`` the Thai head
    office's ``KH:KASITHBK``; both are now ``LA:ACLBLA``, ``KH:KASIKH``).

    - A bank named (name, alias, id): its office in ``country`` (``KH:BKKBKHPP``, ``LA:BKKBLA``).
    - A BIC given is that office, in its own country, not the row's (``TH:BKKBKHPP`` is the Phnom
      Penh branch's account, not the Thai one: round 31b); of a bank the gazetteer does not know,
      as given."""
    given = given_bic(bank, country)
    entry = _institution(given) if given is not None else bank_entry(bank, country)
    bics = _bics(entry)
    if not bics:
        return given or bank_identity(bank, country)
    office = given or bics[0]
    return _office(entry, office[:4], given[4:6] if given else country)


def _office(entry: Entry | None, institution: str, country: str) -> str:
    """The BIC ``entry`` lists for ``institution`` in ``country``, else the two codes joined."""
    return next((b for b in _bics(entry) if b[:4] == institution and b[4:6] == country), institution + country)


def bank_bics(entry: Entry | None) -> list[str]:
    """The BICs of a banks gazetteer entry, its head office's first."""
    return _bics(entry)


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
