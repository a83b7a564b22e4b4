"""Reader for FollowTheMoney entity files (JSON lines), read with the ``followthemoney`` library.

Each line is an FtM entity (``id``, ``schema``, ``properties`` with list values, optional
``referents``, ``datasets``, ``first_seen``, ``last_seen``) or, in a delta file, an operation
``{"op": "ADD"|"MOD"|"DEL", "entity": {...}}`` (yente's delta format). ADD merges, MOD replaces
the source's own values (record ``op="replace"``), DEL withdraws the source (``op="delete"``).

Schema mapping (FtM schema -> ontology), by ``Schema.is_a``:

- Person -> Person; Company -> Company; Organization / LegalEntity / PublicBody -> Organization;
  Address -> Address; BankAccount -> BankAccount; CryptoWallet -> CryptoWallet;
  UserAccount -> UserAccount.
- Interval schemata become relationships from ``edge_source`` to ``edge_target``: Ownership ->
  OWNS (``percentage`` as ``share``), Directorship -> DIRECTOR_OF, Family -> FAMILY_OF,
  Associate -> ASSOCIATE_OF, Membership and Employment -> MEMBER_OF, UnknownLink -> LINKED_TO,
  Payment -> TRANSFERRED_TO; Sanction -> a Sanction node (authority + program) and SANCTIONED;
  Passport / Identification -> identity numbers on the holder; Call -> CALLED between the
  callerNumber and receiverNumber Phone nodes (``duration`` as ``durationS``), with USES_PHONE
  from ``caller`` / ``receiver``. Trip and other schemata have no ontology counterpart and are
  rejected with that reason.
- ``phone``, ``email`` properties become shared Phone and UserAccount(email) nodes, IBANs
  BankAccount nodes, so two entities with the same number meet in the graph; ``addressEntity``
  becomes LOCATED_AT.
- An entity's own ``caption`` (written by OpenSanctions and yente: the name they display) is its
  ``name``, hence its caption here; its other names are aliases. Without one, the first name.
- ``referents`` are stored in ``referents``; ``datasets`` are added to ``sources``.
- A reference to an id in none of the files read is kept as a placeholder node (label from the
  property's range) and reported in ``stats.unresolved``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from followthemoney import model as ftm_model
from followthemoney.schema import Schema
from normality import normalize

from graphapi.ingest.readers.base import MAX_FIELD_CHARS, Item, ReadStats, unsafe_text
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin, Rejection
from graphapi.ontology import load_model
from graphapi.ontology.types import get_type

SOURCE = "ftm"
_NODE_SCHEMATA = (
    ("Person", "Person"), ("Company", "Company"), ("Organization", "Organization"),
    ("LegalEntity", "Organization"), ("Address", "Address"), ("BankAccount", "BankAccount"),
    ("CryptoWallet", "CryptoWallet"), ("UserAccount", "UserAccount"),
)
_EDGE_SCHEMATA = {
    "Ownership": "OWNS", "Directorship": "DIRECTOR_OF", "Family": "FAMILY_OF",
    "Associate": "ASSOCIATE_OF", "Membership": "MEMBER_OF", "Employment": "MEMBER_OF",
    "UnknownLink": "LINKED_TO", "Payment": "TRANSFERRED_TO",
}
_OPS = {"ADD": "merge", "MOD": "replace", "DEL": "delete"}


def _getter(proxy: Any) -> Any:
    """``proxy.get`` that answers ``[]`` for properties the schema does not have."""
    return lambda name: proxy.get(name, quiet=True)


#: Placeholder labels for references with no entity in the files read, and the property that
#: holds the reference until the entity arrives (its caption).
_PLACEHOLDER_CAPTION = {"Person": "name", "Company": "name", "Organization": "name", "Address": "full"}


def node_label(schema: Schema) -> str | None:
    """The ontology label for an FtM node schema, or ``None`` if it is not a node."""
    for ftm_name, label in _NODE_SCHEMATA:
        if schema.is_a(ftm_name):
            return label
    return None


def _longest_value(line: str) -> int:
    """Length of the longest string in a JSON line (0 if it does not parse)."""
    try:
        doc = json.loads(line)
    except json.JSONDecodeError:
        return 0
    longest, stack = 0, [doc]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            longest = max(longest, len(item))
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return longest


class FtmReader:
    """Reads FtM JSON-lines files (entities or delta operations); see the module docstring."""

    def __init__(self, paths: list[Path], *, source: str = SOURCE) -> None:
        self.paths = [Path(p) for p in paths]
        self.source = source
        self.stats = ReadStats()
        self.model = load_model()
        self._t = {n: get_type(n) for n in (
            "date", "country", "gender", "phone", "iban", "datetime", "float", "integer")}

    def _entities(self, path: Path) -> Iterator[tuple[int, Any, str]]:
        """(line, parsed JSON or the raw text on error, op) per non-blank line."""
        # surrogateescape: a byte that is not UTF-8 rejects its line, not the file
        with path.open(encoding="utf-8", errors="surrogateescape") as fh:
            for line_no, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                problem = unsafe_text([line]) or ("NUL character in a value" if "\\u0000" in line else None)
                if problem:  # a NUL (raw or JSON-escaped), or bytes that are not UTF-8
                    yield line_no, line.rstrip("\n"), problem
                    continue
                if len(line) > MAX_FIELD_CHARS and _longest_value(line) > MAX_FIELD_CHARS:
                    yield line_no, line[:1000], f"a value over {MAX_FIELD_CHARS:,} characters"
                    continue
                try:
                    doc = json.loads(line)
                except json.JSONDecodeError:
                    yield line_no, line.rstrip("\n"), "error"
                    continue
                if isinstance(doc, dict) and "op" in doc and "entity" in doc:
                    yield line_no, doc["entity"], _OPS.get(str(doc["op"]).upper(), "error")
                else:
                    yield line_no, doc, "merge"

    def records(self) -> Iterator[Item]:
        """Yield records and rejections for every file, in order."""
        known: set[str] = set()
        for path in self.paths:
            for _, doc, op in self._entities(path):
                if isinstance(doc, dict) and doc.get("id") and op != "delete":
                    known.add(str(doc["id"]))
        placeholders: set[str] = set()
        for path in self.paths:
            for line, doc, op in self._entities(path):
                self.stats.rows += 1
                origin = Origin(self.source, path.name, line)
                if op not in ("merge", "replace", "delete", "error"):  # a row problem: the reason
                    yield self._reject(path, line, op, doc)
                    continue
                if op == "error" or not isinstance(doc, dict):
                    yield self._reject(path, line, "not a JSON FtM entity or delta operation", doc)
                    continue
                try:
                    proxy = ftm_model.get_proxy(doc, cleaned=False)
                except Exception as exc:  # unknown schema, bad property: a row problem
                    yield self._reject(path, line, f"invalid FtM entity: {exc}", doc)
                    continue
                items = list(self._entity(proxy, doc, op, origin, known, placeholders))
                if items and isinstance(items[0], Rejection):
                    self.stats.rejected += 1
                yield from items

    def _reject(self, path: Path, line: int, reason: str, raw: Any) -> Rejection:
        self.stats.rejected += 1
        return Rejection(path.name, line, reason, raw)

    # -- one entity ----------------------------------------------------------------------------
    def _base(self, doc: dict[str, Any]) -> dict[str, Any]:
        props: dict[str, Any] = {}
        datasets = doc.get("datasets") or []
        if datasets:
            props["sources"] = [self.source, *[f"{self.source}:{d}" for d in datasets]]
        for key, prop in (("first_seen", "firstSeen"), ("last_seen", "lastSeen")):
            if doc.get(key):
                props[prop] = self._t["datetime"].clean(doc[key])
        if doc.get("referents"):
            props["referents"] = list(doc["referents"])
        return props

    def _ref(self, ref: str, schema: Schema | None, origin: Origin, known: set[str],
             placeholders: set[str]) -> Iterator[NodeRecord]:
        if ref in known or ref in placeholders:
            return
        placeholders.add(ref)
        self.stats.unresolved.append(ref)
        label = (node_label(schema) if schema else None) or "Organization"
        if label not in _PLACEHOLDER_CAPTION:  # labels whose Lintas id is the FtM id
            label = "Organization"
        yield NodeRecord(label, ref, {_PLACEHOLDER_CAPTION[label]: ref}, origin, unresolved=True)

    def _entity(self, proxy: Any, doc: dict[str, Any], op: str, o: Origin, known: set[str],
                placeholders: set[str]) -> Iterator[Item]:
        schema: Schema = proxy.schema
        base = self._base(doc)
        label = node_label(schema)
        if label is not None:
            caption = doc.get("caption")
            caption = caption.strip() if isinstance(caption, str) else None
            yield from self._node(proxy, label, base, op, o, known, placeholders, caption or None)
            return
        rel = next((r for s, r in _EDGE_SCHEMATA.items() if schema.is_a(s)), None)
        if rel is not None:
            yield from self._interval(proxy, rel, base, op, o, known, placeholders)
            return
        if schema.is_a("Sanction"):
            yield from self._sanction(proxy, base, op, o, known, placeholders)
            return
        if schema.is_a("Identification"):
            yield from self._identification(proxy, base, o, known, placeholders)
            return
        if schema.is_a("Call"):
            yield from self._call(proxy, base, op, o, known, placeholders)
            return
        yield Rejection(o.file, o.line, f"FtM schema {schema.name} has no ontology counterpart", doc)

    def _node(self, proxy: Any, label: str, base: dict[str, Any], op: str, o: Origin,
              known: set[str], placeholders: set[str], caption: str | None = None) -> Iterator[Item]:
        """``caption``: the entity's own ``caption`` field (OpenSanctions and yente write the name
        they display there), which becomes ``name`` (and so the node's caption, see
        ``graphapi.ingest.derive.caption_for``); the other names become aliases."""
        g = _getter(proxy)
        props = dict(base)
        names = g("name")
        countries = [c for c in map(self._t["country"].clean, g("country") + g("jurisdiction")) if c]
        notes = g("notes") + g("summary") + g("description")
        if label in ("Person", "Company", "Organization"):
            name = caption or (names[0] if names else proxy.caption)
            props["name"] = name
            props["alias"] = [n for n in names if n != name] + g("alias") + g("weakAlias") + g("previousName")
            props["taxNumber"] = g("taxNumber") + g("innCode") + g("vatCode")
        if label == "Person":
            props["birthDate"] = [d for d in map(self._t["date"].clean, g("birthDate")) if d]
            props["birthPlace"] = g("birthPlace")
            nat = g("nationality") + g("citizenship")
            props["nationality"] = list(dict.fromkeys(c for c in map(self._t["country"].clean, nat) if c))
            props["gender"] = next((x for x in map(self._t["gender"].clean, g("gender")) if x), None)
            props["passportNumber"] = g("passportNumber")
            props["idNumber"] = g("idNumber")
        elif label in ("Company", "Organization"):
            props["country"] = list(dict.fromkeys(countries))
            props["registrationNumber"] = g("registrationNumber") + g("ogrnCode") + g("leiCode")
            dates = [d for d in map(self._t["date"].clean, g("incorporationDate")) if d]
            props["incorporationDate"] = dates[0] if dates else None
        elif label == "Address":
            full = (g("full") or [caption or proxy.caption])[0]
            cc = countries[0] if countries else None
            key = normalize(full, lowercase=True, latinize=True) or full
            props.update(full=full, addressKey=f"{key}|{cc or ''}", city=(g("city") or [None])[0], country=cc)
        elif label == "BankAccount":
            iban = next((x for x in map(self._t["iban"].clean, g("iban")) if x), None)
            number = (g("accountNumber") or [None])[0]
            cc = countries[0] if countries else None
            props.update(iban=iban, accountNumber=number, bankName=(g("bankName") or [None])[0], country=cc,
                         accountKey=iban or f"{cc or ''}:{(g('bic') or [''])[0]}:{number or proxy.id}")
        elif label == "CryptoWallet":
            props.update(chain=(g("currency") or ["UNKNOWN"])[0].upper(),
                         address=(g("publicKey") or [proxy.id])[0])
        elif label == "UserAccount":
            props.update(service=(g("service") or ["unknown"])[0].lower(),
                         handle=(g("username") or g("email") or [proxy.id])[0])
        if notes:
            props["notes"] = "; ".join(notes)
        node_op = "replace" if op == "replace" else op
        yield NodeRecord(label, proxy.id, {k: v for k, v in props.items() if v not in (None, [], "")},
                         o, op=node_op)
        if op == "delete":
            return
        yield from self._identifiers(proxy, label, countries, o)
        for ref in g("addressEntity"):
            yield from self._ref(ref, ftm_model.get("Address"), o, known, placeholders)
            if self.model.allows("LOCATED_AT", label, "Address"):
                yield self._edge("LOCATED_AT", proxy.id, ref, o)  # to the Address or its placeholder
        for prop_name, rel in (("holder", "CONTROLS_WALLET"), ("owner", "HAS_ACCOUNT")):
            if label in ("CryptoWallet", "UserAccount") and proxy.schema.get(prop_name):
                for ref in g(prop_name):
                    yield from self._ref(ref, proxy.schema.get(prop_name).range, o, known, placeholders)
                    yield self._edge(rel, ref, proxy.id, o)

    def _identifiers(self, proxy: Any, label: str, countries: list[str], o: Origin) -> Iterator[Item]:
        if label not in ("Person", "Company", "Organization"):
            return
        hint = countries[0] if countries else None
        for raw in proxy.get("phone", quiet=True):
            number = self._t["phone"].clean(raw, country=hint)
            if number:
                pid = self.model.node_id("Phone", {"number": number})
                yield NodeRecord("Phone", pid, {"number": number}, o)
                yield self._edge("USES_PHONE", proxy.id, pid, o)
            else:
                yield NodeRecord(label, proxy.id, {"identifiers": [f"Phone:{raw}"]}, o)
        for raw in proxy.get("email", quiet=True):
            handle = raw.strip().lower()
            uid = self.model.node_id("UserAccount", {"service": "email", "handle": handle})
            yield NodeRecord("UserAccount", uid, {"service": "email", "handle": handle}, o)
            yield self._edge("HAS_ACCOUNT", proxy.id, uid, o)

    def _edge(self, rel: str, start: str, end: str, o: Origin, disc: str = "", op: str = "merge",
              **props: Any) -> EdgeRecord:
        rid = self.model.relationship_id(rel, start, end, disc)
        return EdgeRecord(rel, rid, start, end, {k: v for k, v in props.items() if v not in (None, "")}, o, op=op)

    def _interval(self, proxy: Any, rel: str, base: dict[str, Any], op: str, o: Origin,
                  known: set[str], placeholders: set[str]) -> Iterator[Item]:
        schema: Schema = proxy.schema
        sources, targets = proxy.get(schema.edge_source), proxy.get(schema.edge_target)
        if not sources or not targets:
            yield Rejection(o.file, o.line, f"{schema.name} without {schema.edge_source}/{schema.edge_target}",
                            proxy.to_dict())
            return
        g = _getter(proxy)
        props: dict[str, Any] = dict(base)
        props.pop("referents", None)
        starts = [d for d in map(self._t["date"].clean, g("startDate") + g("date")) if d]
        ends = [d for d in map(self._t["date"].clean, g("endDate")) if d]
        props["from"], props["to"] = (starts[0] if starts else None), (ends[0] if ends else None)
        if rel == "OWNS":
            shares = [self._t["float"].clean(x.rstrip("%")) for x in g("percentage")]
            props["share"] = next((x for x in shares if x is not None), None)
        elif rel in ("DIRECTOR_OF", "MEMBER_OF"):
            props["role"] = "; ".join(g("role")) or None
        elif rel in ("FAMILY_OF", "ASSOCIATE_OF"):
            props["relationship"] = "; ".join(g("relationship")) or None
        elif rel == "TRANSFERRED_TO":
            amounts = [self._t["float"].clean(x) for x in g("amount")]
            amount = next((x for x in amounts if x is not None), None)
            currency = (g("currency") or [None])[0]
            if amount is None:
                amount = next((x for x in map(self._t["float"].clean, g("amountEur")) if x is not None), None)
                currency = "EUR" if amount is not None else currency
            props.update(amount=amount, currency=currency,
                         at=(starts[0] if starts else None), txId=proxy.id)
        src_range = schema.get(schema.edge_source).range
        dst_range = schema.get(schema.edge_target).range
        edge_op = op
        for s in sources:
            for t in targets:
                if edge_op != "delete":
                    yield from self._ref(s, src_range, o, known, placeholders)
                    yield from self._ref(t, dst_range, o, known, placeholders)
                yield self._edge(rel, s, t, o, proxy.id, op=edge_op, **props)

    def _sanction(self, proxy: Any, base: dict[str, Any], op: str, o: Origin, known: set[str],
                  placeholders: set[str]) -> Iterator[Item]:
        g = _getter(proxy)
        entities = g("entity")
        if not entities:
            yield Rejection(o.file, o.line, "Sanction without entity", proxy.to_dict())
            return
        authority = (g("authority") or g("publisher") or ["unknown"])[0]
        program = (g("program") or g("programId") or g("reason") or [authority])[0]
        sid = self.model.node_id("Sanction", {"authority": authority, "program": program})
        if op != "delete":
            yield NodeRecord("Sanction", sid, {"authority": authority, "program": program, **{
                k: v for k, v in base.items() if k in ("sources",)}}, o)
        listed = [d for d in map(self._t["date"].clean, g("listingDate") + g("startDate")) if d]
        for ent in entities:
            if op != "delete":
                yield from self._ref(ent, ftm_model.get("LegalEntity"), o, known, placeholders)
            yield self._edge("SANCTIONED", ent, sid, o, proxy.id, op=op,
                             listingId=(g("authorityId") or g("unscId") or [proxy.id])[0],
                             listed=listed[0] if listed else None,
                             **{k: v for k, v in base.items() if k in ("sources", "firstSeen", "lastSeen")})

    def _identification(self, proxy: Any, base: dict[str, Any], o: Origin, known: set[str],
                        placeholders: set[str]) -> Iterator[Item]:
        g = _getter(proxy)
        number = (g("number") or g("passportNumber") or [None])[0]
        holders = g("holder")
        if not number or not holders:
            yield Rejection(o.file, o.line, f"{proxy.schema.name} without number or holder", proxy.to_dict())
            return
        cc = next((c for c in map(self._t["country"].clean, g("country")) if c), "")
        prop = "passportNumber" if proxy.schema.is_a("Passport") else "idNumber"
        kind = "passport" if prop == "passportNumber" else "nationalId"
        for holder in holders:
            yield from self._ref(holder, ftm_model.get("Person"), o, known, placeholders)
            yield NodeRecord("Person", holder, {prop: [number], "identifiers": [f"{kind}:{cc}:{number}"]}, o)

    def _call(self, proxy: Any, base: dict[str, Any], op: str, o: Origin, known: set[str],
              placeholders: set[str]) -> Iterator[Item]:
        g = _getter(proxy)
        numbers = []
        for prop in ("callerNumber", "receiverNumber"):
            number = next((n for n in map(self._t["phone"].clean, g(prop)) if n), None)
            numbers.append(number)
        if not all(numbers):
            yield Rejection(o.file, o.line, "Call without two valid callerNumber/receiverNumber", proxy.to_dict())
            return
        ids = [self.model.node_id("Phone", {"number": n}) for n in numbers]
        for pid, number in zip(ids, numbers, strict=True):
            yield NodeRecord("Phone", pid, {"number": number}, o)
        starts = [d for d in map(self._t["datetime"].clean, g("startDate") + g("date")) if d]
        durations = [self._t["integer"].clean(x) for x in g("duration")]
        props = {k: v for k, v in base.items() if k in ("sources", "firstSeen", "lastSeen")}
        props.update(at=starts[0] if starts else None, durationS=next((d for d in durations if d is not None), None))
        yield self._edge("CALLED", ids[0], ids[1], o, proxy.id, op=op, **props)
        for prop, pid in (("caller", ids[0]), ("receiver", ids[1])):
            for ref in g(prop):
                yield from self._ref(ref, ftm_model.get("LegalEntity"), o, known, placeholders)
                yield self._edge("USES_PHONE", ref, pid, o)
