"""Reader for OFAC's legacy SDN CSV files: ``sdn.csv`` (+ ``add.csv``, ``alt.csv``).

Format (OFAC "SDN data specification", legacy CSV): no header row (a first row starting with
OFAC's column names, ``ent_num,SDN_Name,...``, is accepted and skipped; any other row is data, and
one whose ent_num is not a number is rejected), ``-0-`` (often with a trailing space) is the null
marker, fields quoted as needed.

- sdn.csv: ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage, GRT,
  Vess_flag, Vess_owner, Remarks
- add.csv: ent_num, add_num, address, city_state_province_postal, country, add_remarks
- alt.csv: ent_num, alt_num, alt_type, alt_name, alt_remarks

Each SDN row becomes a Person (SDN_Type ``individual``) or an Organization (subtype chosen from
``Target Type`` and the name: ArmedGroup, CriminalOrganization, Bank, Company) with id
``ofac-<ent_num>``; each program (``TCO] [BURMA-EO14014`` holds two) a Sanction node joined by
SANCTIONED; the Remarks facts (see :mod:`.ofac_remarks`) become properties, CryptoWallet,
Website, UserAccount (e-mail) and Phone nodes (:mod:`.ofac_contacts`), and LINKED_TO relationships resolved by SDN name
(:mod:`.ofac_links`: letters and digits of every script, so ``CO. LTD..`` still resolves; aliases
second). A ``Linked To`` target with no row, or with several (namesakes: a warning names them),
becomes a placeholder node flagged ``unresolved``. Address rows with a street line
become Address nodes (LOCATED_AT) with their country; a locality-only row (``Hong Kong, China``)
becomes an Address of that entity alone (its key includes the entity id), so a city or a country
never links unrelated entities. A vessel (SDN_Type ``vessel``) becomes a ``Vessel`` with its
IMO number, MMSI, call sign, flag, former flags, type, tonnage, GRT and owner's name (an OWNS from
the owner when the list has the owner's row); an aircraft a ``Airplane`` with its tail numbers,
serial numbers, model, manufacture date and operator (OPERATES_CRAFT from the operator's row).

Framing: OFAC's files end with a DOS end-of-file byte (0x1A, Ctrl-Z) on the last line; it, and
rows at the top of a file before its first data row that are a header (OFAC's column names) or a
preamble (up to three rows of at most half a row's fields and no ent_num: a title, a publication
date), are not data: they are neither read nor rejected rows, and are listed in ``skipped`` with file, line and what
they were. A header row repeated further down (two files joined) is skipped the same way.

- A DOB range (``01 Jan 1964 to 17 Feb 1964``) is kept as a range: ``birthDateRange``
  ``["1964-01-01/1964-02-17"]`` (ISO 8601 interval), and ``birthDate`` gets only the partial date
  holding all of it (``1964``), never the two ends as if they were two alternative DOBs.
- Wallets are keyed by the ontology's canonical address (type ``wallet``: EVM hex lower case,
  Base58 as written), so ``TRX`` and ``USDT`` at one Tron address are one node with
  ``chain: [TRX, USDT]``, and feeds that write the address in another case find OFAC's node.
- A wallet, website, e-mail or phone that does not clean is kept as text in ``identifiers``
  (``invalidWallet:XBT:<address>``, ``Website:<site>``, ``UserAccount:<mail>``, ``Phone:<raw>``).
- An add.csv / alt.csv row is rejected with what is wrong with it: its field count, else an
  ent_num with no loaded SDN row.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from normality import normalize

from graphapi.ingest.identity.documents import document_records, real_numbers
from graphapi.ingest.readers.base import Item, ReadStats
from graphapi.ingest.readers.ofac_contacts import contact_records
from graphapi.ingest.readers.ofac_craft import CRAFT as _CRAFT
from graphapi.ingest.readers.ofac_craft import craft_properties
from graphapi.ingest.readers.ofac_files import (
    ADD_COLUMNS,
    ADD_HEADER,
    ALT_COLUMNS,
    ALT_HEADER,
    SDN_COLUMNS,
    SDN_HEADER,
    null_marker,
    read_rows,
)
from graphapi.ingest.readers.ofac_links import SdnNames, sdn_key
from graphapi.ingest.readers.ofac_names import COMPANY_WORDS, given_first, org_label
from graphapi.ingest.readers.ofac_remarks import IdFact, Remarks, parse_remarks
from graphapi.ingest.records import EdgeRecord, LoadWarning, NodeRecord, Origin, Rejection
from graphapi.ontology import load_model
from graphapi.ontology.ids import InvalidId
from graphapi.ontology.types import enclosing, get_type, parse_range

log = logging.getLogger("graphapi.ingest")
SOURCE = "ofac-sdn"
AUTHORITY = "OFAC"
_ORGS = ("Organization", "Company", "Bank", "ArmedGroup", "CriminalOrganization")


@dataclass
class _Entry:
    ent: str
    line: int
    fields: list[str]
    label: str = "Organization"
    name: str = ""
    remarks: Remarks = field(default_factory=Remarks)
    aliases: list[str] = field(default_factory=list)
    addresses: list[tuple[int, list[str]]] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"ofac-{self.ent}"


def _link_problem(what: str, fields: list[str], width: int, entries: dict[str, _Entry]) -> str | None:
    """Why an add.csv / alt.csv row cannot be joined to its SDN row, or ``None``: a wrong field
    count (``"address row has 4 fields, expected 6"``) is said before an unknown ent_num
    (``"address row for ent_num '99', which is not among the loaded SDN rows"``)."""
    if len(fields) != width:
        return f"{what} row has {len(fields)} fields, expected {width}"
    ent = fields[0].strip()
    if ent not in entries:
        return f"{what} row for ent_num {ent!r}, which is not among the loaded SDN rows"
    return None


class OfacReader:
    """Reads one set of OFAC SDN files; see the module docstring. ``records()`` yields items."""

    def __init__(self, sdn: Path, add: Path | None = None, alt: Path | None = None, *,
                 source: str = SOURCE) -> None:
        self.sdn, self.add, self.alt = Path(sdn), add and Path(add), alt and Path(alt)
        self.source = source
        self.stats = ReadStats()
        #: (file, line, what) of lines that are no data: headers, a preamble, the end-of-file byte
        self.skipped: list[tuple[str, int, str]] = []
        self.model = load_model()
        self._t = {n: get_type(n) for n in ("date", "country", "gender")}

    # -- helpers -------------------------------------------------------------------------------
    def _origin(self, path: Path, line: int) -> Origin:
        return Origin(self.source, path.name, line)

    def _reject(self, path: Path, line: int, reason: str, raw: Any) -> Rejection:
        self.stats.rejected += 1
        return Rejection(path.name, line, reason, raw)

    def _country(self, text: str | None) -> str | None:
        return self._t["country"].clean(text) if text else None

    def _edge(self, rel: str, start: str, end: str, o: Origin, disc: str = "", **props: Any) -> EdgeRecord:
        return EdgeRecord(rel, self.model.relationship_id(rel, start, end, disc), start, end, props, o)

    # -- reading -------------------------------------------------------------------------------
    def records(self) -> Iterator[Item]:
        """Yield node and edge records and rejections for all given files."""
        entries: dict[str, _Entry] = {}
        for line, fields, problem in read_rows(self.sdn, SDN_HEADER, SDN_COLUMNS, self.skipped):
            self.stats.rows += 1
            if problem:
                yield self._reject(self.sdn, line, problem, fields)
                continue
            if len(fields) != SDN_COLUMNS:
                yield self._reject(self.sdn, line, f"SDN row has {len(fields)} fields, expected {SDN_COLUMNS}", fields)
                continue
            if not fields[0].strip().isdigit():
                yield self._reject(self.sdn, line, f"ent_num {fields[0].strip()!r} is not a number", fields)
                continue
            ent = fields[0].strip()
            name = null_marker(fields[1])
            sdn_type = (null_marker(fields[2]) or "").lower()
            if not name:
                yield self._reject(self.sdn, line, "SDN_Name is empty", fields)
                continue
            if ent in entries:
                yield self._reject(self.sdn, line, f"duplicate ent_num {ent}", fields)
                continue
            remarks = parse_remarks(fields[11])
            label = _CRAFT.get(sdn_type) or ("Person" if sdn_type == "individual" else org_label(name, remarks))
            entries[ent] = _Entry(ent, line, fields, label, name, remarks)
        if self.alt:
            for line, fields, problem in read_rows(self.alt, ALT_HEADER, ALT_COLUMNS, self.skipped):
                self.stats.rows += 1
                if problem:
                    yield self._reject(self.alt, line, problem, fields)
                    continue
                reason = _link_problem("alt", fields, ALT_COLUMNS, entries)
                alias = null_marker(fields[3]) if len(fields) >= 4 else None
                if reason is None and not alias:
                    reason = "alt row has an empty alt_name"
                if reason is not None:
                    yield self._reject(self.alt, line, reason, fields)
                    continue
                entries[fields[0].strip()].aliases.append(alias)  # type: ignore[arg-type]
        if self.add:
            for line, fields, problem in read_rows(self.add, ADD_HEADER, ADD_COLUMNS, self.skipped):
                self.stats.rows += 1
                if problem:
                    yield self._reject(self.add, line, problem, fields)
                    continue
                reason = _link_problem("address", fields, ADD_COLUMNS, entries)
                if reason is not None:
                    yield self._reject(self.add, line, reason, fields)
                    continue
                entries[fields[0].strip()].addresses.append((line, fields))
        by_name = SdnNames()
        self._labels = {e.id: e.label for e in entries.values()}
        for e in entries.values():
            by_name.add(e.id, e.name, (*e.remarks.aka, *e.aliases))
        placeholders: set[str] = set()
        for e in entries.values():
            yield from self._entity(e, by_name, placeholders)
        for name, line, what in self.skipped:  # no data, so in no count: said here
            log.info("%s line %d: %s, not a data row", name, line, what)

    def _entity(self, e: _Entry, by_name: SdnNames, placeholders: set[str]) -> Iterator[Item]:
        o = self._origin(self.sdn, e.line)
        r = e.remarks
        props: dict[str, Any] = {"name": e.name}
        aliases = [*r.aka, *e.aliases]
        notes: list[str] = []
        identifiers: list[str] = []
        if e.label == "Person":
            gf = given_first(e.name)
            aliases += [gf] if gf else []
            aliases += [x for x in (given_first(a) for a in r.aka) if x]
            ranges: list[str] = []
            props["birthDate"] = self._dates(r.dob, notes, "DOB", ranges)
            props["birthDateRange"] = ranges
            props["birthPlace"] = list(r.pob)
            nat = [self._country(c) for c in (*r.nationality, *r.citizen)]
            props["nationality"] = list(dict.fromkeys(c for c in nat if c))
            props["gender"] = next((g for g in map(self._t["gender"].clean, r.gender) if g), None)
            props["passportNumber"] = real_numbers(self._ids(r.passport, "passport", identifiers))
            props["idNumber"] = real_numbers(self._ids(r.national_id, "nationalId", identifiers))
        elif e.label in _CRAFT.values():
            props.update(craft_properties(e.label, e.fields, e.remarks, notes))
        else:
            props["registrationNumber"] = self._ids(r.registration, "registration", identifiers)
            dates = self._dates(r.established, notes, "Organization Established Date")
            props["incorporationDate"] = dates[0] if dates else None
            self._ids(r.giin, "giin", identifiers)
            identifiers += [f"bic:{b}" for b in r.bic]
            notes += [f"Organization Type: {t}" for t in r.org_type]
        if e.label not in _CRAFT.values():
            props["taxNumber"] = self._ids(r.tax, "tax", identifiers)
        notes += [f"Target Type {t}" for t in r.target_type]
        title = null_marker(e.fields[4])
        if title:
            notes.append(f"Title: {title}")
        notes += r.other
        if r.truncated:
            notes.append(f"[cut by OFAC at 1000 characters] {r.truncated}")
            identifiers.append(f"truncated:{r.truncated}")
        props["alias"] = [a for a in dict.fromkeys(aliases) if a and a != e.name]

        countries: list[str] = []
        address_items: list[Item] = []
        craft = e.label in _CRAFT.values()
        for line, fields in e.addresses:
            if craft:  # a ship or aircraft has no address (OFAC gives vessels a country at most)
                notes.append("Address: " + ", ".join(p for p in map(null_marker, fields[2:5]) if p))
                continue
            address_items.extend(self._address(e, line, fields, countries, identifiers))
        if not craft and e.label != "Person" and countries:
            props["country"] = list(dict.fromkeys(countries))
        hint = (countries or props.get("nationality") or [None])[0]
        contact_items = [] if craft else list(contact_records(self.model, e.id, e.remarks, hint, identifiers, o))
        if craft:  # contacts link people and organisations only: kept as written
            notes += [f"Digital Currency Address - {c} {a}" for c, a in r.wallets]
            notes += [f"{k} {x}" for k, xs in (("Website", r.website), ("Email Address", r.email),
                                               ("Phone", r.phone)) for x in xs]
        if e.label == "Person":  # an organisation's "Identification Number" is a registration
            for kind, facts in (("passport", r.passport), ("nationalId", r.national_id)):
                for f in facts:
                    contact_items += document_records(self.model, e.id, f.value, f.country, kind, o)
        props["identifiers"] = identifiers
        props["notes"] = "; ".join(notes) or None
        yield NodeRecord(e.label, e.id, {k: v for k, v in props.items() if v not in (None, [], "")}, o)
        yield from address_items

        for program in (p.strip() for p in (e.fields[3] or "").replace("] [", ";").split(";")):
            program = program.strip("[] ")
            if not null_marker(program):
                continue
            sid = self.model.node_id("Sanction", {"authority": AUTHORITY, "program": program})
            yield NodeRecord("Sanction", sid, {"authority": AUTHORITY, "program": program}, o)
            yield self._edge("SANCTIONED", e.id, sid, o, listingId=e.ent)

        yield from contact_items
        yield from self._craft_parties(e, props, by_name, o)

        for target in r.linked_to:
            yield from self._link(e, target, by_name, placeholders, o)

    def _link(self, e: _Entry, target: str, by_name: SdnNames, placeholders: set[str], o: Origin
              ) -> Iterator[Item]:
        """The LINKED_TO of one ``Linked To`` target (:mod:`.ofac_links`): to the one entry bearing
        the name; else to a placeholder of the name, flagged ``unresolved``, also when several
        entries bear it (a warning names them: never a guess between namesakes)."""
        key = sdn_key(target)
        if not key:
            self.stats.warnings.append(LoadWarning(o.file, o.line, f"Linked To {target!r} names no one: not linked"))
            return
        bearers = by_name.bearers(target, e.id)
        if bearers == [e.id]:
            return
        if len(bearers) == 1:
            yield self._edge("LINKED_TO", e.id, bearers[0], o)
            return
        if len(bearers) > 1:
            self.stats.warnings.append(LoadWarning(o.file, o.line, (
                f"Linked To {target.rstrip('.')!r} names {len(bearers)} SDN entries ({', '.join(bearers)}): "
                "linked to a placeholder of the name, not to any of them")))
        tid = f"ofac-ref:{key}"
        if tid not in placeholders:
            placeholders.add(tid)
            self.stats.unresolved.append(tid)
            is_person = "," in target and not COMPANY_WORDS.search(target.upper())
            label = "Person" if is_person else org_label(target, Remarks())
            yield NodeRecord(label, tid, {"name": target.rstrip(".")}, o, unresolved=True)
        yield self._edge("LINKED_TO", e.id, tid, o)

    def _craft_parties(self, e: _Entry, props: dict[str, Any], by_name: SdnNames, o: Origin) -> Iterator[Item]:
        """OWNS from a vessel's or aircraft's owner and OPERATES_CRAFT from its operator, when the
        list has one entry of that name (matched as ``Linked To`` is); else the name stays a property."""
        for prop, rel in (("ownerName", "OWNS"), ("operatorName", "OPERATES_CRAFT")):
            bearers = by_name.bearers(props.get(prop) or "", e.id)
            if len(bearers) == 1 and bearers[0] != e.id and self._labels.get(bearers[0]) in ("Person", *_ORGS):
                yield self._edge(rel, bearers[0], e.id, o)

    def _dates(self, values: list[str], notes: list[str], what: str, ranges: list[str] | None = None) -> list[str]:
        """Cleaned partial dates of ``values`` (a value that is no date goes to ``notes`` as
        ``"<what> <value>"``). A range ("01 Jan 1964 to 17 Feb 1964") adds both its ends, unless
        ``ranges`` is given: then the range goes there as an ISO 8601 interval
        ("1964-01-01/1964-02-17") and only the partial date holding all of it ("1964", if the
        ends share a year) is returned, so that two ends never read as two alternative dates."""
        out: list[str] = []
        for v in values:
            rng = parse_range(v)
            if rng and ranges is not None:
                ranges.append(f"{rng[0]}/{rng[1]}")
                held = enclosing(*rng)
                out += [held] if held else []
                continue
            if rng:
                out += list(rng)
                continue
            d = self._t["date"].clean(v)
            if d:
                out.append(d)
            else:
                notes.append(f"{what} {v}")
        return list(dict.fromkeys(out))

    def _ids(self, facts: list[IdFact], kind: str, identifiers: list[str]) -> list[str]:
        out: list[str] = []
        for f in facts:
            out.append(f.value)
            cc = self._country(f.country) or (f.country or "")
            identifiers.append(f"{kind}:{cc}:{f.value}" if cc else f"{kind}:{f.value}")
        return list(dict.fromkeys(out))

    def _address(self, e: _Entry, line: int, fields: list[str], countries: list[str],
                 identifiers: list[str]) -> Iterator[Item]:
        street, city, country_text = null_marker(fields[2]), null_marker(fields[3]), null_marker(fields[4])
        cc = self._country(country_text)
        if cc:
            countries.append(cc)
        parts = [p for p in (street, city, country_text) if p]
        if not parts:
            return
        full = ", ".join(parts)
        key = normalize(", ".join(p for p in (street, city) if p), lowercase=True, latinize=True) or ""
        # A street address is shared by key; a locality-only one ("Hong Kong, China") is kept
        # per entity, so that a city or country never links unrelated entities.
        scope = "" if street else f"|{e.id}"
        props = {"full": full, "addressKey": f"{key}|{cc or ''}{scope}", "city": city, "country": cc}
        try:
            aid = self.model.node_id("Address", props)
        except InvalidId as exc:  # a key over the id limit (OFAC's own fields are shorter)
            yield self._reject(self.add or self.sdn, line, str(exc), fields)
            return
        o = self._origin(self.add or self.sdn, line)
        yield NodeRecord("Address", aid, {k: v for k, v in props.items() if v}, o)
        yield self._edge("LOCATED_AT", e.id, aid, o)


def read_ofac(sdn: Path, add: Path | None = None, alt: Path | None = None, *,
              source: str = SOURCE) -> OfacReader:
    """An :class:`OfacReader` over the given files (iterate ``.records()``; then read ``.stats``)."""
    return OfacReader(sdn, add, alt, source=source)
