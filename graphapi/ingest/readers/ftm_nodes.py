"""FtM node entities -> node records: each label's own properties and natural key, phones and
e-mails as shared nodes (or text), ``addressEntity`` as LOCATED_AT. Part of
:class:`graphapi.ingest.readers.ftm.FtmReader`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from followthemoney import model as ftm_model
from followthemoney import registry
from normality import normalize

from graphapi.ingest.identity.accounts import account_key, account_number, bank_country
from graphapi.ingest.identity.documents import (
    NUMBER_PROPERTIES,
    document_records,
    placeholder_number,
    real_numbers,
)
from graphapi.ingest.identity.user_accounts import account_handle, account_service, user_account
from graphapi.ingest.readers.base import Item
from graphapi.ingest.readers.counted_warnings import LISTED
from graphapi.ingest.readers.ftm_craft import CRAFT_LABELS, CRAFT_PARTIES, craft_properties
from graphapi.ingest.readers.ftm_entity import EntityValues
from graphapi.ingest.readers.wallets import wallet_properties
from graphapi.ingest.records import EdgeRecord, LoadWarning, NodeRecord, Origin, Rejection
from graphapi.ontology import OntologyError
from graphapi.ontology.types import numbers_in
from graphapi.ontology.types.decimals import SIGN, advice, decimal_written
from graphapi.ontology.types.signs import signed

#: Labels keyed by a natural key rather than the source's id (see the module docstring).
_NATURAL = frozenset({"Address", "BankAccount", "CryptoWallet", "UserAccount"})


#: FtM property types whose values tell an entity apart (beside its name).
_IDENTIFYING = frozenset({"identifier", "email", "phone", "iban"})


def _identified(v: EntityValues) -> bool:
    """True if the entity has a value of an identifying property (:data:`_IDENTIFYING`)."""
    return any(prop.type.name in _IDENTIFYING and v.raw_values(name)
               for name, prop in v.proxy.schema.properties.items())


def _bank_and_number(v: EntityValues) -> tuple[str | None, str | None]:
    """A BankAccount entity's bank (its BIC, else its bank's name) and its account number."""
    return (v("bic") or v("bankName") or [None])[0], (v("accountNumber") or [None])[0]


#: A Person's name parts, in the order a name written from them takes them (as FtM's
#: ``combine_names`` does; its mother's name left out: no part of her own name).
_NAME_PARTS = ("firstName", "secondName", "middleName", "fatherName", "lastName")


def _composed_name(v: EntityValues, label: str) -> list[str]:
    """A Person without a ``name``: the name her parts write (first value of each, in
    :data:`_NAME_PARTS` order: "Mei Li" from firstName Mei, lastName Li), else none (round a-56,
    F13: both were dropped and she was named by her FtM id)."""
    if label != "Person":
        return []
    parts = [values[0] for values in map(v, _NAME_PARTS) if values]
    return [" ".join(parts)] if parts else []


class NodeMapping:
    """:class:`~graphapi.ingest.readers.ftm.FtmReader`'s node entities (runs on its state)."""

    def _own(self, label: str, v: EntityValues, caption: str | None) -> tuple[dict[str, Any], bool]:
        """The properties only a node of ``label`` has, and whether its natural key comes from
        the entity's own values (then its id is ``Model.node_id``; else the FtM id, which also
        stands in for a missing key part in the key property, as it always did)."""
        proxy, t = v.proxy, self._t
        if label == "Address":
            # the key is the written address; a caption alone (a display name) keeps the FtM id
            full = (v("full") or [caption or proxy.caption])[0]
            cc = next(iter(v.clean("country", t["country"])), None)
            key = normalize(full, lowercase=True, latinize=True) or full
            return ({"full": full, "addressKey": f"{key}|{cc or ''}", "city": (v("city") or [None])[0],
                     "country": cc}, bool(v("full")))
        if label == "BankAccount":
            ibans = []
            for raw in v.raw_values("iban"):
                iban = t["iban"].clean(raw)
                if iban is None:
                    v.text.append(f"iban:{raw}")
                else:
                    ibans.append(iban)
            iban = ibans[0] if ibans else None
            bank, number = _bank_and_number(v)
            # the account's own country first, the bank's if none, as the feeds key it (identity.accounts)
            cc = next(iter(v.clean("country", t["country"])), None) or bank_country(bank)
            # the key the feeds build (graphapi.ingest.identity.accounts), so the same account meets
            digits = (account_number(bank, number, cc)[0] if number else None) or number
            # country + bank + number, as the mapped CSV (which refuses a row without its bank) and
            # docs/ftm.md say; a number with only its country or only its bank is no identity: every
            # bank of a country has an account 0007003, and a bank's name is in many countries (attack
            # round 56, F1: `account:TH::0007003` tied unrelated owners). It keeps its FtM id.
            key = iban or account_key(cc, bank, number)
            natural = key is not None
            key = key or f"{cc or ''}:{(v('bic') or [''])[0]}:{proxy.id}"
            bic = next(iter(v.clean("bic", t["bic"], checked=False)), None)  # its bank's, for AT_BANK
            return ({"iban": iban, "accountNumber": digits,
                     "bankName": (v("bankName") or [None])[0], "bic": bic, "country": cc, "accountKey": key},
                    natural)
        if label == "CryptoWallet":  # keyed by its canonical address (ontology type ``wallet``)
            code, address = (v("currency") or [None])[0], (v("publicKey") or [None])[0]
            wallet = wallet_properties(code, address) if address else None
            if wallet is not None:
                return wallet, True
            if address:  # not an address for that currency: text, never a wallet node
                v.text.append(f"invalidWallet:{code or ''}:{address}")
            chain = t["chain"].clean(code)
            return {"address": proxy.id, "chain": [chain] if chain else []}, False
        if label == "UserAccount":
            self._emails(v)
            # keyed as every loader keys an account (identity.user_accounts): @Somchai_88 is
            # somchai_88 on Telegram, a WhatsApp account its E.164 number, an e-mail lower-cased
            service = (v("service") or [None])[0]
            handle = (v("username") or v("email") if service else v("email") or v("username") or [None])[0]
            if handle is None:
                return {"service": account_service(service, ""), "handle": proxy.id}, False
            own = user_account(service, handle)
            return own, own["service"] != "unknown"
        return {}, False

    def _natural_id(self, label: str, own: dict[str, Any], natural: bool) -> str | None:
        """``Model.node_id`` of a node whose natural key comes from its own values, else None."""
        if not natural:
            return None
        try:
            return self.model.node_id(label, own)
        except OntologyError:  # a key part the ontology asks for and the entity lacks
            return None

    def _own_passports(self, nid: str, props: dict[str, Any], o: Origin, line: str) -> Iterator[Item]:
        """The IdentityDocument nodes of a Person's own ``passportNumber`` (OpenSanctions' usual
        form: few exports have Passport entities), issued by her nationality as the shipped
        crossings mapping keys a traveller's passport, so she meets her OFAC and crossings selves
        on ``identity:MM|MA123456`` (attack round 32, item 7). Only with one nationality: FtM's
        values are a set, so with several "the first" is no issuer, and a guessed one would join
        her to another country's holder of the same number (numbers repeat across countries);
        her numbers then stay properties, as with none."""
        if len(props.get("nationality") or ()) != 1:
            return
        for number in props.get("passportNumber") or ():  # her line's, as a Passport line's may be too
            for r in document_records(self.model, nid, number, props["nationality"][0], "passport", o):
                yield dataclasses.replace(r, line=line) if isinstance(r, EdgeRecord) else r

    def _node(self, v: EntityValues, label: str, base: dict[str, Any], op: str, o: Origin,
              caption: str | None = None) -> Iterator[Item]:
        """``caption``: the entity's own ``caption`` field (OpenSanctions and yente write the name
        they display there), which becomes ``name`` (and so the node's caption, see
        ``graphapi.ingest.derive.caption_for``); the other names become aliases."""
        proxy, t = v.proxy, self._t
        props = dict(base)
        names = v("name") or _composed_name(v, label)
        notes = v("notes") + v("summary") + v("description")
        hints: list[str] = []  # region hints for national phone numbers
        if label in ("Person", "Company", "Organization"):
            # no name: named by its id (FtM's caption would be the schema's, "Person"), and with
            # no identifying value either it is flagged: it cannot be told apart from any other
            name = caption or (names[0] if names else proxy.id)
            props["name"] = name
            if not caption and not names and not _identified(v):
                props["unidentified"] = True
            props["alias"] = [n for n in names if n != name] + v("alias") + v("weakAlias") + v("previousName")
            props["taxNumber"] = v("taxNumber") + v("innCode") + v("vatCode")
        if label == "Person":
            props["birthDate"] = v.clean("birthDate", t["date"])
            props["birthPlace"] = v("birthPlace")
            nat = v.clean("nationality", t["country"]) + v.clean("citizenship", t["country"])
            props["nationality"] = list(dict.fromkeys(nat))
            props["gender"] = next(iter(v.clean("gender", t["gender"])), None)
            # a placeholder ("N/A", "0") is no number: kept as text, never a passport number
            for prop, kind in NUMBER_PROPERTIES.items():
                props[prop] = real_numbers(v(prop))
                v.text.extend(f"{kind}:{n}" for n in v(prop) if placeholder_number(n) and n.strip())
            # the country a person is tied to is only a region hint for national phone numbers
            hints = v.clean("country", t["country"], checked=False) + props["nationality"]
        elif label in ("Company", "Organization"):
            countries = v.clean("country", t["country"]) + v.clean("jurisdiction", t["country"])
            props["country"] = hints = list(dict.fromkeys(countries))
            props["registrationNumber"] = v("registrationNumber") + v("ogrnCode") + v("leiCode")
            dates = v.clean("incorporationDate", t["date"])
            props["incorporationDate"] = dates[0] if dates else None
        elif label in CRAFT_LABELS:  # a name is required: else the craft is named by its FtM id
            name = caption or (names[0] if names else proxy.id)
            props.update(name=name, alias=[n for n in names if n != name] + v("alias") + v("previousName"))
            props.update(craft_properties(label, v, t))
        nid = self._id(proxy.id, proxy.schema)  # the natural id another line of the files gave it, if any
        keyed_line = ""
        if label in _NATURAL:
            bank, number = _bank_and_number(v) if label == "BankAccount" else (None, None)
            # a float export's account number (1073835163.0) is its integer part; one with a fraction
            # or a sign (-1.0) none, nor a whole number with a sign (-1, (1624938057): no account has one)
            written = decimal_written(number) if number and op != "delete" else None
            if written is not None and written.fault:
                yield Rejection(o.file, o.line, f"accountNumber {number!r} has {written.fault}: no account number "
                                f"({advice(written.fault)})")
                return
            if (written is None and number and op != "delete" and signed(number)
                    and account_number(bank, number)[0] is None):  # a wallet's +66... is its phone's
                yield Rejection(o.file, o.line, f"accountNumber {number!r} has {SIGN}: no account number")
                return
            if written is not None and self._floats_warned.listed(o.file, o.line, "accountNumber", number, (
                    "{n:,} more accountNumbers written as decimals read as their integer part from this line on "
                    f"(a float export), not listed one by one: the first {LISTED} are")):
                self.stats.warnings.append(LoadWarning(o.file, o.line, (
                    f"accountNumber {number!r} read as {written.whole} (a whole number written as a decimal, "
                    "as a float export writes it)")))
            own, natural = self._own(label, v, caption)
            props.update(own)
            if number and op != "delete" and (why := account_number(bank, number, own.get("country"))[1]):
                # loaded with the number as written, cleaned; a person checks it
                self.stats.warnings.append(LoadWarning(o.file, o.line, f"{why}; kept as {own['accountNumber']}"))
            natural_id = self._natural_id(label, own, natural)
            if natural_id is not None:
                nid, keyed_line = natural_id, proxy.id  # the line, told apart from the ids FtM merged into it
                props["referents"] = list(dict.fromkeys([*props.get("referents", []), proxy.id]))
        phones: list[str] = []
        if label in ("Person", "Company", "Organization"):
            phones = self._phones(v, hints)
            self._emails(v)
        if v.text:
            props["identifiers"] = list(dict.fromkeys(v.text))
        if notes:
            props["notes"] = "; ".join(notes)
        # one value given by two properties (taxNumber and innCode, registrationNumber and
        # ogrnCode, an alias that is also a weakAlias) is one value, stored once
        props = {k: list(dict.fromkeys(val)) if isinstance(val, list) else val for k, val in props.items()}
        yield NodeRecord(label, nid, {k: val for k, val in props.items() if val not in (None, [], "")}, o, op=op,
                         keyed_line=keyed_line)
        if op == "delete":
            return
        for number in phones:
            pid = self.model.node_id("Phone", {"number": number})
            yield NodeRecord("Phone", pid, {"number": number}, o)
            yield self._edge("USES_PHONE", nid, pid, o, line=proxy.id)  # a Call line may draw it too
        if label == "Person":
            yield from self._own_passports(nid, props, o, proxy.id)
        if label in ("Person", "Company", "Organization"):
            for mailbox in dict.fromkeys(account_handle("email", e) for e in v("email")):
                key = {"service": "email", "handle": mailbox}
                uid = self.model.node_id("UserAccount", key)
                yield NodeRecord("UserAccount", uid, key, o)
                yield self._edge("HAS_ACCOUNT", nid, uid, o)
        for ref in v("addressEntity"):
            aid, placeholder = self._ref(ref, ftm_model.get("Address"), o)
            if placeholder is not None:
                yield placeholder
            if self.model.allows("LOCATED_AT", label, "Address"):
                yield self._edge("LOCATED_AT", nid, aid, o)  # to the Address or its placeholder
        for prop_name, rel in CRAFT_PARTIES if label in CRAFT_LABELS else ():
            for ref in v(prop_name):
                pid, placeholder = self._ref(ref, proxy.schema.get(prop_name).range, o)
                if placeholder is not None:
                    yield placeholder
                yield self._edge(rel, pid, nid, o)
        for prop_name, rel in (("holder", "CONTROLS_WALLET"), ("owner", "HAS_ACCOUNT")):
            prop = proxy.schema.get(prop_name)
            if label in ("CryptoWallet", "UserAccount") and prop:
                for ref in v(prop_name):
                    hid, placeholder = self._ref(ref, prop.range, o)
                    if placeholder is not None:
                        yield placeholder
                    # its line's statement: the line's DEL or MOD finds it by the line, and another
                    # line of the source naming the same holder of the same key keeps it (a-91, 2)
                    yield self._edge(rel, hid, nid, o, line=proxy.id if "referents" in props else "")

    def _phones(self, v: EntityValues, hints: list[str]) -> list[str]:
        """E.164 numbers of the entity's ``phone`` values, cleaned with its countries as region
        hints; a value that does not clean as one number is the numbers written in it (one value
        "+7 (3412) 43-05-05; +7 (951) 210-81-28" is two: :func:`numbers_in`), and a value with
        none is kept as text (``Phone:...``)."""
        numbers = []
        for raw in v.raw_values("phone"):
            number = self._t["phone"].clean(raw, country=hints or None)
            found = [number] if number else numbers_in(raw, hints or None)
            numbers.extend(found)
            if not found:
                v.text.append(f"Phone:{raw}")
        return list(dict.fromkeys(numbers))

    def _emails(self, v: EntityValues) -> None:
        """Keep as text (``email:...``) each ``email`` value that ``followthemoney`` refused."""
        for raw in v.raw_values("email"):
            if registry.email.clean(raw) is None:
                v.text.append(f"email:{raw}")
