"""What a load is told of values it may not read (attack round 54, 2).

A loader without ``victim-data`` may load records about its own agency's victims (and their
phones, accounts...), whose identifying fields GraphQL blanks for it
(:data:`graphapi.security.redaction.NODE_FIELDS`). Another agency's such items are refused
as hidden ones are (``Writer.protected``); its own are merged as any other, the stored value and
its provenance kept as always, but what the load is told must not depend on a value it may not
read: a guessed victim's name made no conflict when right and one when wrong, so the summary's
``conflicts`` confirmed the hidden name. So on such an item, a hidden field

- neither makes nor suppresses a conflict the load is told of (count, reject report): none on a
  hidden field is told, whatever the stored value;
- nor makes the item ``updated``: a change to hidden fields alone is told as unchanged (``seen`` if
  its ``lastSeen`` moved, as a value said again is).

Nor may the item's existence be told: its id spells a hidden value (``identity:TH|AA1234567``, a
victim's ``per-nguyen-van-an``; GraphQL shows it as a ``vid:`` token), so a guessed passport
number merged into the victim's stored document (created 0) and a wrong one made a new one
(created 1: attack round a-57, 6). So such an item that no victim-blind load of the record's
source was told before (:func:`said_blind`: the item's internal ``blindSaid``, not its
``sources``, which a colleague's load with victim-data under the same source fills, and every
loader of an agency's ``ingest`` mutation shares ``graphql:<agency>``: attack round a-60, 1) is
told as it would be were it absent: created, with no conflict, whatever it holds, whichever way
the record goes: merged, kept apart at a stricter level, only referred to, or (another label, a
level it may not take) not written at all; and it is marked ``blindSaid`` by the agency the
record's sources speak for (:func:`source_agency`: every source of an agency is one, attack round
a-67, 3). A reload is then told as the wrong guess's item would tell it, by what the agency's
blind records said (:mod:`graphapi.ingest.blind_shadow`: a-67, 1 and 2). An item of a label that
can become a victim's (a passport, a phone) that such a load is told of as what it is, before it is
a victim's, is marked as well (:func:`told_of`): linked to a victim later, it is told to the next
load as what it is, not created again, which would tell the load that it became a victim's. A link
naming such an item, with no record of it, is told dangling and not written (:func:`unsaid_links`),
nor diverted as
quarantined; a relationship with such an end that its agency's blind loads never said (it holds
no shadow: :func:`graphapi.ingest.blind_shadow.tell_link_by_shadow`) is told created. A DEL of
such an item is told deleted, its source withdrawn (:func:`blind_deletes`).
The hidden fields of an item the source's blind loads were told of before (marked) tell such a
load nothing whether the item is its victim's or its own new one (:func:`told_created_before`: a
right guess said again with another name was told unchanged, a wrong one updated with a
conflict: attack round a-65, 1); an FtM source's datasets are that source in the marks
(:func:`blind_sources`: a-65, 2 and 6); a stored item a link names by id alone is marked as a
record of it would be (:func:`mark_link_ends`: a-65, 5a). Marked so (told of as what it is
before it was a victim's: :data:`BLIND_KNOWN`), a record of another label is told a label
conflict again (:func:`known_before`: a-65, 5b), and a DEL or a replace of it retracts it as
what it is, the mark kept (a-65, 5c).

A field is hidden on an item if the item's agency is the load's and the security rule calls the
item protected for the load's agency (``security/protected_ids``); its derived copies (caption,
search keys, conflicts) are hidden with it. A relationship's hidden field (a victim's
``CROSSED`` document, :data:`~graphapi.security.redaction.RELATIONSHIP_FIELDS`) never conflicts:
it is part of the relationship's id, so another value is another relationship.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from graphapi.ingest.conflict_notes import ConflictNote, new_conflicts
from graphapi.ingest.merge import DERIVED
from graphapi.ingest.records import Origin
from graphapi.security.redaction import NODE_FIELDS

#: the labels a protected node can have a hidden field on
BLIND_LABELS = frozenset(NODE_FIELDS)


def hidden_node_fields(labels: Iterable[str]) -> frozenset[str]:
    """The fields of a protected node with ``labels`` that a load without victim-data may not read."""
    return frozenset(f for label in labels for f in NODE_FIELDS.get(label, ())) | frozenset(DERIVED)


def _property(text: Any) -> str | None:
    try:
        return str(json.loads(text).get("property"))
    except (TypeError, ValueError, AttributeError):
        return None


#: the sources whose victim-blind loads were told a stored item created (Entity.yaml, internal)
BLIND_SAID = "blindSaid"
#: of those, the ones told of it as what it is before it was a victim's (:func:`told_of`)
BLIND_KNOWN = "blindKnown"


def source_agency(source: str) -> str:
    """The agency ``source`` speaks for, the key of the blind rule's marks: a load job's
    ``<name>@<agency>``, an FtM load's ``ftm@<agency>`` and its datasets' ``ftm@<agency>:<dataset>``,
    the ingest mutation's ``graphql:<agency>``. Every source of one agency is one for the blind
    rule (attack round a-67, 3: the same guess said by a second source of the agency was told
    created again when right, updated when wrong): a source of no such form is itself, its
    datasets that source."""
    if source.startswith("graphql:"):
        return source[len("graphql:"):]
    head = source.split(":", 1)[0]
    return head.rsplit("@", 1)[1] if "@" in head else head


def blind_sources(sources: Iterable[str]) -> list[str]:
    """The entries of :data:`BLIND_SAID` (and :data:`BLIND_KNOWN`) a record stamped with ``sources``
    makes: the agencies they speak for (:func:`source_agency`), so the list holds at most one entry
    per agency, never one per source name a loader invents; an FtM source's datasets are that
    source (attack round a-65, 2 and 6). Entries stored before a-67 (source names) are read as
    their agency too."""
    return list(dict.fromkeys(source_agency(s) for s in sources))


def marked_agencies(entries: Iterable[str] | None) -> set[str]:
    """The agencies of stored :data:`BLIND_SAID` (or :data:`BLIND_KNOWN`) ``entries``."""
    return {source_agency(e) for e in entries or ()}


def said_blind(old: Mapping[str, Any], record: Mapping[str, Any]) -> bool:
    """True if every source of ``record`` (:func:`blind_sources`) is in the stored node ``old``'s
    :data:`BLIND_SAID`: a victim-blind load of it was told the item created before, so this one
    is told as a reload. Its ``sources`` do not count: a colleague's load with victim-data under
    the same source (every loader of an agency's ``ingest`` mutation shares ``graphql:<agency>``:
    attack round a-60, 1) told this load nothing."""
    return set(blind_sources(record.get("sources") or ())) <= marked_agencies(old.get(BLIND_SAID))


def told_of(writer: Any, nid: str, labels: Iterable[str], old: Mapping[str, Any], record: Mapping[str, Any]) -> bool:
    """True if a victim-blind ``writer``'s load, told of the item ``nid`` (``labels``, stored as
    ``old``; ``{}`` for one it creates) as what it is, must have its source marked in
    :data:`BLIND_SAID`: the item is not (yet) one of the load's own victims', but of a label one
    can become (its passport, linked to a victim later), and its source is not marked. Told
    created or updated now, a later load is told it as a reload, not created again, which would
    tell that the item became a victim's."""
    return (writer.victim_blind and nid not in writer.blind and not BLIND_LABELS.isdisjoint(labels)
            and not said_blind(old, record))


def known_before(old: Mapping[str, Any], record: Mapping[str, Any]) -> bool:
    """True if every source of ``record`` is in the stored node ``old``'s :data:`BLIND_KNOWN`: its
    victim-blind loads were told of the item as what it is (:func:`told_of`) before it was their
    victim's, a record of another label refused as a label conflict, so one is told again, as it
    is of the same item never a victim's (attack round a-65, 5b)."""
    return set(blind_sources(record.get("sources") or ())) <= marked_agencies(old.get(BLIND_KNOWN))


def told_created_before(writer: Any, buffered: Mapping[str, tuple[str, Mapping[str, Any]]],
                        existing: Mapping[str, Mapping[str, Any]], victims: set[str]) -> dict[str, frozenset[str]]:
    """Per item of a victim-blind ``writer``'s flush, of its agency, that is not one of its load's
    own victims' (``victims``) but that a victim-blind load of the record's source was told of
    before (its :data:`BLIND_SAID` holds the record's sources: :func:`told_of` marked it, e.g. a
    wrong guess the load created), its hidden fields: they tell the load nothing, as on a right guess's
    victim's item marked so (attack round a-65, 1: a guess said again with another name was
    told updated, with a conflict, when wrong, and unchanged when right)."""
    if not writer.victim_blind:
        return {}
    out = {}
    for nid, (_, props) in buffered.items():
        old = existing.get(nid) or {}
        labels = old.get("labels") or []
        stored = old.get("props") or {}
        if (nid not in victims and stored.get("owner") == writer.viewer and not BLIND_LABELS.isdisjoint(labels)
                and stored.get(BLIND_SAID) and said_blind(stored, props)):
            out[nid] = hidden_node_fields(labels)
    return out


def told_conflicts(props: Mapping[str, Any], hidden: frozenset[str]) -> list[Any]:
    """The entries of an item's ``conflicts`` a load may be told of: those on a field not ``hidden``."""
    return [t for t in props.get("conflicts") or () if _property(t) not in hidden]


def new_told_conflicts(old: Mapping[str, Any], merged: Mapping[str, Any], hidden: frozenset[str]) -> int:
    """How many conflicts ``merged`` holds that the stored ``old`` did not, on fields not ``hidden``."""
    before = set(old.get("conflicts") or ())
    return sum(1 for t in told_conflicts(merged, hidden) if t not in before)


def told_changes(merged: Mapping[str, Any], old: Mapping[str, Any], hidden: frozenset[str]) -> set[str]:
    """The properties a write of ``merged`` over the stored ``old`` changes that a load may be told
    of: none ``hidden`` (``conflicts`` compared on its told entries alone)."""
    keys = (set(merged) | set(old)) - {"id", "conflicts"} - hidden
    out = {k for k in keys if merged.get(k) != old.get(k)}
    if told_conflicts(merged, hidden) != told_conflicts(old, hidden):
        out.add("conflicts")
    return out


def told_new_conflicts(item: str, kind: str, old: dict[str, Any], merged: dict[str, Any], origin: Origin | None,
                       writer: Any, hidden: frozenset[str]) -> tuple[int, list[ConflictNote]]:
    """The conflicts a write of ``merged`` over the stored ``old`` adds that the load is told of:
    their count, and a note of each (:func:`graphapi.ingest.conflict_notes.new_conflicts`); with no
    field ``hidden``, every new one."""
    added = len(merged.get("conflicts") or ()) - len(old.get("conflicts") or ())
    if added <= 0:
        return 0, []
    notes = new_conflicts(item, kind, old, merged, origin, writer)
    if not hidden:
        return added, notes
    return new_told_conflicts(old, merged, hidden), [n for n in notes if n.property not in hidden]


async def unsaid_links(writer: Any, rows: list[dict[str, Any]], recs: Mapping[str, Any]) -> set[str]:
    """The ids of ``rows`` (links of a ``writer``'s flush) with an end of the load's own victims
    (``blind``) that no victim-blind load of the link's source was told (:func:`said_blind`), before
    or in this load: answered as a missing end, so a link
    naming a guessed victim's passport by id is told dangling whether the guess is right or
    wrong, and is not written (attack round a-60, 1a), nor diverted as quarantined (1d)."""
    ends = {e for r in rows for e in (r["start"], r["end"]) if e in writer.blind}
    if not ends:
        return set()
    sources: dict[str, set[str]] = {}
    unknown = sorted(e for e in ends if e not in writer._known)
    for e in ends - set(unknown):
        sources[e] = marked_agencies(writer._known[e][1].get(BLIND_SAID))
    if unknown:
        for row in await writer.store.read("ingest/existing_nodes", {"ids": unknown}):
            sources[str(row["id"])] = marked_agencies((row["props"] or {}).get(BLIND_SAID))
    said_here = writer._told_created_nodes - writer._told_refused_nodes  # told created (kept apart)

    def unsaid(end: str, source: str) -> bool:
        return end in writer.blind and end not in said_here and source_agency(source) not in sources.get(end, set())

    out = set()
    for r in rows:
        rec = recs[r["id"]]
        source = rec.origin.source if rec.origin else writer.source
        if unsaid(r["start"], source) or unsaid(r["end"], source):
            out.add(r["id"])
    return out


async def mark_link_ends(writer: Any, rows: list[dict[str, Any]], recs: Mapping[str, Any],
                         read: Mapping[str, Mapping[str, Any]]) -> None:
    """Mark in :data:`BLIND_SAID` the stored ends just ``read`` (``{id, labels, props}``) of a
    victim-blind ``writer``'s links ``rows`` that the link's source names by id alone, as
    :func:`told_of` marks an item its record names: of the load's agency, not (yet) one of its own
    victims', of a label one can become, its source not marked. Linked to a victim later, the link said again is
    told as what it is, not dangling (attack round a-65, 5a)."""
    marks: dict[str, set[str]] = {}
    for r in rows:
        rec = recs[r["id"]]
        source = rec.origin.source if rec.origin else writer.source
        for end in (r["start"], r["end"]):
            row = read.get(end)
            if (row is not None and (row.get("props") or {}).get("owner") == writer.viewer
                    and told_of(writer, end, row.get("labels") or [], row["props"], {"sources": [source]})):
                marks.setdefault(end, set()).add(source_agency(source))
    if marks:
        rows_ = [{"id": nid, "sources": sorted(s), "known": True} for nid, s in marks.items()]
        writer.counts.batches += (await writer.store.write_batches("ingest/add_blind_said", rows_,
                                                                   writer.batch_size)).batches


async def blind_deletes(writer: Any) -> dict[str, dict[str, Any]]:
    """The nodes a victim-blind ``writer``'s DELs name that are its load's own victims' items, each
    with its stored properties: their source withdrawn, they stay for the victim's other sources,
    so each one its DEL's source said is told deleted (or retracted) as a wrong guess's would be,
    and one it never said is told nothing, as a DEL of a missing node (attack round a-60, 1c;
    :func:`graphapi.ingest.blind_withdrawn.settle_blind_deletes`). Not one its DEL's source was told of as what it
    is before it was a victim's (:data:`BLIND_KNOWN`): that one is retracted as it would be were
    it not (a-65, 5c)."""
    ids = sorted({i for ids in writer._delete_nodes.values() for i in ids})
    stored = {str(r["id"]): r["props"] for r in await writer.store.read("ingest/existing_nodes", {"ids": ids})}
    await writer._note_protected({i: stored.get(i) for i in ids})
    naming = {i: {src for src, named in writer._delete_nodes.items() if i in named} for i in ids}
    out = {}
    for i in ids:
        props = stored.get(i) or {}
        agencies = {source_agency(s) for s in naming[i]}
        if i in writer.blind and agencies.isdisjoint(marked_agencies(props.get(BLIND_KNOWN))):
            out[i] = props
    return out


def counted_hidden(model: Any, buffered: Mapping[str, tuple[str, Mapping[str, Any]]],
                   hidden_of: Mapping[str, frozenset[str]], marks: list[dict[str, Any]]) -> dict[str, frozenset[str]]:
    """Per blind node of a flush, the fields whose statement counts written whatever was stored
    (``StatementLog.write``'s ``hidden``): every field of one told created (``marks``: as a new
    node's statements are); else the hidden ones its id does not spell (a name: a colleague's
    same value under the same source is not confirmed), not its key (a passport's number: a
    reload of the guess counts seen, as a wrong guess's reload does)."""
    told = {m["id"] for m in marks}
    out = {}
    for nid, fields in hidden_of.items():
        label, props = buffered[nid]
        out[nid] = frozenset(props) if nid in told else fields - frozenset(model.label(label).key)
    return out
