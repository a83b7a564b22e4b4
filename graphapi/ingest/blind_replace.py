"""What a whole-source replace (:mod:`graphapi.ingest.replacement`) is told of the links of its
load's own victims' items that its agency's blind loads said (attack round a-72, 2): as of the
wrong guess's link their :data:`~graphapi.ingest.blind_shadow.BLIND_SHADOW` is, not of the stored
link. A guessed link whose id is the victim's own link (per-vic-1 INVOLVED_IN the victim's case)
stays for the victim's source when the replace no longer states it, so it was told retracted
where the wrong guess's link, said by the replacing source alone, was told deleted.

Such a link is retracted as any other is (the source withdrawn, its statements gone); what the
load is told is the shadow's: deleted if no other source of the agency said it (the shadow goes,
so the link said again is told created, as the wrong guess's would be), retracted if one did (the
shadow keeps the others), nothing if the source never said it (a colleague's statement under the
same source told the load nothing)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from graphapi.ingest.blind_shadow import TOLD_DELETED, held_before, said_in, withdrawn
from graphapi.ingest.retraction import Retractions
from graphapi.ingest.statements import relationship_statements_of


def shadowed_links(rows: list[dict[str, Any]], stated: Mapping[str, set[str]], source: str
                   ) -> dict[str, dict[str, str]]:
    """Of ``ingest/source_relationship_ids``'s ``rows``, those not ``stated`` (type -> ids the
    replace asserted) that hold a :data:`~graphapi.ingest.blind_shadow.BLIND_SHADOW`: type -> id -> shadow.
    One the source does not assert (its ``stated`` false) only if its shadow says the source said
    it: a blind record told created and never written under the source (attack round a-75, 4)."""
    out: dict[str, dict[str, str]] = {}
    for r in rows:
        if r.get("shadow") and r["id"] not in stated.get(r["type"], ()) and (
                r.get("stated", True) or told_withdrawn(str(r["shadow"]), source, link=True)[0] is not None):
            out.setdefault(r["type"], {})[r["id"]] = str(r["shadow"])
    return out


def told_withdrawn(text: str, source: str, *, link: bool) -> tuple[str | None, str | None]:
    """What a link's (``link``) or node's item of shadow ``text`` is told once ``source`` withdrew
    it: ``("deleted", None)``, ``("retracted", <new shadow>)`` or ``(None, text)`` if the source
    never said it. The one rule of every withdrawal a blind load is told of: by the shadow, as the
    wrong guess's item would be, never by the stored item's sources."""
    try:
        shadow = json.loads(text)
        sources = (shadow if link else shadow.get("props") or {}).get("sources") or ()
    except (TypeError, ValueError, AttributeError):
        return "deleted", None
    if not said_in(source, sources):
        return None, text
    left = withdrawn(text, source, link=link)
    return ("deleted", None) if left is None else ("retracted", left)


def tell_shadowed_nodes(done: Retractions, shadowed: Mapping[str, str], source: str) -> Retractions:
    """``done`` (the retraction of the ``shadowed`` nodes: id -> shadow) with its node counts those
    the shadows tell once ``source`` withdrew them (:func:`told_withdrawn`): a replace no longer
    naming the guess is told it deleted where the victim's source keeps the stored item (attack
    round a-75, 1), as the wrong guess's item, said by the replacing source alone, would be."""
    done.nodes_deleted = done.nodes_retracted = 0
    for text in shadowed.values():
        told, _ = told_withdrawn(text, source, link=False)
        if told == "deleted":
            done.nodes_deleted += 1
        elif told == "retracted":
            done.nodes_retracted += 1
    return done


def unwritten_statements(model: Any, rows: list[dict[str, Any]], source: str) -> dict[str, int]:
    """Of ``rows`` (``{id, type, shadow, stated}``: shadowed links), those ``source`` does not
    assert (never written under it: a stricter level than the victim's link, a-72, 1): link id ->
    the statements of it the wrong guess's link holds, one per asserting source if its shadow
    holds a value (:func:`~graphapi.ingest.statements.relationship_statements_of`), which a
    withdrawal of it is told retracted though the stored link holds none (attack round a-75, 4)."""
    out = {}
    for r in rows:
        if r.get("shadow") and not r.get("stated", True):
            try:
                props = dict(json.loads(str(r["shadow"])))
            except (TypeError, ValueError):
                continue
            out[str(r["id"])] = len(relationship_statements_of(model.relationship(str(r["type"])), str(r["id"]),
                                                                props, source, ""))
    return out


def fold(into: Retractions, done: Retractions) -> Retractions:
    """``into`` with each field of ``done`` added (counts summed, id sets joined): every field, so
    one added to Retractions later is not lost (``held`` was)."""
    for f in dataclasses.fields(Retractions):
        mine, theirs = getattr(into, f.name), getattr(done, f.name)
        setattr(into, f.name, mine + theirs if isinstance(theirs, int) else mine | theirs)
    return into


async def retract_shadowed(store: Any, shadowed: Mapping[str, Mapping[str, str]], source: str,
                           retract: Callable[[dict[tuple[str, str], list[str]]], Awaitable[Retractions]],
                           batch_size: int, unwritten: Mapping[str, int] | None = None, *,
                           gone: str | None = None) -> Retractions:
    """Retract the ``shadowed`` links (:func:`shadowed_links`) with ``retract`` (the replace's
    :func:`~graphapi.ingest.retraction.apply_retractions`): its counts, the links and their
    counted deleted or retracted as their shadows tell them, and those ``unwritten`` under the
    source (:func:`unwritten_statements`) their wrong guess's statements retracted too (a-75, 4);
    their new shadows kept (``gone`` once told deleted: none, or a DEL's :data:`TOLD_DELETED`).
    One a DEL told deleted before is retracted telling nothing: the wrong guess's link went then
    (attack round a-77, 2)."""
    if not shadowed:
        return Retractions()
    told_before = {t: [i for i, text in ids.items() if text == TOLD_DELETED] for t, ids in shadowed.items()}
    done = await retract({(t, source): sorted(i for i, text in ids.items() if text != TOLD_DELETED)
                          for t, ids in shadowed.items()})
    if any(told_before.values()):
        done = fold(done, untold(await retract({(t, source): sorted(ids) for t, ids in told_before.items() if ids})))
    done.relationships_deleted = done.relationships_retracted = 0
    for rel_type, ids in shadowed.items():
        rows = []
        for rid, text in ids.items():
            told, left = told_withdrawn(text, source, link=True)
            if told == "deleted":
                done.relationships_deleted += 1
            elif told == "retracted":
                done.relationships_retracted += 1
            if told is not None:  # the wrong guess's link's statements, the stored link holding none
                done.statements_retracted += (unwritten or {}).get(rid, 0)
            if told == "deleted":  # none if its source's stored statements are a colleague's (a-84, 1)
                left = None if held_before(text, source) else gone
            if left != text:
                rows.append({"id": rid, "shadow": left})
        if rows:
            await store.write_batches("ingest/set_blind_shadow_relationships", rows, batch_size, type=rel_type)
    return done


def untold(done: Retractions) -> Retractions:
    """``done`` with nothing told (its counts), what the load keeps of it to settle kept: the
    items it re-owned and the identifiers it noted too, which the breaker counts (a link handed
    to a wider echo, dropped here, was never counted nor unnoted: attack round a-89, 1)."""
    return Retractions(reowned_nodes=done.reowned_nodes, reowned_links=done.reowned_links,
                       reowned_ends=done.reowned_ends, widened=done.widened, dropped=done.dropped, held=done.held)
