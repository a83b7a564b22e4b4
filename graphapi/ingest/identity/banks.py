"""An account's bank as one node: the banks gazetteer's (``seed/gazetteers/banks.yaml``), linked
from the account by ``AT_BANK``, whichever of the bank's names, codes or BICs a record gives.

- The bank is the gazetteer entry that the account's ``bic``, ``bankCode`` or ``bankName`` names
  (:func:`graphapi.ingest.identity.accounts.bank_entry`: any alias, script or BIC, a branch BIC
  included), or that a mapped ``bic`` named where it stores none (:data:`BANK_WITHOUT_BIC`),
  else the one its IBAN's bank code names (the BIC ``schwifty``'s bank registry gives
  for it: ``DE89370400440532013000`` -> ``COBADEFFXXX``).
- Its node is the gazetteer's, ``bank-<entry id>`` (``bank-kh-aba``), as ``lintas load
  gazetteers`` writes it, with the gazetteer's names, BICs and country (:func:`bank_properties`),
  so a feed's account meets it; a store made ready for writes holds it already, as public
  CLEAR data (:mod:`graphapi.ingest.reference_data`), and the feed's record of it only adds the
  feed's sources.
- A bank the gazetteer does not know makes no node (no bank of a misspelling or of a shell
  named once): the account is loaded, flagged ``unresolvedBank: true`` for an analyst's review,
  and the reader warns with the file and line (:class:`BankLinks`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphapi.ingest.identity.accounts import account_bic, bank_country, bank_entry
from graphapi.ingest.identity.gazetteer import Entry, gazetteer
from graphapi.ingest.readers.base import Item, ReadStats
from graphapi.ingest.records import EdgeRecord, LoadWarning, NodeRecord
from graphapi.ontology import Model
from graphapi.ontology.types import get_type
from graphapi.ontology.types.iban import parse as parse_iban

#: The ontology's relationship from an account to its bank.
LINK = "AT_BANK"
#: The account properties that name its bank, in the order they are asked.
NAMING = ("bic", "bankCode", "bankName")
#: Not stored: the gazetteer id of the bank a mapped account's ``bic`` named where the gazetteer
#: lists no BIC of the bank's office in the account's country (LA + "Bangkok Bank"). Such an
#: account stores no bic (never the head office's abroad, round 33), yet is at that bank: the
#: mapped reader's plan puts it on the record, :class:`BankLinks` takes it off and links by it,
#: before the bic (round 34c: with the bic went the account's link to its bank).
BANK_WITHOUT_BIC = "_bankWithoutBic"
#: Remembered answers per reader; past it they start over (repeats only cost time).
_REMEMBER = 65_536


def bank_node_id(entry: Entry) -> str:
    """The id of a gazetteer bank's node: ``bank-<entry id>``."""
    return f"bank-{entry.id}"


def _list(value: Any) -> list[Any]:
    return [] if value is None else value if isinstance(value, list) else [value]


def bank_properties(entry: Entry) -> dict[str, Any]:
    """The Bank node properties of a gazetteer entry: name, aliases, BICs, country, and an
    e-wallet or an OFAC designation in ``notes``. Raises ValueError for a BIC or country that
    does not clean."""
    bics, countries = get_type("bic"), get_type("country")
    props: dict[str, Any] = {"name": entry.name, "alias": list(entry.aliases)}
    props["bic"] = [_clean(bics.clean, b, "bic") for b in _list(entry.get("bic"))]
    props["country"] = [_clean(countries.clean, entry.get("country"), "country")] if entry.get("country") else []
    notes = [f"kind: {entry.get('kind')}"] if entry.get("kind") else []
    notes += [f"OFAC SDN: {entry.get('ofac')}"] if entry.get("ofac") else []
    if notes:
        props["notes"] = "; ".join(notes)
    return {k: v for k, v in props.items() if v not in (None, [], "")}


def _clean(clean: Callable[[Any], Any], value: Any, what: str) -> Any:
    cleaned = clean(value)
    if cleaned is None:
        raise ValueError(f"{what} {value!r} is no {what}")
    return cleaned


def _snapshot(props: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``props`` that later changes to them (or to their lists) leave as it is."""
    return {k: v.copy() if type(v) is list else v for k, v in props.items()}


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def account_country(props: dict[str, Any]) -> str | None:
    """An account's country: its ``country``, else its ``accountKey``'s (``SG:SCB:...``), as the
    key resolved its bank with (round 31d: a mapping without ``country`` linked SG's ``SCB`` to
    Siam Commercial's node), else None."""
    country = next((str(c) for c in _list(props.get("country")) if c), None)
    key = props.get("accountKey")
    if country is None and isinstance(key, str) and key.count(":") >= 2:
        country = get_type("country").clean(key.split(":", 1)[0])
    return country


def named_bank(props: dict[str, Any], without_bic: str | None = None) -> tuple[Entry | None, str | None]:
    """``(entry, name)``: the gazetteer entry of the bank an account's properties name and what
    names it; ``(None, name)`` for a bank the gazetteer does not know (``name``: the first
    value given, or the IBAN's bank); ``(None, None)`` when they name no bank. An alias names
    only a bank of the account's country (:func:`account_country`,
    :func:`~graphapi.ingest.identity.accounts.bank_entry`). ``without_bic``: the id of the bank
    the account's mapped bic named (:data:`BANK_WITHOUT_BIC`), asked first, as its bic would be."""
    known = gazetteer("banks").entries.get(without_bic) if without_bic else None
    if known is not None:
        return known, without_bic
    first = None
    country = account_country(props)  # an alias is local to it
    for prop in NAMING:
        for value in _list(props.get(prop)):
            if value in (None, ""):
                continue
            entry = bank_entry(str(value), country)
            if entry is not None:
                return entry, str(value)
            first = first or str(value)
    iban = parse_iban(props.get("iban")) if props.get("iban") else None
    if iban is not None:
        bic, bank_name = _iban_bank(iban)
        entry = bank_entry(bic) if bic else None
        if entry is not None:
            return entry, bic
        first = first or (f"{bank_name or 'bank'} ({bic})" if bic
                          else f"bank code {iban.bank_code!r} of {iban.compact}")
    return None, first


def _iban_bank(iban: Any) -> tuple[str | None, str | None]:
    """``(BIC, name)`` of an IBAN's bank by ``schwifty``'s bank registry, each None where the
    registry does not hold its country or bank code."""
    try:
        bic, name = iban.bic, iban.bank_name
    except Exception:  # schwifty raises its own errors for a registry it lacks
        return None, None
    return (str(bic) if bic else None), (str(name) if name else None)


class BankLinks:
    """Links the accounts a reader makes to their banks (see the module docstring).

    Per reader run, a bank's node and an account's link are given once (the first row that names
    them is the link's ``recordId``), and an account whose bank is unknown is warned of once, at
    the first row naming it; ``stats.warnings`` holds the warnings."""

    def __init__(self, model: Model, stats: ReadStats) -> None:
        self.model = model
        self.stats = stats
        self._named: dict[tuple[Any, ...], tuple[Entry | None, str | None]] = {}
        #: account id -> (its properties, its bank fields, whether its bank is unknown, a copy of
        #: its properties as its record brought them, its mapped bic's bank), once linked or warned
        #: of: a feed names an account on many rows, often with the very same properties
        self._accounts: dict[str, tuple[dict[str, Any], tuple[Any, ...], bool, dict[str, Any], str | None]] = {}
        self._banks: set[str] = set()  # bank node ids given
        self._abroad: set[tuple[str, str, str]] = set()  # (bank entry id, its country, account's) warned of

    def add(self, items: list[Item], raw: Any = None) -> list[Item]:
        """``items`` (one row's records) and the banks of the accounts among them; ``raw``: the
        row as the file has it, for a warning."""
        more: list[Item] = []
        for item in items:
            if type(item) is NodeRecord and item.label == "BankAccount" and item.op != "delete":
                more += self._link(item, raw)
        return [*items, *more] if more else items

    def _link(self, account: NodeRecord, raw: Any) -> list[Item]:
        props = account.properties
        # off the record before anything returns: it is no property to store
        without_bic = props.pop(BANK_WITHOUT_BIC, None)
        seen = self._accounts.get(account.id)
        if seen is not None and seen[0] is props:  # the very record again
            return []
        if seen is not None and seen[4] == without_bic and seen[3] == props:
            # the same properties again (the mapped reader's remembered account, a copy on each
            # row): the same bank fields, known without reading them (a bank feed's every row)
            if seen[2]:
                props["unresolvedBank"] = True
            return []
        key = (_hashable(props.get("bic")), _hashable(props.get("bankCode")), _hashable(props.get("bankName")),
               _hashable(props.get("iban")), without_bic, account_country(props))
        if seen is not None and seen[1] == key:  # linked or warned of already
            if seen[2]:
                props["unresolvedBank"] = True
            return []
        if not any(key[:5]):  # no bank named (a country alone names none)
            return []
        found = self._named.get(key)
        if found is None:
            if len(self._named) >= _REMEMBER:
                self._named.clear()
            found = self._named[key] = named_bank(props, without_bic)
        entry, name = found
        if len(self._accounts) >= _REMEMBER:
            self._accounts.clear()
        said = _snapshot(props)  # as the record brought them: what a later row's copy equals
        if entry is None:
            props["unresolvedBank"] = True
            self._accounts[account.id] = (props, key, True, said, without_bic)
            self._warn(account, raw, f"unknown bank {name!r} of {account.id}: not in the banks gazetteer "
                       "(seed/gazetteers/banks.yaml); the account is loaded, flagged unresolvedBank, "
                       "linked to no bank")
            return []
        self._warn_abroad(account, entry, name, raw)
        o = account.origin
        bank_id = bank_node_id(entry)
        out: list[Item] = []
        if bank_id not in self._banks:
            try:
                bank = bank_properties(entry)
            except ValueError as exc:  # a deployment's entry that `lintas load gazetteers` rejects too
                self._warn(account, raw, f"bank {entry.id} of {account.id} is no node: {exc}; linked to no bank")
                return []
            self._banks.add(bank_id)
            out.append(NodeRecord("Bank", bank_id, bank, o))
        self._accounts[account.id] = (props, key, False, said, without_bic)
        rid = self.model.relationship_id(LINK, account.id, bank_id)
        out.append(EdgeRecord(LINK, rid, account.id, bank_id, {}, o))
        return out

    def _warn_abroad(self, account: NodeRecord, entry: Entry, name: str | None, raw: Any) -> None:
        """Tell, once per bank and country, of an account keyed by a country that is not its bank's:
        the row's country, which may be the exporter's (a Thai export's ACLEDA account, issue 13), so
        the account's node may be apart from the same account in its bank's country's feeds. It is
        never re-keyed by the bank's country: a bank's branch abroad holds accounts of that country
        (Bangkok Bank in Cambodia, attack round 30c H4), and a missed join beats a wrong one. The
        bank's country is that of the office the account is at, as ``name`` names it in the row's
        country: a branch's abroad (``BKKBKHPP``, or ``Bangkok Bank`` in a Cambodian row: KH, no
        warning; ``BKKBKHPP`` in a Thai row: KH, told), else the head office's (round 31d)."""
        country = account_country(account.properties)
        bic = account_bic(name, country) if name and country else None
        home = (bank_country(bic) if bic else None) or entry.get("country")
        if not country or not isinstance(home, str) or home == country or (entry.id, home, country) in self._abroad:
            return
        if len(self._abroad) >= _REMEMBER:
            self._abroad.clear()
        self._abroad.add((entry.id, home, country))
        self._warn(account, raw, f"{account.id} at {entry.name} ({home}) is keyed as a {country} account (its "
                   f"row's country): if it is held in {home}, a {home} feed's node of it is another. Where the feed "
                   "gives the account's own country, key it by that column (docs/mappings.md, Gazetteers)")

    def _warn(self, account: NodeRecord, raw: Any, reason: str) -> None:
        o = account.origin
        self.stats.warnings.append(LoadWarning(o.file if o else "", o.line if o else 0, reason, raw))
