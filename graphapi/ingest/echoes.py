"""Whose a relationship's sources are when no statement says it: the echo trace.

A relationship holding no value (a Membership without a role) has no statement, so its `sources`
alone say it is asserted, not by whom. Another agency's record of it (an *echo*) leaves a trace of
the sources it added, ``echoes`` (``"<agency> <source>"``, one per agency naming a source: sources
are each agency's own), and of the level that agency's latest record was said at, ``echoLevels``
(``"<tlp> <sharedWith, comma-joined, or -> <agency> <source>"``; agency ids, levels and source ids
hold no space). The trace decides three things:

- only the owner's own sources decide its narrowing (:func:`graphapi.ingest.narrowing.narrow_valueless`:
  an echo kept KH-NP's valueless Membership GREEN against its MOD at RED, attack round 42a, 3);
- the echoing agency's DEL withdraws its own source (``ingest/retract_relationships``,
  ``ingest/delete_relationships``), which stays listed while another agency's echo names it:
  before, TH-DSI's DEL of its echo withdrew nothing, and the Membership both agencies deleted
  stood GREEN for every agency (attack round 44a, 5); then it took LA-POL's echo from a source
  of the same name with it (attack round 45c, 5);
- once the owner's DEL takes its last source, the link is the echoing agency's, at that
  agency's own record level (:func:`reown_to_echoes`), as a node whose owner's last statement
  went is the remaining statement's: before, KH-NP kept its RED link with TH-DSI's source alone,
  and TH-DSI never read its own GREEN record again (attack round 44a, 1). The owner's source goes
  first, and the old owner's placeholders at its ends follow it
  (:func:`graphapi.ingest.placeholder_holds.hold_ends_left_by`; attack round 45c, 2 and 6).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from graphapi.ingest.provenance import stamp
from graphapi.ontology.tlp import audience, reaches_all
from graphapi.store.base import GraphStore


def _agency(entry: str) -> str:
    return entry.split(" ", 1)[0]


def _source(entry: str) -> str:
    return entry.split(" ", 1)[-1]


def echoes_after(stored: Mapping[str, Any], record: Mapping[str, Any]) -> list[str] | None:
    """The relationship ``stored``'s ``echoes`` once record properties ``record`` merge into it,
    or None when they stay as they are. Each agency's record of a source is traced apart, as
    sources are each agency's own: LA-POL's echo from a source named as TH-DSI's echo was not
    traced, and TH-DSI's DEL of its own took LA-POL's record with it (attack round 45c, 5). A
    source the relationship lists untraced is not taken as an echo (whose it was is not known: it
    stays the owner's, so an echo naming the owner's own source changes nothing); the owner's
    record of a traced source traces it as the owner's too (it asserts it itself: :func:`echoed`)."""
    owner, had = record.get("owner"), list(stored.get("echoes") or [])
    if not owner:
        return None
    traced = {_source(e) for e in had}
    listed = set(stored.get("sources") or ())
    own = owner == stored.get("owner")
    named = dict.fromkeys(str(s) for s in record.get("sources") or ())
    now = had + [e for e in dict.fromkeys(f"{owner} {s}" for s in named
                                          if s in traced or not (own or s in listed)) if e not in had]
    return now if now != had else None


def echo_levels_after(stored: Mapping[str, Any], record: Mapping[str, Any]) -> list[str] | None:
    """The relationship ``stored``'s ``echoLevels`` once record properties ``record`` merge into
    it, or None when they stay as they are: one per echo (:func:`echoes_after`), the level of the
    latest record of that agency naming that source (its MOD at another level moves it, kept
    apart or not: attack round 45c, 1). The level of an echo kept apart before it was ever traced
    (another agency's narrower record, its values in its own statement) stays as it is: the
    owner's record of the link dropped it, so the owner's load rewrote a link it had said the
    same of, and its summary told it of a record it may not read (attack round a-110, 4)."""
    owner, had = record.get("owner"), list(stored.get("echoLevels") or [])
    if not owner:
        return None
    after = echoes_after(stored, record)
    echoes = set(after if after is not None else stored.get("echoes") or ())
    levels = {e.split(" ", 2)[-1]: e for e in had}
    shared = ",".join(sorted(str(a) for a in record.get("sharedWith") or ())) or "-"
    for key in dict.fromkeys(f"{owner} {s}" for s in record.get("sources") or ()):
        if key in echoes:
            levels[key] = f"{record.get('tlp')} {shared} {key}"
    now = list(levels.values())
    return now if now != had else None


def refused_echo_levels(stored: Mapping[str, Any], record: Mapping[str, Any]) -> list[str] | None:
    """The relationship ``stored``'s ``echoLevels`` once a record ``record`` of an agency echoing
    it is refused (its agency may not see the link, or the record would disclose: nothing of it is
    merged), or None when they stay as they are. The record still says that agency's echo is no
    wider: before, the refusal came first, and the owner's DEL handed the link over at the echo's
    older, wider level (attack round 47, 2). Being refused, it never widens the echo either: each
    echo of that agency it names takes the strictest of its level and the record's. Only echoes
    traced already move (a refused record adds no source); one kept before levels were stays
    without (the link then stays its owner's: :func:`echo_owner`)."""
    owner, had = record.get("owner"), list(stored.get("echoLevels") or [])
    if not owner or not had:
        return None
    echoes = set(stored.get("echoes") or ())
    levels = {e.split(" ", 2)[-1]: e for e in had}
    said = (record.get("tlp"), sorted(str(a) for a in record.get("sharedWith") or ()))
    for key in dict.fromkeys(f"{owner} {s}" for s in record.get("sources") or ()):
        if key in echoes and key in levels:
            tlp, shared, _ = levels[key].split(" ", 2)
            tlp, agencies = _strictest(str(owner), (tlp, [a for a in shared.split(",") if a != "-"]), said)
            levels[key] = f"{tlp} {','.join(agencies) or '-'} {key}"
    now = list(levels.values())
    return now if now != had else None


async def narrow_unseen_echoes(store: GraphStore, rel_type: str, records: Mapping[str, Mapping[str, Any]],
                               batch_size: int) -> int:
    """Move the echo levels of the stored relationships of ``rel_type`` that records ``records``
    (id -> the record's properties) left dangling, as :func:`refused_echo_levels` moves a refused
    one's: an end their agency may not see answers as missing, so the stored link never came back
    to the writer (47, 2's class: KH-NP's MOD at RED of p-1 left TH-DSI's MOD at RED of m-1
    dangling, its echo GREEN, and m-1 was handed over at GREEN). Returns the batches written."""
    ids = sorted(rid for rid, rec in records.items() if rec.get("owner"))
    moves = []
    for i in range(0, len(ids), batch_size):
        for r in await store.read("ingest/existing_relationships", {"ids": ids[i:i + batch_size]}, type=rel_type):
            levels = refused_echo_levels(r["props"] or {}, records[str(r["id"])])
            if levels is not None:
                moves.append({"id": r["id"], "echoLevels": levels or None})
    return (await store.write_batches("ingest/set_echo_levels", moves, batch_size, type=rel_type)).batches \
        if moves else 0


async def narrow_refused_links(store: GraphStore, records: list[Any], source: str, prov: Any,
                               batch_size: int) -> int:
    """:func:`narrow_unseen_echoes` for link records (``EdgeRecord``) of rows refused whole before
    they came to the writer (a label conflict beside them), stamped as a load of ``source`` under
    ``prov`` stamps them (attack round 49). Returns the batches written."""
    by_type: dict[str, dict[str, Mapping[str, Any]]] = {}
    for rec in records:
        by_type.setdefault(rec.type, {})[rec.id] = stamp(rec.properties, rec.origin.source if rec.origin else source,
                                                         prov)
    return sum([await narrow_unseen_echoes(store, t, recs, batch_size) for t, recs in sorted(by_type.items())])


def _strictest(agency: str, was: tuple[Any, list[str]], said: tuple[Any, list[str]]) -> tuple[Any, list[str]]:
    """Of two levels (tlp, sharedWith) ``agency`` said, the one seen by no agency the other is not;
    neither: AMBER shared with the agencies both share it with (RED when none)."""
    seen_was, seen_said = audience(was[0], agency, was[1]), audience(said[0], agency, said[1])
    if reaches_all(seen_was, seen_said):
        return said
    if reaches_all(seen_said, seen_was):
        return was
    both = sorted((seen_was or frozenset()) & (seen_said or frozenset()) - {agency})
    return ("AMBER", both) if both else ("RED", [])


def echoed(props: Mapping[str, Any]) -> set[str]:
    """The sources of relationship ``props`` only other agencies than its owner named."""
    owner, echoes = props.get("owner"), props.get("echoes") or ()
    return {_source(e) for e in echoes if _agency(e) != owner} - {_source(e) for e in echoes if _agency(e) == owner}


def _withdrawn(src: str, source: str) -> bool:
    return src == source or src.startswith(source + ":")


def echo_owner(props: Mapping[str, Any], source: str) -> dict[str, Any] | None:
    """The owner and level relationship ``props`` (no statement) takes once its owner's DEL of
    ``source`` withdrew it, or None when it stays its owner's: every source left is another
    agency's echo, with its level known. The widest of those echoes' levels wins; alike ones go by
    the order they were echoed in (the order of their loads), never by agency or source names or
    a record's own claims (attack round 44a, 2). An echo written before its level was kept has
    none: the link stays as it was then."""
    owner, sources = props.get("owner"), [str(s) for s in props.get("sources") or ()]
    echoes = list(props.get("echoes") or ())
    others = [e for e in echoes if _agency(e) != owner and e.split(" ", 1)[-1] in sources]
    theirs = {_source(e) for e in others}
    mine = {_source(e) for e in echoes if _agency(e) == owner}
    # a source of its owner's left: untraced (its own), or traced as its own too, and not the DEL's
    if not others or any(not _withdrawn(s, source) and (s not in theirs or s in mine) for s in sources):
        return None
    levels = {e.split(" ", 2)[-1]: e.split(" ", 2) for e in props.get("echoLevels") or ()}
    picks = []
    for e in others:
        if e not in levels:
            return None
        tlp, shared, _ = levels[e]
        shared_with = sorted(a for a in shared.split(",") if a and a != "-")
        seen = audience(tlp, _agency(e), shared_with)
        picks.append(((seen is not None, -len(seen or ()), echoes.index(e)),
                      {"owner": _agency(e), "tlp": tlp, "sharedWith": shared_with or None}))
    level = min(picks, key=lambda p: p[0])[1]
    seen = audience(level["tlp"], level["owner"], level["sharedWith"])
    # its old owner may not read it: held apart, as a node re-owned out of its owner's sight
    return {**level, "heldApart": True if seen is not None and owner not in seen else None}


async def reown_to_echoes(store: GraphStore, rel_type: str, ids: list[str], *, source: str, owner: str,
                          scoped: bool, before: Callable[[dict[str, tuple[str, str]]], Awaitable[Any]] | None = None,
                          ) -> dict[str, tuple[str, frozenset[str] | None]]:
    """Re-own the relationships ``ids`` of ``rel_type`` that hold no statement and whose owner's
    DEL of ``source`` (for ``owner``, ``scoped`` as in ``ingest/retract_relationships``) left
    only other agencies' echoes (:func:`echo_owner`); returns them as
    :func:`graphapi.ingest.relevel.relevel` does (owner before, agencies that see them now).
    ``before(ends)`` is awaited with those it is about to re-own (id -> stored ``(start, end)``),
    before the write: the breaker's note of the identifiers they may widen (killed after the
    write, the finish finds them re-owned already and re-owns nothing: attack round a-86, 1)."""
    if not ids:
        return {}
    stated = {str(r["props"]["entity"]) for r in await store.read("provenance/statements_of", {"ids": ids})}
    rows, out, ends = [], {}, {}
    for r in await store.read("ingest/existing_relationships", {"ids": ids}, type=rel_type):
        props = r["props"] or {}
        if r["id"] in stated or not (scoped or props.get("owner") == owner):
            continue
        level = echo_owner(props, source)
        if level is None:
            continue
        rows.append({"id": r["id"], **level})
        ends[str(r["id"])] = (str(r["start"]), str(r["end"]))
        out[r["id"]] = (str(props.get("owner") or ""), audience(level["tlp"], level["owner"], level["sharedWith"]))
    if rows:
        if before is not None:
            await before(ends)
        await store.write("ingest/relevel_relationships", {"rows": rows}, type=rel_type)
    return out
