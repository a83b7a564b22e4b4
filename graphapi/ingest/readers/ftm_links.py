"""FtM link entities -> relationship records: interval schemata (Ownership, Directorship, ...),
Sanction, Passport / Identification, Call and Trip. Part of
:class:`graphapi.ingest.readers.ftm.FtmReader`. Each is checked against the reader's per-entity
and per-byte limits before it draws a pair (:meth:`LinkMapping._too_wide`).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator
from itertools import islice
from typing import Any

from followthemoney import model as ftm_model
from followthemoney.schema import Schema

from graphapi.ingest.identity.documents import document_records, placeholder_number
from graphapi.ingest.readers.base import Item
from graphapi.ingest.readers.ftm_entity import (
    MAX_DATASETS_PER_ENTITY,
    MAX_VALUES_PER_PROPERTY,
    EntityValues,
    entity_proxy,
)
from graphapi.ingest.readers.ftm_link_budget import links_allowed, said_note, too_wide
from graphapi.ingest.readers.nulls import no_value
from graphapi.ingest.records import DrawnLinksDeletion, EdgeRecord, LineRenewal, NodeRecord, Origin, Rejection
from graphapi.ontology.ids import id_problem
from graphapi.ontology.types.datetime import zone_given

#: Links one rejected line may still name (:meth:`LinkMapping._said_links`): the first of its pairs,
#: no more than its bytes allow it to draw (:func:`~graphapi.ingest.readers.ftm_link_budget.links_allowed`).
MAX_SAID_LINKS = 1_000
#: Provenance an entity's line gives the relationships it makes.
_EDGE_BASE = ("sources", "firstSeen", "lastSeen")
#: Relationship types whose value (an amount, a share) is the whole link entity's, not one pair's.
_SHARED = frozenset({"TRANSFERRED_TO", "OWNS"})


class LinkMapping:
    """:class:`~graphapi.ingest.readers.ftm.FtmReader`'s link entities (runs on its state). A DEL
    that names too few of its entity's parties to draw a pair (a delta feed's ``{"id", "schema"}``
    alone) is a :class:`DrawnLinksDeletion` of what the entity drew, never a rejection."""

    def _too_wide(self, v: EntityValues, rel: str, drawn: int, op: str, o: Origin) -> Item | None:
        """What a link entity drawing ``drawn`` relationships is instead, past the reader's
        ``max_links`` (a 1 MB file of 2,000 Memberships of 32 members x 32 organizations drew two
        million relationships, past 300 s and 837 MB: attack round 54) or past what its line's
        bytes allow (:mod:`~graphapi.ingest.readers.ftm_link_budget`: attack round a-57, 8): a
        rejection of its line (with what else it draws: none), or for a DEL the deletion of every
        pair its id drew, which is what the DEL takes anyway; None within the limits. Checked
        before any pair is drawn."""
        why = too_wide(v.proxy.schema.name, v.proxy.id, drawn, self._line_bytes, self.max_links)
        if why is None:
            return None
        if op == "delete":
            return DrawnLinksDeletion(rel, v.proxy.id, o)
        return Rejection(o.file, o.line, why)

    def _edge(self, rel: str, start: str, end: str, o: Origin, disc: str = "", op: str = "merge",
              record: str = "", line: str = "", renews: str = "", **props: Any) -> EdgeRecord:
        """One relationship; ``record``: the id of the link entity that draws it (its ``recordId``,
        shared by every pair the entity draws, so a MOD finds the pairs its old version drew:
        :mod:`graphapi.ingest.replaced_links`); none for a link an entity's value makes.
        ``line``: the FtM id of the line drawing a link another line may draw too (a USES_PHONE,
        a HOLDS_DOCUMENT): its line statement (``EdgeRecord.line``); ``renews``: the line whose
        new version it is (``EdgeRecord.renews``)."""
        rid = self.model.relationship_id(rel, start, end, disc)
        if record:
            props["recordId"] = record
        return EdgeRecord(rel, rid, start, end, {k: v for k, v in props.items() if v not in (None, "")}, o, op=op,
                          line=line, renews=renews)

    def _when(self, v: EntityValues, names: tuple[str, ...], *, checked: bool) -> tuple[str | None, str | None]:
        """When an event happened: the first value of ``names`` with a time of day, in UTC, else
        the first date (FtM's ``date`` type takes both), and the zone a time without an offset
        was read in (``assumedTimeZone``: the load's ``tz``, else UTC; None for a time that says
        its zone, or a date), as a mapped feed's ``tz`` hint does. ``checked``: a value that is
        neither is noted in ``v.invalid`` (it rejects the line)."""
        instant, day = self._t["datetime"], self._t["date"]
        dates: list[str] = []
        for name in names:
            for raw in v.raw_values(name, instant):
                at = instant.clean(raw, tz=self.tz)
                if at is not None:
                    return at, None if zone_given(raw) else (self.tz or "UTC")
                if (date := day.clean(raw)) is not None:
                    dates.append(date)
                elif checked:
                    v.invalid.append(f"{instant.refusal(raw)} in property {name}")
        return (dates[0] if dates else None), None

    @staticmethod
    def _sides(v: EntityValues, rel: str) -> tuple[list[str], list[str], Schema, Schema]:
        """A link entity's references at each end, and the schema each end's placeholder takes."""
        schema: Schema = v.proxy.schema
        sources, targets = v(schema.edge_source), v(schema.edge_target)
        src_range = schema.get(schema.edge_source).range
        dst_range = schema.get(schema.edge_target).range
        if rel == "TRANSFERRED_TO":  # a side without a party is its account: account to account
            account = ftm_model.get("BankAccount")
            if not sources and v("payerAccount"):
                sources, src_range = v("payerAccount"), account
            if not targets and v("beneficiaryAccount"):
                targets, dst_range = v("beneficiaryAccount"), account
        return sources, targets, src_range, dst_range

    def _said_links(self, doc: dict[str, Any], rel: str, op: str, o: Origin) -> tuple[tuple[EdgeRecord, ...], str]:
        """The relationships of ``rel`` a rejected line's link entity ``doc`` (an interval schema:
        Membership, Ownership, ...) draws, as :meth:`_interval` draws them (same ids and ends),
        with none of its values but its sources: nothing of them is loaded, but its agency's echo
        of each is no wider (``Rejection.links``; attack round 51, 1). Only its references are
        read (at most ``MAX_VALUES_PER_PROPERTY`` a side), and of its pairs only the first it could
        draw loaded: as many as its bytes allow (:func:`links_allowed`, one per 16 bytes), no more
        than the per-entity limit (``max_links``: a loaded line's are held to it too) and at most
        :data:`MAX_SAID_LINKS`; with them, what its reject line adds when they are fewer than it
        draws (:func:`said_note`). Each is read back from the store by its id, so a file of
        rejected lines costs what a file of loaded ones does: 102 KB of rejected 32 x 32
        Memberships named 230,000 (attack round a-59, 4). A line too wide to load never drew more
        than that many of its pairs either, but an earlier, narrower version of it may have drawn a
        pair past them, whose echo it leaves as it was. None for a DEL (it says no level: attack
        round 50), nor when its id is not valid."""
        none: tuple[tuple[EdgeRecord, ...], str] = ((), "")
        eid, props = doc.get("id"), doc.get("properties")
        if op == "delete" or not isinstance(eid, str) or id_problem(eid) is not None or no_value(eid):
            return none
        schema: Schema = ftm_model.get(doc["schema"])
        names = (schema.edge_source, schema.edge_target, "payerAccount", "beneficiaryAccount")
        refs = {name: [x for x in props[name][:MAX_VALUES_PER_PROPERTY] if isinstance(x, str)]
                for name in names if isinstance(props, dict) and isinstance(props.get(name), list)}
        try:
            v = EntityValues(entity_proxy({"id": eid, "schema": schema.name, "properties": refs}), refs)
        except Exception:  # what followthemoney refuses names no link
            return none
        sources, targets, src_range, dst_range = self._sides(v, rel)
        datasets = doc.get("datasets")
        said = {}
        if isinstance(datasets, list) and all(isinstance(d, str) and "@" not in d and ":" not in d for d in datasets):
            said["sources"] = [self.source, *[f"{self.source}:{d}" for d in datasets[:MAX_DATASETS_PER_ENTITY]]]
        cap = min(MAX_SAID_LINKS, links_allowed(self._line_bytes), self.max_links or MAX_SAID_LINKS)
        pairs = islice(((s, d) for s in sources for d in targets), cap)
        links = tuple(self._edge(rel, self._ref(s, src_range, o, op)[0], self._ref(d, dst_range, o, op)[0], o,
                                 v.proxy.id, op=op, **said) for s, d in pairs)
        return links, said_note(len(sources) * len(targets), len(links))

    def _interval(self, v: EntityValues, rel: str, base: dict[str, Any], op: str, o: Origin) -> Iterator[Item]:
        proxy, t = v.proxy, self._t
        schema: Schema = proxy.schema
        sources, targets, src_range, dst_range = self._sides(v, rel)
        if not sources or not targets:
            if op == "delete":  # named by its id alone: every pair it drew goes
                yield DrawnLinksDeletion(rel, proxy.id, o)
                return
            yield Rejection(o.file, o.line, f"{schema.name} without {schema.edge_source}/{schema.edge_target}")
            return
        if (wide := self._too_wide(v, rel, len(sources) * len(targets), op, o)) is not None:
            yield wide
            return
        props: dict[str, Any] = dict(base)
        props.pop("referents", None)
        starts = v.clean("startDate", t["date"]) + v.clean("date", t["date"])
        ends = v.clean("endDate", t["date"])
        props["from"], props["to"] = (starts[0] if starts else None), (ends[0] if ends else None)
        if rel == "OWNS":
            props["share"] = next(iter(v.clean("percentage", t["float"], strip="% ")), None)
        elif rel in ("DIRECTOR_OF", "MEMBER_OF"):
            props["role"] = "; ".join(v("role")) or None
        elif rel in ("FAMILY_OF", "ASSOCIATE_OF"):
            props["relationship"] = "; ".join(v("relationship")) or None
        elif rel == "TRANSFERRED_TO":  # never negative (a refusal in v.invalid), never missing
            amounts = v.clean("amount", t["amount"])
            amount = amounts[0] if amounts else None
            currency = next(iter(v.clean("currency", t["currency"])), None)
            euros = v.clean("amountEur", t["amount"])
            if amount is None and euros:
                amount, currency = euros[0], "EUR"
            if amount is None and not v.invalid and op != "delete":  # a DEL is applied whatever its values
                yield Rejection(o.file, o.line, f"{schema.name} without amount")
                return
            at, zone = self._when(v, ("startDate", "date"), checked=False)  # checked as dates above
            props.update(amount=amount, currency=currency, at=at, assumedTimeZone=zone, txId=proxy.id)
        if rel in _SHARED and len(sources) * len(targets) > 1:
            # one relationship per (source, target) pair, as FtM's own graph export draws it
            # (EntityProxy.edgepairs); each keeps the whole amount or share, which the entity does
            # not divide, and says how many carry it, so a sum counts the entity once
            props["sharedBy"] = len(sources) * len(targets)
        for s in sources:
            for d in targets:
                sid, sp = self._ref(s, src_range, o, op)
                did, dp = self._ref(d, dst_range, o, op)
                yield from (p for p in (sp, dp) if p is not None)
                yield self._edge(rel, sid, did, o, proxy.id, op=op, record=proxy.id, **props)

    def _sanction(self, v: EntityValues, base: dict[str, Any], op: str, o: Origin) -> Iterator[Item]:
        entities = v("entity")
        if not entities:
            if op == "delete":
                yield DrawnLinksDeletion("SANCTIONED", v.proxy.id, o)
                return
            yield Rejection(o.file, o.line, "Sanction without entity")
            return
        if (wide := self._too_wide(v, "SANCTIONED", len(entities), op, o)) is not None:
            yield wide
            return
        authority = (v("authority") or v("publisher") or ["unknown"])[0]
        program = sanction_program(v("program") + v("programId"), v("provisions"), v("reason")) or authority
        sid = self.model.node_id("Sanction", {"authority": authority, "program": program})
        reason = "\n".join(dict.fromkeys(v("reason"))) or None
        listed = v.clean("listingDate", self._t["date"]) + v.clean("startDate", self._t["date"])
        if op != "delete":
            yield NodeRecord("Sanction", sid, {"authority": authority, "program": program, **{
                k: val for k, val in base.items() if k in ("sources",)}}, o)
        for ent in entities:
            eid, placeholder = self._ref(ent, ftm_model.get("LegalEntity"), o, op)
            if placeholder is not None:
                yield placeholder
            yield self._edge("SANCTIONED", eid, sid, o, v.proxy.id, op=op, record=v.proxy.id,
                             listingId=(v("authorityId") or v("unscId") or [v.proxy.id])[0],
                             listed=listed[0] if listed else None,
                             reason=reason,
                             **{k: val for k, val in base.items() if k in _EDGE_BASE})

    def _identification(self, v: EntityValues, op: str, o: Origin) -> Iterator[Item]:
        """FtM Passport / Identification -> each holder's number (``passportNumber`` or
        ``idNumber``, and ``identifiers``), the document node and a ``HOLDS_DOCUMENT`` from each
        holder, each the line's own statement (``line``: the entity's id; the holder's line, or a
        second Passport of the number, may say the same), and the document too. A DEL takes what the
        line said, found by the line whatever holder or number it names: her number, the
        ``HOLDS_DOCUMENT`` and the document, unless another line of the source still states them
        (:mod:`graphapi.ingest.line_deletes`); it makes nothing: no holder, no document, no
        placeholder (it merged them all: attack round a-59, 3). A MOD's records renew the line
        (``renews``): what its old version said and the new one does not goes the same way
        (:mod:`graphapi.ingest.replaced_lines`)."""
        number = (v("number") or v("passportNumber") or [None])[0]
        holders = v("holder")
        if not holders:
            if op == "delete":  # by its id alone: what its line said goes, found by the line (a-73, 1)
                yield LineRenewal(v.proxy.id, o)
                return
            yield Rejection(o.file, o.line, f"{v.proxy.schema.name} without a holder")
            return
        if not number:  # a known holder's document without its number: nothing to keep, as for
            # "N/A" (a reject would stop every replace of a published file that has one); a DEL or
            # MOD of the line so leaves it nothing: what it said goes (a-73, 1 and 2)
            if op != "merge":
                yield LineRenewal(v.proxy.id, o, op)
            return
        # one HOLDS_DOCUMENT a holder (a DEL of it is refused too: its links carry no recordId)
        if (wide := self._too_wide(v, "HOLDS_DOCUMENT", len(holders), "merge", o)) is not None:
            yield wide
            return
        cc = next(iter(v.clean("country", self._t["country"])), "")
        prop = "passportNumber" if v.proxy.schema.is_a("Passport") else "idNumber"
        kind = "passport" if prop == "passportNumber" else "nationalId"
        line = v.proxy.id
        renews = line if op == "replace" else ""  # a MOD: the line's new version (graphapi.ingest.replaced_lines)
        for holder in holders:
            hid, placeholder = self._ref(holder, ftm_model.get("Person"), o, op)
            if op == "delete":
                yield NodeRecord("Person", hid, {}, o, op="delete", line=line)
                yield from (dataclasses.replace(r, op="delete", line=line) for r in document_records(
                    self.model, hid, number, cc, kind, o) if isinstance(r, EdgeRecord))
                continue
            if placeholder is not None:
                yield placeholder
            # a placeholder number ("0", "N/A") is kept as text only: no number, no document node
            numbers = {} if placeholder_number(number) else {prop: [number]}
            yield NodeRecord("Person", hid, {**numbers, "identifiers": [f"{kind}:{cc}:{number}"]}, o, line=line,
                             renews=renews)
            yield from _drawn_by(document_records(self.model, hid, number, cc, kind, o), line, renews)

    def _call(self, v: EntityValues, base: dict[str, Any], op: str, o: Origin) -> Iterator[Item]:
        t = self._t
        numbers = [next((n for n in map(t["phone"].clean, v.raw_values(prop)) if n), None)
                   for prop in ("callerNumber", "receiverNumber")]
        if not all(numbers):
            if op == "delete":
                yield DrawnLinksDeletion("CALLED", v.proxy.id, o)
                return
            yield Rejection(o.file, o.line, "Call without two valid callerNumber/receiverNumber")
            return
        # the CALLED and a USES_PHONE for each caller and receiver (a DEL takes the CALLED its id drew)
        if (wide := self._too_wide(v, "CALLED", 1 + len(v("caller")) + len(v("receiver")), op, o)) is not None:
            yield wide
            return
        ids = [self.model.node_id("Phone", {"number": n}) for n in numbers]
        at, zone = self._when(v, ("startDate", "date"), checked=True)
        durations = v.clean("duration", t["duration"])  # "61.5" -> 62; a negative one is refused
        if op != "delete":  # a DEL makes nothing: it takes the links its values draw, by their ids
            for pid, number in zip(ids, numbers, strict=True):
                yield NodeRecord("Phone", pid, {"number": number}, o)
        props = {k: val for k, val in base.items() if k in _EDGE_BASE}
        props.update(at=at, assumedTimeZone=zone, durationS=durations[0] if durations else None)
        # a MOD or DEL of the Call is a new version of its line, which its USES_PHONEs are (replaced_lines)
        renews = v.proxy.id if op != "merge" else ""
        yield self._edge("CALLED", ids[0], ids[1], o, v.proxy.id, op=op, record=v.proxy.id, renews=renews, **props)
        for prop, pid in (("caller", ids[0]), ("receiver", ids[1])):
            for ref in v(prop):
                rid, placeholder = self._ref(ref, ftm_model.get("LegalEntity"), o, op)
                if placeholder is not None:
                    yield placeholder
                yield self._edge("USES_PHONE", rid, pid, o, op=op, line=v.proxy.id,  # a Person line may draw it too
                                 renews=renews if op == "replace" else "")

    def _trip(self, v: EntityValues, base: dict[str, Any], op: str, o: Origin) -> Iterator[Item]:
        """FtM Trip -> TRAVELLED from each ``involved`` traveller to the start (departure) and
        end (arrival) Address; one relationship per traveller and leg, keyed by the trip's id."""
        proxy, t = v.proxy, self._t
        travellers = v("involved")
        legs = [(ref, "departure") for ref in v("startLocation")] + [(ref, "arrival") for ref in v("endLocation")]
        if not travellers or not legs:
            if op == "delete":
                yield DrawnLinksDeletion("TRAVELLED", proxy.id, o)
                return
            yield Rejection(o.file, o.line, "Trip without involved or without startLocation/endLocation")
            return
        if (wide := self._too_wide(v, "TRAVELLED", len(travellers) * len(legs), op, o)) is not None:
            yield wide
            return
        starts = v.clean("startDate", t["date"]) + v.clean("date", t["date"])
        ends = v.clean("endDate", t["date"])
        props = {k: val for k, val in base.items() if k in _EDGE_BASE}
        props.update({"from": starts[0] if starts else None, "to": ends[0] if ends else None,
                      "tripId": proxy.id})
        schema: Schema = proxy.schema
        for traveller in travellers:
            tid, tp = self._ref(traveller, schema.get("involved").range, o, op)
            for ref, direction in legs:
                aid, ap = self._ref(ref, ftm_model.get("Address"), o, op)
                yield from (p for p in (tp, ap) if p is not None)
                yield self._edge("TRAVELLED", tid, aid, o, f"{proxy.id}:{direction}", op=op,
                                 record=proxy.id, direction=direction, **props)


def _drawn_by(records: list[NodeRecord | EdgeRecord], line: str, renews: str) -> Iterator[NodeRecord | EdgeRecord]:
    """``records`` (a document and its ``HOLDS_DOCUMENT``) said and drawn by ``line`` (its new
    version when it ``renews``: a MOD of the line): the document is the line's statement too, so
    it goes with the line's DEL when nothing else states or links it (attack round a-69, F4)."""
    for r in records:
        yield dataclasses.replace(r, line=line, renews=renews)


#: characters of a provision or reason a Sanction's program keeps (with a digest of the whole)
PROGRAM_CHARS = 60


def sanction_program(programs: list[str], provisions: list[str], reasons: list[str]) -> str | None:
    """The ``program`` of an FtM Sanction (with its authority, the node's key and caption): its
    program (or programId) as written; else its provision (``(UE) 2025/389 du 24/02/2025``; of
    several the lowest, so the order a file lists them in makes no other node); else a digest of
    its reason: its first words and 8 hex digits of its SHA-256 (``Council Decision concerning
    restrictive measures in respect of… #5d0e4c1a``), never the reason's paragraph, which made an
    id and a chart caption of 1,800 characters (new-user report 51; the reason itself is the
    SANCTIONED's ``reason``). A provision longer than :data:`PROGRAM_CHARS` is cut the same way.
    None if the Sanction says none of them."""
    if programs:
        return programs[0]
    if provisions and len(text := " ".join(min(provisions).split())) <= PROGRAM_CHARS:
        return text  # whitespace folded: a provision's line break made an id of two lines (attack round 52, 3)
    if not provisions and not reasons:
        return None
    text = min(provisions) if provisions else "\n".join(sorted(set(reasons)))
    flat = " ".join(text.split())
    words = flat if len(flat) <= PROGRAM_CHARS else flat[:PROGRAM_CHARS].rsplit(" ", 1)[0] + "…"
    return f"{words} #{hashlib.sha256(text.encode('utf-8')).hexdigest()[:8]}"
