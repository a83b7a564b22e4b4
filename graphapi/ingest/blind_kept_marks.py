"""A victim-blind whole-source replace never takes a victim's mark away (attack round a-84, 6).

A colleague with victim-data may state a victim's case link (``INVOLVED_IN {role: victim}``, or
``HELD_AT {role: trafficked}``: :data:`~graphapi.ingest.victim_marks.MARKS`) under the agency's
shared feed, and it may be the victim's only mark. A replace of that feed by a loader without
victim-data, who cannot see the victim, retracted the link with the rest of what the feed no
longer states, and the victim was no longer protected, whichever id the loader guessed. A blind
DEL leaves such stored links (attack round a-77, 1); so does a blind replace now: a link the
replaced source's statement marks a victim on keeps that statement, its values and its sources.

What the load is told of it stays what a wrong guess is told, as if the statement went (the
links told as a retraction tells them, never by whether the guess is the victim's): the stored
link, as the colleague's own, deleted if no other source holds it, else retracted, its source's
statements retracted; and, where the loader's blind records said the link too (its
:data:`~graphapi.ingest.blind_shadow.BLIND_SHADOW`: a right guess's link merged into the
victim's), the wrong guess's link as its shadow says. The link then keeps
:data:`~graphapi.ingest.blind_shadow.TOLD_DELETED`, so a later replace tells nothing of it again
and a blind record of it is told created, as of a link gone."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from graphapi.ingest.blind_replace import told_withdrawn
from graphapi.ingest.blind_shadow import BLIND_SHADOW, TOLD_DELETED, held_before, said_in
from graphapi.ingest.retraction import Retractions
from graphapi.ingest.statements import Statement, relationship_statements_of
from graphapi.ingest.victim_marks import MARKS

#: what :func:`kept_marks` returns: type -> link id -> (stored props, the source's statements on it)
Kept = dict[str, dict[str, tuple[dict[str, Any], int]]]


async def kept_marks(store: Any, rows: list[dict[str, Any]], stated: Mapping[str, set[str]], *, source: str,
                     owner: str, scoped: bool, batch_size: int) -> Kept:
    """Of ``ingest/source_relationship_ids``'s ``rows`` a replace no longer ``stated`` (type -> ids),
    the victims' links on which a statement of ``source`` (for ``owner`` unless ``scoped``) says
    the mark: those a blind replace (or DEL: blind_withdrawn) keeps, with their stored props and
    how many statements of the source they hold."""
    out: Kept = {}
    for rel_type, mark in MARKS.items():
        ids = [str(r["id"]) for r in rows if r["type"] == rel_type and r.get("stated", True)
               and r["id"] not in stated.get(rel_type, ())]
        for i in range(0, len(ids), batch_size):
            chunk = ids[i:i + batch_size]
            held: dict[str, int] = {}
            marked: set[str] = set()
            for row in await store.read("provenance/statements_of", {"ids": chunk}):
                stmt = Statement.from_props(row["props"])
                if stmt.type != rel_type or not said_in(source, [stmt.source]) or not (scoped or stmt.owner == owner):
                    continue
                held[stmt.entity] = held.get(stmt.entity, 0) + 1
                if ("role", mark) in stmt.entries:
                    marked.add(stmt.entity)
            if not marked:
                continue
            for rel in await store.read("ingest/existing_relationships", {"ids": sorted(marked)}, type=rel_type):
                out.setdefault(rel_type, {})[str(rel["id"])] = (dict(rel["props"] or {}), held[str(rel["id"])])
    return out


async def still_standing(store: Any, kept: Kept, batch_size: int) -> Kept:
    """The ``kept`` links still stored once the replace's items went: one whose end went with
    them (the wrong guess's own node, the blind loader's own ``role: victim`` link of it) went too,
    told deleted with its end, so it is neither kept nor told a second time (attack round a-90, 2)."""
    out: Kept = {}
    for rel_type, links in kept.items():
        ids = sorted(links)
        for i in range(0, len(ids), batch_size):
            for rel in await store.read("ingest/existing_relationships", {"ids": ids[i:i + batch_size]},
                                        type=rel_type):
                out.setdefault(rel_type, {})[str(rel["id"])] = links[str(rel["id"])]
    return out


def told_kept(model: Any, kept: Kept, source: str) -> tuple[Retractions, dict[str, list[dict[str, Any]]]]:
    """What a blind replace of ``source`` is told of the ``kept`` links (see the module docstring),
    and their new shadows (type -> rows ``{id, shadow}``)."""
    told = Retractions()
    shadows: dict[str, list[dict[str, Any]]] = {}
    for rel_type, links in kept.items():
        for rid, (props, held) in links.items():
            text = props.get(BLIND_SHADOW)
            if text == TOLD_DELETED:  # told gone before: nothing again
                continue
            own, left = told_withdrawn(str(text), source, link=True) if text else (None, None)
            if own is not None:  # the wrong guess's link its blind records made, and its statement
                told.relationships_deleted += int(own == "deleted")
                told.relationships_retracted += int(own == "retracted")
                shadow = dict(json.loads(str(text)))
                told.statements_retracted += len(relationship_statements_of(
                    model.relationship(rel_type), rid, {**shadow, "sources": [source]}, source, ""))
            if own is None or held_before(text, source):  # the stored statement: a colleague's
                others = [s for s in props.get("sources") or () if not said_in(source, [s])]
                told.relationships_deleted += int(not others)
                told.relationships_retracted += int(bool(others))
                told.statements_retracted += held
            # one another source's blind records said keeps their shadow (told again by the next)
            shadows.setdefault(rel_type, []).append({"id": rid, "shadow": left if own == "retracted" else TOLD_DELETED})
    return told, shadows


async def keep_marks(store: Any, model: Any, kept: Kept, source: str, batch_size: int) -> Retractions:
    """Tell the ``kept`` links (:func:`told_kept`) and write their new shadows; nothing of them is
    retracted."""
    told, shadows = told_kept(model, kept, source)
    for rel_type, rows in shadows.items():
        await store.write_batches("ingest/set_blind_shadow_relationships", rows, batch_size, type=rel_type)
    return told
