"""What a victim-blind load is told of a reload of a guess: its agency's own records compared, not
the victim's stored values (attack round a-67, 1 and 2).

A load without victim-data told a guessed item of its own victim created (:mod:`graphapi.ingest.
blind_values`) must be told a reload of it as a wrong guess's reload would be: a wrong guess made
an item of the load's own, holding what its agency's blind loads said of it, and nothing else.
Compared with the victim's stored values, a field the loader may read (a Person's gender) said
later was told unchanged when the guess was right (the victim's gender said again), updated when
wrong, and a conflict when right but another value; a record of another label on the victim's id
(not written: a label conflict would confirm the id) was told unchanged said again with a change,
where the wrong guess's own item was updated.

So the item keeps, in its internal :data:`BLIND_SHADOW` (never shown), the item a wrong guess
would have made: the label and the merged record properties of its agency's blind loads' records
(no derived field, no victim's value), set when one is first told created, merged with each
record said after. A reload is told unchanged, seen, updated, and its conflicts, by merging the
record into the shadow, as a wrong guess's item is merged; the victim's item itself is written
as before (the stored values and their provenance kept), counted by the shadow. Its size is
bounded as a wrong guess's item's is: what the records said. An item with no shadow (marked
before attack round a-67) is told as before (compared with its stored values).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from graphapi.ingest.blind_said_by import packed, read_by, rebuilt, said_again
from graphapi.ingest.blind_stated import add_blind_stated, stated_rows
from graphapi.ingest.blind_values import (
    BLIND_KNOWN,
    BLIND_LABELS,
    hidden_node_fields,
    marked_agencies,
    source_agency,
    told_changes,
    told_new_conflicts,
)
from graphapi.ingest.conflict_notes import keep
from graphapi.ingest.merge import DERIVED, merge_properties
from graphapi.ingest.records import Origin

#: the item a wrong guess would have made of a victim's item a blind load was told created
#: (Entity.yaml, internal): ``{"label": ..., "props": {...}}`` as JSON
BLIND_SHADOW = "blindShadow"

_NOT_SAID = frozenset({"id", "unresolved"}) | frozenset(DERIVED)


#: in a shadow's props: the level its last record was said at, which the wrong guess's item's
#: statement of its source follows (:func:`shadow_statements`), told to nobody
SAID_AT = "saidAt"


def said_at(tlp: Any, shared_with: Any) -> str:
    """A level ``(tlp, sharedWith)`` as :data:`SAID_AT` holds it."""
    return "|".join([str(tlp), ",".join(sorted(shared_with or ()))])


def shadow_text(label: str, props: Mapping[str, Any], said: Mapping[str, Any] | None = None,
                by: Mapping[str, Any] | None = None) -> str:
    """The :data:`BLIND_SHADOW` of an item a record of ``label`` with ``props`` (stamped) makes,
    or, a reload's merged into it, one whose last record (``said``) was said at its level; ``by``
    what each source said (:mod:`graphapi.ingest.blind_said_by`), kept beside if given."""
    kept = {k: v for k, v in props.items() if k not in _NOT_SAID and v is not None}
    if said is not None or SAID_AT not in kept:  # (a shadow's own props keep theirs)
        last = said if said is not None else props
        kept[SAID_AT] = said_at(last.get("tlp"), last.get("sharedWith"))
    shadow = {"label": label, "props": kept, **(packed(kept, by) if by is not None else {})}
    return json.dumps(shadow, ensure_ascii=False, sort_keys=True)


def read_shadow(props: Mapping[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The ``(label, props)`` of a stored item's :data:`BLIND_SHADOW`; None if it has none."""
    text = props.get(BLIND_SHADOW)
    if not text:
        return None
    try:
        shadow = json.loads(text)
        return str(shadow["label"]), dict(shadow["props"])
    except (TypeError, ValueError, KeyError):
        return None


def _hidden(model: Any, label: str) -> frozenset[str]:
    """The fields of the wrong guess's item of ``label`` that tell its blind load nothing: the
    hidden ones of a label that can become a victim's (:func:`blind_values.told_created_before`),
    and every derived one (the shadow holds none; they follow the fields it holds)."""
    chain = list(model.label(label).labels)
    return (hidden_node_fields(chain) if not BLIND_LABELS.isdisjoint(chain) else frozenset()) | frozenset(DERIVED)


def _merged(writer: Any, nid: str, old: dict[str, Any], new: Mapping[str, Any], label: str) -> dict[str, Any]:
    """``new`` merged into the shadow's ``old`` as :meth:`WriteRules._merge` merges into an item
    (a replace record whose source alone said it takes its values), without its side effects."""
    kept = {k: v for k, v in new.items() if k not in _NOT_SAID and v is not None}
    if nid in writer._replace and set(old.get("sources") or []) <= set(kept.get("sources") or []):
        seen = [v for v in (old.get("firstSeen"), kept.get("firstSeen")) if v]
        return {**kept, **({"firstSeen": min(seen)} if seen else {})}
    return {k: v for k, v in merge_properties(old, kept, writer._multiple(label)).items() if v is not None}


def _kept_by_replace(writer: Any, old: Mapping[str, Any], new: Mapping[str, Any],
                     merged: dict[str, Any], by: Mapping[str, Any] | None) -> dict[str, Any]:
    """The shadow ``old`` keeps once ``new`` is merged (``merged``): under a whole-source replace
    whose source alone of the agency said it, the record's values, as the wrong guess's item
    keeps once the replace retracts the values its source no longer gives (told then as merged,
    as that item is: attack round a-72, 4); said by others too, the values rebuilt from what each
    said (``by``), the replaced source's its record's (a-75, 5a); else ``merged``."""
    kept = {k: v for k, v in new.items() if k not in _NOT_SAID and v is not None}
    if writer.asserted is None:
        return merged
    if not set(old.get("sources") or []) <= set(kept.get("sources") or []):
        return (rebuilt(merged, by) if by is not None else None) or merged
    seen = [v for v in (old.get("firstSeen"), kept.get("firstSeen")) if v]
    return {**kept, **({"firstSeen": min(seen)} if seen else {})}


def tell_by_shadow(writer: Any, nid: str, label: str, props: Mapping[str, Any], stored: Mapping[str, Any],
                   origin: Origin | None, shadows: list[dict[str, Any]]) -> str | None:
    """Tell a blind load's reload (the record ``label``/``props``) of the victim's item ``nid``
    (stored as ``stored``) as the wrong guess's item its :data:`BLIND_SHADOW` is: counts the
    conflicts it adds there (with their notes), adds the new shadow to ``shadows`` (rows
    ``{id, shadow}``) if it changed, and returns ``"unchanged"``, ``"seen"`` or ``"updated"``;
    None if the item has no shadow, or the record's label is neither the shadow's nor one of its
    refinements or generalisations (told as before). Counted there: updated and seen in the
    writer's ``_updated_nodes`` and ``_seen_nodes`` (written or not, the write counted unchanged)."""
    shadow = read_shadow(stored)
    if shadow is None:
        return None
    old_label, old = shadow
    old.pop(SAID_AT, None)  # not the item's: the level of its last record
    model = writer.model
    if label != old_label and not model.is_a(old_label, label):
        if not model.is_a(label, old_label):
            return None
        old_label = label  # refined, as the wrong guess's item would be (Organization, then Company)
    merged = _merged(writer, nid, old, props, old_label)
    hidden = _hidden(model, old_label)
    told, notes = told_new_conflicts(nid, "node", old, merged, origin, writer, hidden)
    writer.counts.conflicts += told
    keep(writer.counts.conflict_notes, notes)
    by = read_by(stored.get(BLIND_SHADOW))
    by = said_again(by, props, replace=writer.asserted is not None) if by is not None else None
    text = shadow_text(old_label, _kept_by_replace(writer, old, props, merged, by), props, by)
    if text != stored.get(BLIND_SHADOW):
        shadows.append({"id": nid, "shadow": text})
    changes = told_changes(merged, old, hidden)
    if old_label != shadow[0]:
        changes.add("label")
    told = "unchanged" if not changes else "seen" if changes == {"lastSeen"} else "updated"
    if told == "updated":
        writer._updated_nodes.add(nid)
    elif told == "seen":
        writer._seen_nodes.add(nid)
    return told


def shadow_statements(model: Any, said: Iterable[tuple[Any, bool]], told: str | None,
                      text: str | None) -> tuple[int, int]:
    """``(written, seen)``: how the statements ``said`` of a reload of the victim's item told
    ``told`` by its shadow ``text`` (before the reload) count, as the wrong guess's item's would
    (``StatementLog.write``; attack round a-72, 3), not as they count against the victim's: one
    saying a field the shadow's label hides written, as every load's (not its key: ``counted_hidden``);
    any other written if updated, seen if seen;
    and one more written for each whose source said the shadow at another level (its statement
    there stays, pinned, as the wrong guess's item's would)."""
    shadow = read_shadow({BLIND_SHADOW: text}) if text else None
    props = shadow[1] if shadow else {}
    level = props.get(SAID_AT) or said_at(props.get("tlp"), props.get("sharedWith"))
    hidden = _hidden(model, shadow[0]) - frozenset(model.label(shadow[0]).key) if shadow else frozenset()
    written = seen = 0
    for stmt, _ in said:
        if any(prop in hidden for prop, _ in stmt.entries) or told == "updated":
            written += 1
        elif told == "seen":
            seen += 1
        if shadow and said_in(stmt.source, props.get("sources") or ()) and level != said_at(stmt.tlp,
                                                                                            stmt.shared_with):
            written += 1
    return written, seen


async def write_shadows(writer: Any, shadows: list[dict[str, Any]]) -> None:
    """Keep the new :data:`BLIND_SHADOW` of nodes (rows ``{id, shadow}``), after the flush's writes
    (a merge's map would put the old one back), and where a later flush of the load reads them."""
    if not shadows:
        return
    writer.counts.batches += (await writer.store.write_batches("ingest/set_blind_shadow", shadows,
                                                               writer.batch_size)).batches
    for row in shadows:
        if row["id"] in writer._known:
            writer._known[row["id"]][1][BLIND_SHADOW] = row["shadow"]


def link_shadow_text(props: Mapping[str, Any]) -> str:
    """The :data:`BLIND_SHADOW` of a link a record with ``props`` (stamped) makes."""
    return json.dumps({k: v for k, v in props.items() if k not in _NOT_SAID and v is not None},
                      ensure_ascii=False, sort_keys=True)


#: the :data:`BLIND_SHADOW` of a stored link a blind DEL told deleted and left standing (the
#: victim's, its source's statements maybe a colleague's: a-77, 1): the wrong guess's link is gone,
#: so a later withdrawal tells nothing of it and a record of it is told created (attack round a-77, 2)
TOLD_DELETED = link_shadow_text({"sources": []})

#: in a link's :data:`BLIND_SHADOW`: the sources whose statements the stored link held before a
#: blind load of its agency first said it (a colleague's with victim-data, the victim's link under
#: the shared feed): a blind DEL told it deleted leaves those stored, so a later replace is told of
#: them as the wrong guess is of the colleague's own link (attack round a-84, 1)
HELD_BEFORE = "heldBefore"


def made_alone(text: str | None, source: str) -> bool:
    """True if the link shadow ``text`` says the stored link held no ``source`` statement before a
    blind load said it: it records :data:`HELD_BEFORE` (every shadow since v-fix58b, ``[]`` if
    none) without ``source``. A shadow written before then holds no such record, so its stored
    statement may be a colleague's: False, kept (attack round a-90, 7)."""
    try:
        shadow = dict(json.loads(text or "{}"))
    except (TypeError, ValueError):
        return False
    return HELD_BEFORE in shadow and not said_in(source, shadow[HELD_BEFORE] or ())


def held_before(text: str | None, source: str) -> bool:
    """True if the link shadow ``text`` says the stored link held ``source``'s statements before
    a blind load said it (:data:`HELD_BEFORE`)."""
    try:
        return said_in(source, dict(json.loads(text or "{}")).get(HELD_BEFORE) or ())
    except (TypeError, ValueError):
        return False


def tell_link_by_shadow(writer: Any, rid: str, stored: Mapping[str, Any], props: Mapping[str, Any], rec: Any,
                        multiple: frozenset[str], shadows: list[dict[str, Any]]) -> str:
    """What a blind load is told of its record ``props`` of the stored link ``rid`` (``stored``)
    with an end of its own victims' (attack round a-67, 1): ``"created"`` if no blind load of its
    agency said it before (it holds no :data:`BLIND_SHADOW`: a colleague's statement under the
    same source, the victim's own link, told the load nothing) or since a DEL told it deleted
    (:data:`TOLD_DELETED`); else as the wrong guess's link,
    the shadow, merged with the record: ``"unchanged"``, ``"seen"`` or ``"updated"``, its new
    conflicts there counted and noted. The new shadow goes to ``shadows`` (rows ``{id, shadow}``)."""
    if stored.get("sources"):  # a stored link: the sources a blind load alone states it for (a-84, 5)
        shadows.extend(stated_rows(rid, stored, props))
    text = stored.get(BLIND_SHADOW)
    old = None
    if text:
        try:
            old = dict(json.loads(text))
        except (TypeError, ValueError):
            old = None
    if old is None or text == TOLD_DELETED:
        # statements of the record's sources stored before its first blind record: not the
        # blind load's (after TOLD_DELETED the stored ones are its own, told deleted)
        held = [] if text == TOLD_DELETED else [s for s in props.get("sources") or ()
                                                 if said_in(s, stored.get("sources") or ())]
        shadows.append({"id": rid, "shadow": link_shadow_text({**props, HELD_BEFORE: held})})
        return "created"
    kept = {k: v for k, v in props.items() if k not in _NOT_SAID and v is not None}
    if rid in writer._replace and set(old.get("sources") or []) <= set(kept.get("sources") or []):
        merged = dict(kept)
    else:
        merged = {k: v for k, v in merge_properties(old, kept, multiple).items() if v is not None}
    if HELD_BEFORE in old:  # bookkeeping of the stored link, kept whatever the record says
        merged[HELD_BEFORE] = old[HELD_BEFORE]
    added = len(merged.get("conflicts") or ()) - len(old.get("conflicts") or ())
    if added > 0:
        writer.counts.conflicts += added
        writer._conflicted(rec, old, merged)
    new = link_shadow_text(merged)
    if new != text:
        shadows.append({"id": rid, "shadow": new})
    changes = told_changes(merged, old, frozenset())
    return "unchanged" if not changes else "seen" if changes == {"lastSeen"} else "updated"


def told_unwritten_node(writer: Any, nid: str, refused: set[str], said: Any, new: bool, told_as: str | None,
                        shadow: str | None) -> None:
    """A blind ``writer``'s record of its own victim's item that cannot be merged (a label
    conflict, a stricter level): not written, no statement kept, and told as a wrong guess's record
    would be (attack round a-60, 1): created, its statements written, the first time its source
    says it (``new``); on a reload, as its agency's records said it (``told_as``, counted by
    :func:`tell_by_shadow`: a-67, 2): its statements written if updated, seen if seen, as the wrong
    guess's item's (:func:`shadow_statements`, of its ``shadow`` before: a-72, 3)."""
    refused.add(nid)
    writer._told_refused_nodes.add(nid)
    if new:
        writer._told_created_nodes.add(nid)
        writer.counts.statements_written += len(said)
        return
    written, seen = shadow_statements(writer.model, said, told_as, shadow)
    writer.counts.statements_written += written
    writer.counts.statements_seen += seen


def told_unwritten_link(writer: Any, told: str, said: Any, shadow: str | None) -> None:
    """Count the statements ``said`` of a blind load's record of a link with an end of its own
    victims' that is not merged (a stricter level than the stored link's: the victim's own, its
    refusal would confirm it) as the wrong guess's link's would be, by what the load is ``told``
    of it (:func:`tell_link_by_shadow`): written if created or updated, seen if seen, as
    :func:`told_unwritten_node` counts a node's (attack round a-72, 1); one said at another
    level than its ``shadow`` (before) written, a new statement of the wrong guess's link (a-72, 3)."""
    try:
        old = dict(json.loads(shadow)) if shadow else {}
    except (TypeError, ValueError):
        old = {}
    level = said_at(old.get("tlp"), old.get("sharedWith"))
    for stmt, _ in said:
        if told in ("created", "updated") or (old and level != said_at(stmt.tlp, stmt.shared_with)):
            writer.counts.statements_written += 1
        elif told == "seen":
            writer.counts.statements_seen += 1


async def tell_blind_links(writer: Any, rel_type: str, told_as: Mapping[str, str], shadows: list[dict[str, Any]],
                           dropped: set[str]) -> None:
    """Count the stored links of a flush with an end of the load's own victims' as
    :func:`tell_link_by_shadow` told them (``told_as``; not those ``dropped``: refused or answered
    missing), whatever their write was counted, and keep their new shadows (``shadows``) once the
    flush's writes are done (a merge's ``SET +=`` of the old map would put the old one back)."""
    for rid, told in told_as.items():
        if rid in dropped:
            continue
        for counted in (writer._updated_edges, writer._unchanged_edges, writer._seen_edges):
            counted.discard(rid)
        if told == "created":
            if rid not in writer._created_edges:
                writer._created_edges.add(rid)
                writer.counts.relationships_created += 1
        elif told == "updated":
            writer._updated_edges.add(rid)
        else:
            writer._unchanged_edges.add(rid)
            if told == "seen":
                writer._seen_edges.add(rid)
    rows = [r for r in shadows if r["id"] not in dropped and "shadow" in r]
    await add_blind_stated(writer, rel_type, [r for r in shadows if r["id"] not in dropped and "shadow" not in r])
    if rows:
        done = await writer.store.write_batches("ingest/set_blind_shadow_relationships", rows, writer.batch_size,
                                                type=rel_type)
        writer.counts.batches += done.batches
        for r in rows:
            if r["id"] in writer._known_edges:
                writer._known_edges[r["id"]][BLIND_SHADOW] = r["shadow"]


async def known_links(writer: Any, rows: list[dict[str, Any]], existing: Mapping[str, Mapping[str, Any]],
                      props_of: Mapping[str, Mapping[str, Any]], recs: Mapping[str, Any]) -> set[str]:
    """Of the stored links ``rows`` (``existing``) with an end of the load's own victims' and no
    :data:`BLIND_SHADOW`, those its source said before (in their ``sources``) while every such
    end was what it is to the load, not yet a victim's (its agency in their :data:`BLIND_KNOWN`:
    :func:`~graphapi.ingest.blind_values.told_of`): told as what they are, a reload compared with
    the stored link, as before a-67 (attack round a-65, 5a), not created again."""
    blind_ends = {rid: [e for e in (r["start"], r["end"]) if e in writer.blind] for r in rows
                  for rid in [r["id"]]}
    cands = [r for r in rows if r["id"] in existing and blind_ends[r["id"]]
             and not existing[r["id"]].get(BLIND_SHADOW)
             and set(props_of[r["id"]].get("sources") or ()) <= set(existing[r["id"]].get("sources") or ())]
    if not cands:
        return set()
    ends = sorted({e for r in cands for e in blind_ends[r["id"]]})
    marks = {str(row["id"]): marked_agencies((row["props"] or {}).get(BLIND_KNOWN))
             for row in await writer.store.read("ingest/existing_nodes", {"ids": ends})}
    out = set()
    for r in cands:
        rec = recs[r["id"]]
        agency = source_agency(rec.origin.source if rec.origin else writer.source)
        if all(agency in marks.get(e, set()) for e in blind_ends[r["id"]]):
            out.add(r["id"])
    return out


def shadow_label_conflict(model: Any, stored: Mapping[str, Any], label: str) -> str | None:
    """The label of the stored item's :data:`BLIND_SHADOW` if a record of ``label`` cannot merge
    into it (neither the same, a refinement nor a generalisation): the wrong guess's item would
    refuse the record as a label conflict, and so is it told (attack round a-67, 2); else None."""
    shadow = read_shadow(stored)
    if shadow is None or shadow[0] == label or model.is_a(shadow[0], label) or model.is_a(label, shadow[0]):
        return None
    return shadow[0]


def said_in(source: str, sources: Iterable[str]) -> bool:
    """True if ``source`` (itself, or one of its datasets ``<source>:<dataset>``) is in ``sources``."""
    return any(s == source or s.startswith(f"{source}:") for s in sources)


def withdrawn(text: str, source: str, *, link: bool = False) -> str | None:
    """A node's (or, ``link``, a link's) shadow ``text`` once ``source`` withdrew what it said (a
    DEL, a replace no longer stating it): the wrong guess's item, held by its agency's other
    sources, stays, retracted, not deleted; None if no other source of it said it (deleted)."""
    try:
        shadow = json.loads(text)
    except (TypeError, ValueError):
        return None
    props = shadow if link else shadow.get("props") or {}
    left = [s for s in props.get("sources") or () if not said_in(source, [s])]
    if not left:
        return None
    props = {**props, "sources": left}
    if link:
        return link_shadow_text(props)
    by = read_by(text)  # its values rebuilt from what the others said (a-75, 5a)
    if by is not None:
        by = {s: v for s, v in by.items() if not said_in(source, [s])}
        props = rebuilt(props, by) or props
    return shadow_text(str(shadow.get("label")), props, by=by)
