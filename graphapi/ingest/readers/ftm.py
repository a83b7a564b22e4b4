"""Reader for FollowTheMoney entity files (JSON lines), read with the ``followthemoney`` library.

Each line is an FtM entity (``id``, ``schema``, ``properties`` with list values, optional
``referents``, ``datasets``, ``first_seen``, ``last_seen``, ``caption``) or, in a delta file, an
operation ``{"op": "ADD"|"MOD"|"DEL", "entity": {...}}`` (yente's delta format). ADD merges, MOD
replaces the source's own values (record ``op="replace"``), DEL withdraws the source
(``op="delete"``).

How each FtM schema becomes the ontology's labels and relationships, natural keys, shared phone
and e-mail nodes, placeholders, and which lines are rejected and why: docs/ftm.md (kept there, for
the data engineers who write the feeds).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from followthemoney import model as ftm_model
from followthemoney.exc import InvalidData
from followthemoney.schema import Schema

from graphapi.ingest.identity.banks import BankLinks
from graphapi.ingest.readers.base import Item, ReadStats
from graphapi.ingest.readers.counted_warnings import CountedWarnings
from graphapi.ingest.readers.ftm_entity import (
    MAX_VALUES_PER_PROPERTY,
    EntityValues,
    entity_caption,
    entity_problem,
    entity_proxy,
)
from graphapi.ingest.readers.ftm_lines import parse_line
from graphapi.ingest.readers.ftm_link_budget import links_written, too_wide
from graphapi.ingest.readers.ftm_links import LinkMapping
from graphapi.ingest.readers.ftm_nodes import _NATURAL, NodeMapping
from graphapi.ingest.records import LineRenewal, NodeRecord, Origin, Rejection
from graphapi.ontology import load_model
from graphapi.ontology.ids import InvalidId
from graphapi.ontology.types import get_type
from graphapi.ontology.types.datetime import check_zone
from graphapi.settings import get_settings

__all__ = ["MAX_VALUES_PER_PROPERTY", "SOURCE", "FtmReader", "entity_problem", "node_label"]

SOURCE = "ftm"
_NODE_SCHEMATA = (
    ("Person", "Person"), ("Company", "Company"), ("Organization", "Organization"),
    ("LegalEntity", "Organization"), ("Address", "Address"), ("BankAccount", "BankAccount"),
    ("CryptoWallet", "CryptoWallet"), ("UserAccount", "UserAccount"), ("Vessel", "Vessel"),
    ("Airplane", "Airplane"),
)
_EDGE_SCHEMATA = {
    "Ownership": "OWNS", "Directorship": "DIRECTOR_OF", "Family": "FAMILY_OF",
    "Associate": "ASSOCIATE_OF", "Membership": "MEMBER_OF", "Employment": "MEMBER_OF",
    "UnknownLink": "LINKED_TO", "Payment": "TRANSFERRED_TO",
}


#: Labels a placeholder for a reference with no entity in the files read may have (else
#: Organization). A placeholder asserts no value: the source said only that something with that id
#: exists, so it has no name nor ``full`` address; its caption is its id (the caption's fallback).
_PLACEHOLDER_LABELS = frozenset({"Person", "Company", "Organization", "Address"})


def node_label(schema: Schema) -> str | None:
    """The ontology label for an FtM node schema, or ``None`` if it is not a node."""
    for ftm_name, label in _NODE_SCHEMATA:
        if schema.is_a(ftm_name):
            return label
    return None


def _a(name: str) -> str:
    """``name`` with its indefinite article ("a Person", "an Organization")."""
    return f"{'an' if name[:1] in 'AEIOU' else 'a'} {name}"


class FtmReader(NodeMapping, LinkMapping):
    """Reads FtM JSON-lines files (entities or delta operations); see the module docstring."""

    def __init__(self, paths: list[Path], *, source: str = SOURCE, tz: str | None = None,
                 max_links: int | None = None) -> None:
        self.paths = [Path(p) for p in paths]
        self.source = source
        #: Relationships one link entity may draw (its parties' cross product); a line drawing
        #: more is rejected, a DEL of it takes what its id drew (None: LINTAS_FTM_MAX_LINKS_PER_ENTITY);
        #: any line draws at most one per 16 bytes of it too (ftm_link_budget)
        self.max_links = max_links if max_links is not None else get_settings().ftm_max_links_per_entity
        self._line_bytes = 0  # the size of the line read, which bounds what it may draw (ftm_link_budget)
        #: The IANA zone a date and time without an offset is read in (None: UTC), recorded in
        #: its relationship's ``assumedTimeZone``; raises ``ValueError`` for an unknown zone.
        self.tz = check_zone(tz) if tz is not None else None
        self.stats = ReadStats()
        self.model = load_model()
        self._t = {n: get_type(n) for n in (
            "date", "country", "gender", "phone", "iban", "datetime", "float", "chain", "accountNumber",
            "amount", "currency", "duration", "bic")}
        #: accounts linked to their gazetteer bank (AT_BANK); an unknown bank flagged and warned of
        self._banks = BankLinks(self.model, self.stats)
        #: account numbers a float export wrote: a file's first few listed, the rest counted
        self._floats_warned = CountedWarnings()
        #: FtM ids of the entities in the files read (not counting DELs), after the first pass.
        self._known: set[str] = set()
        #: FtM id -> natural id of the entities whose label has a natural key (first pass).
        self._natural: dict[str, str] = {}
        self._natural_schema: dict[str, Schema] = {}  # FtM id -> the schema of the line that gave it
        self._labels: dict[str, str | None] = {}  # FtM schema name -> ontology node label
        #: FtM id -> (the schema its loaded lines give it, where the first was) for node entities
        self._schemata: dict[str, tuple[Schema, str]] = {}
        #: FtM ids whose last line so far is a DEL: a reference to one makes a placeholder again
        self._dropped: set[str] = set()

    def _lines(self, path: Path) -> Iterator[tuple[int, Any, Any, str, str | None, int]]:
        """``(line, raw, entity, op, problem, bytes)`` per non-blank line: ``raw`` the whole line as
        read (parsed JSON, or the text if it does not parse), ``entity`` the entity in it (a
        rejected line's too, if it parses as one with a known op: it may name links, see
        :meth:`_rejected`), ``op`` merge | replace | delete, ``problem`` the reason to reject the
        line or ``None``, ``bytes`` the line's size."""
        # surrogateescape: a byte that is not UTF-8 rejects its line, not the file
        with path.open(encoding="utf-8", errors="surrogateescape") as fh:
            for line_no, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                yield *parse_line(line_no, line), len(line.encode("utf-8", "surrogateescape"))

    def _label(self, schema_name: str) -> str | None:
        if schema_name not in self._labels:
            schema = ftm_model.get(schema_name)
            self._labels[schema_name] = node_label(schema) if schema is not None else None
        return self._labels[schema_name]

    def _index(self) -> None:
        """First pass: the FtM ids in the files, and FtM id -> natural id for the entities whose
        label has a natural key (a DEL's only where no other line gives one). A line whose schema
        cannot merge with the schema earlier lines gave its id is rejected in the second pass, so
        it gives no natural id: a Person line is never renamed to a later BankAccount line's key.
        Nor is it renamed to a DEL's key when the DEL's schema cannot merge with its id's loaded
        lines' (a delta re-typing an id: DEL of the BankAccount, ADD of the Person): that DEL
        deletes the account by its own key, and the Person keeps its id (attack round 31).
        A DEL ends what the lines before it typed (ADD BankAccount, DEL it, ADD Person: the Person
        loads), and only the lines that merge with the id's last type give it its natural id
        (the Person is not renamed to the account's key; attack round 31b)."""
        typed: dict[str, Schema] = {}  # FtM id -> the schema its lines so far give it
        deleted: list[tuple[str, Schema, str]] = []  # (FtM id, schema, natural id) of each DEL
        added: list[tuple[str, Schema, str]] = []  # the same of each other line
        for path in self.paths:
            for _, _, doc, op, problem, _ in self._lines(path):
                if problem:
                    continue
                if op == "delete":
                    typed.pop(doc["id"], None)
                else:
                    self._known.add(doc["id"])
                    schema = ftm_model.get(doc["schema"])
                    if schema is not None and self._label(schema.name) is not None:
                        seen = typed.get(doc["id"])
                        try:
                            typed[doc["id"]] = schema if seen is None else ftm_model.common_schema(seen, schema)
                        except InvalidData:  # schemata that cannot merge: the second pass rejects the line
                            continue
                label = self._label(doc["schema"])
                if label not in _NATURAL:
                    continue
                try:
                    proxy = entity_proxy(doc)
                except Exception:  # the second pass rejects the line
                    continue
                nid = self._natural_id(label, *self._own(label, EntityValues(proxy, doc.get("properties") or {}),
                                                         entity_caption(doc)))
                if nid is None:
                    continue
                (deleted if op == "delete" else added).append((doc["id"], proxy.schema, nid))
        for eid, schema, nid in added:
            if _merges(typed.get(eid), schema):
                self._natural[eid] = nid
                self._natural_schema[eid] = schema
        for eid, schema, nid in deleted:
            if eid in self._natural or not _merges(typed.get(eid), schema):
                continue
            self._natural[eid], self._natural_schema[eid] = nid, schema

    def records(self) -> Iterator[Item]:
        """Yield records and rejections for every file, in order."""
        self._known, self._natural, self._schemata, self._natural_schema = set(), {}, {}, {}
        self._dropped = set()
        self._index()
        placeholders: set[str] = set()
        for path in self.paths:
            for line, raw, doc, op, problem, size in self._lines(path):
                self.stats.rows, self._line_bytes = self.stats.rows + 1, size
                if problem:
                    yield self._rejected(path, line, problem, raw, doc, op)
                    continue
                try:
                    proxy = entity_proxy(doc)
                except Exception as exc:  # whatever followthemoney refuses is a row problem
                    yield self._rejected(path, line, f"invalid FtM entity: {exc}", raw, doc, op)
                    continue
                clash = self._schema_clash(proxy.schema, doc["id"], op)
                if clash:
                    yield self._rejected(path, line, clash, raw, doc, op)
                    continue
                v = EntityValues(proxy, doc.get("properties") or {})
                try:
                    items = list(self._entity(v, doc, op, Origin(self.source, path.name, line)))
                except InvalidId as exc:  # an id made from its values (a sanction's program text)
                    yield self._rejected(path, line, str(exc), raw, doc, op)
                    continue
                if items and isinstance(items[0], Rejection):
                    yield self._rejected(path, line, items[0].reason, raw, doc, op)
                    continue
                # a node entity's links (one a value) too are bounded by its line's bytes
                if why := too_wide(proxy.schema.name, proxy.id, links_written(items), self._line_bytes, None):
                    yield self._rejected(path, line, why, raw, doc, op)
                    continue
                if v.invalid and op != "delete":
                    yield self._rejected(path, line, "; ".join(dict.fromkeys(v.invalid)), raw, doc, op)
                    continue
                if op != "merge" and not any(_renews(item, proxy.id) for item in items):
                    # a MOD renews its line whatever schema it has now, a DEL ends it whatever
                    # schema it names: what the line stated as another schema goes (a Passport's
                    # number, document and HOLDS_DOCUMENT under a Person MOD or DEL: attack round
                    # a-73, F4; a-76, F4)
                    items.insert(0, LineRenewal(proxy.id, Origin(self.source, path.name, line), op))
                self._typed(proxy.schema, doc["id"], op, f"{path.name} line {line}")
                if op == "delete":  # a line after it names the id as if a later load did; the
                    self._dropped.add(doc["id"])  # DEL may take any placeholder with its last link
                    placeholders.clear()
                else:
                    self._dropped.discard(doc["id"])
                for item in self._banks.add(items, raw):
                    if isinstance(item, NodeRecord) and item.unresolved:
                        if item.id in placeholders:
                            continue
                        placeholders.add(item.id)
                        self.stats.unresolved.append(item.id)
                    yield item
            self.stats.warnings += self._floats_warned.closing()  # the file's float account numbers not listed

    def _schema_clash(self, schema: Schema, eid: str, op: str) -> str | None:
        """Why a line typing ``eid`` as ``schema`` cannot merge with the earlier lines that typed
        it (FtM's ``model.common_schema``: Person and Organization cannot, Organization and
        Company can), or None."""
        seen = self._schemata.get(eid) if op != "delete" else None
        if seen is None or self._label(schema.name) is None:
            return None
        try:
            ftm_model.common_schema(seen[0], schema)
        except InvalidData:
            return (f"FtM id {eid!r} is {_a(seen[0].name)} ({seen[1]}) and {_a(schema.name)} here: "
                    "schemata that cannot merge; not merged")
        return None

    def _typed(self, schema: Schema, eid: str, op: str, where: str) -> None:
        """Note the schema a loaded line gives ``eid`` (merged with earlier lines': the narrower);
        a DEL forgets it, so the id may come back as another schema."""
        if op == "delete":
            self._schemata.pop(eid, None)
            return
        if self._label(schema.name) is None:
            return
        seen = self._schemata.get(eid)
        self._schemata[eid] = (schema, where) if seen is None else (ftm_model.common_schema(seen[0], schema), seen[1])

    def _reject(self, path: Path, line: int, reason: str, raw: Any) -> Rejection:
        self.stats.rejected += 1
        return Rejection(path.name, line, reason, raw)

    def _rejected(self, path: Path, line: int, reason: str, raw: Any, doc: Any, op: str) -> Rejection:
        """The rejection of a line, with the links its entity ``doc`` still names if it is a link
        entity (:meth:`_said_links`): loaded nowhere, they keep its agency's echo of each no wider
        (attack round 51, 1: TH-DSI's MOD at RED of its GREEN echo, rejected for a bad date, left
        the echo GREEN, and KH-NP's DEL handed the link over at GREEN)."""
        rej = self._reject(path, line, reason, raw)
        schema = ftm_model.get(doc["schema"]) if isinstance(doc, dict) and isinstance(doc.get("schema"), str) else None
        rel = next((r for k, r in _EDGE_SCHEMATA.items() if schema.is_a(k)), None) if schema is not None else None
        if rel is None:
            return rej
        links, note = self._said_links(doc, rel, op, Origin(self.source, path.name, line))
        return dataclasses.replace(rej, links=links, reason=rej.reason + note) if links else rej

    # -- one entity ----------------------------------------------------------------------------
    def _id(self, ref: str, schema: Schema | None = None) -> str:
        """The node id of an FtM id: its natural id if it has one, else itself; for a line of
        ``schema``, only one that a line it merges with gave (ADD Person, DEL it, ADD BankAccount:
        the Person is not renamed to the account's key)."""
        if schema is not None and not _merges(self._natural_schema.get(ref), schema):
            return ref
        return self._natural.get(ref, ref)

    def _ref(self, ref: str, schema: Schema | None, o: Origin, op: str = "merge"
             ) -> tuple[str, NodeRecord | None]:
        """The node id a reference resolves to, and a placeholder node (``unresolved``) when no
        entity in the files read has that id, or the last line so far of that id is a DEL (as a
        later load would make one: attack round 32); none for a DEL: nothing is made for it."""
        if op == "delete":
            return self._id(ref), None
        if ref in self._known and ref not in self._dropped:
            return self._id(ref), None
        label = (node_label(schema) if schema else None) or "Organization"
        if label not in _PLACEHOLDER_LABELS:  # labels whose Lintas id is the FtM id
            label = "Organization"
        return ref, NodeRecord(label, ref, {}, o, unresolved=True)

    def _base(self, v: EntityValues, doc: dict[str, Any]) -> dict[str, Any]:
        props: dict[str, Any] = {}
        datasets = doc.get("datasets") or []
        if datasets:
            props["sources"] = [self.source, *[f"{self.source}:{d}" for d in datasets]]
        for key, prop in (("first_seen", "firstSeen"), ("last_seen", "lastSeen")):
            props[prop] = v.check(key, doc.get(key), self._t["datetime"])
        if doc.get("referents"):
            props["referents"] = list(doc["referents"])
        return props

    def _entity(self, v: EntityValues, doc: dict[str, Any], op: str, o: Origin) -> Iterator[Item]:
        schema: Schema = v.proxy.schema
        base = self._base(v, doc)
        label = self._label(schema.name)
        if label is not None:
            yield from self._node(v, label, base, op, o, entity_caption(doc))
            return
        rel = next((r for s, r in _EDGE_SCHEMATA.items() if schema.is_a(s)), None)
        if rel is not None:
            yield from self._interval(v, rel, base, op, o)
            return
        if schema.is_a("Sanction"):
            yield from self._sanction(v, base, op, o)
            return
        if schema.is_a("Identification"):
            yield from self._identification(v, op, o)
            return
        if schema.is_a("Call"):
            yield from self._call(v, base, op, o)
            return
        if schema.is_a("Trip"):
            yield from self._trip(v, base, op, o)
            return
        yield Rejection(o.file, o.line, f"FtM schema {schema.name} has no ontology counterpart")


def _renews(item: Item, line: str) -> bool:
    """True if ``item`` starts or is part of ``line``'s new version (a MOD's own renewal)."""
    return isinstance(item, LineRenewal) or getattr(item, "renews", "") == line


def _merges(seen: Schema | None, schema: Schema) -> bool:
    """True if ``schema`` can merge with ``seen`` (None: an id no loaded line typed)."""
    if seen is None:
        return True
    try:
        ftm_model.common_schema(seen, schema)
    except InvalidData:
        return False
    return True
