"""What a blind load's agency is told when one of its sources withdraws what it said of a guess
(a DEL, a replace no longer stating it, a colleague's DEL under the same source): as of the wrong
guess's item its :data:`~graphapi.ingest.blind_shadow.BLIND_SHADOW` is (attack rounds a-67, 3 and
a-72, 7), the shadow and the agency's marks settled so a later guess is told as that item would be.
Split from :mod:`graphapi.ingest.blind_shadow`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphapi.ingest.blind_kept_marks import kept_marks
from graphapi.ingest.blind_replace import fold, retract_shadowed, told_withdrawn, untold, unwritten_statements
from graphapi.ingest.blind_shadow import (
    BLIND_SHADOW,
    TOLD_DELETED,
    made_alone,
    read_shadow,
    said_in,
    withdrawn,
    write_shadows,
)
from graphapi.ingest.blind_values import BLIND_SAID, marked_agencies, source_agency
from graphapi.ingest.retraction import Retractions


async def settle_blind_deletes(writer: Any, blind: Mapping[str, Mapping[str, Any]]
                               ) -> tuple[int, int, dict[str, list[str]]]:
    """What a victim-blind ``writer``'s DELs of its load's own victims' items (``blind``: id ->
    stored props, :func:`~graphapi.ingest.blind_values.blind_deletes`) are told, as of the wrong
    guess's item their :data:`BLIND_SHADOW` is: none if the DEL's source never said it (a DEL of a
    missing node); retracted if another source of the agency said it too (the shadow keeps the
    others: a-67, 3); else deleted, the agency's mark taken out, so a later guess is told created
    again. Returns ``(deleted, retracted, gone)``, ``gone`` the ids told deleted by DEL source. An
    item with no shadow (marked before a-67) is told deleted if its source is in its ``sources`` or
    its agency marked."""
    deleted = retracted = 0
    shadows: list[dict[str, Any]] = []
    unmark: dict[str, list[str]] = {}
    for src, ids in writer._delete_nodes.items():
        for i in ids:
            props = blind.get(i)
            if props is None:
                continue
            text = props.get(BLIND_SHADOW)
            shadow = read_shadow(props)
            if shadow is not None:
                if not said_in(src, shadow[1].get("sources") or ()):
                    continue
                left = withdrawn(str(text), src)
                if left is not None:
                    retracted += 1
                    shadows.append({"id": i, "shadow": left})
                    continue
            elif src not in (props.get("sources") or ()) and source_agency(src) not in marked_agencies(
                    props.get(BLIND_SAID)):
                continue
            deleted += 1
            unmark.setdefault(src, []).append(i)
    await write_shadows(writer, shadows)
    for src, ids in unmark.items():
        await writer.store.write("ingest/remove_blind_said", {"ids": ids, "source": src, "agency": source_agency(src)})
    return deleted, retracted, unmark


async def withdraw_shadowed_links(writer: Any, gone: Mapping[str, list[str]]) -> Retractions:
    """The links of the guesses a blind DEL was told deleted (``gone``: DEL source -> ids,
    :func:`settle_blind_deletes`) that its source's blind records said (their shadows): the wrong
    guess's links go with its item, so each is told deleted or retracted as its shadow says, its
    shadow gone with it, so a reload tells it created (attack round a-75, 2). The stored link
    (the victim's) loses the source's statement where a blind load alone made it, as the wrong
    guess's link did (a-84, 2 to 4: left there, told deleted, it was told deleted again by a DEL of
    the link's other end, taken by feed-a's replace after feed-b said the link, and kept the
    feed's own person alive after both let it go). It keeps a statement its source held before a
    blind record said it (a colleague's with victim-data under the shared feed: the link shadow's
    :data:`~graphapi.ingest.blind_shadow.HELD_BEFORE`; none then, a replace telling it as the wrong
    guess is told of the colleague's own link: a-84, 1), and one saying a victim's mark
    (:mod:`~graphapi.ingest.blind_kept_marks`; a-77, 1: a blind DEL took a colleague's, unmarking
    the victim), which keeps :data:`TOLD_DELETED`, so a later replace tells nothing of it (a-77, 2)."""
    out = Retractions()
    for src, ids in gone.items():
        shadowed: dict[str, dict[str, str]] = {}
        rows = []
        for i in range(0, len(ids), writer.batch_size):
            for row in await writer.store.read("ingest/blind_shadow_links", {"ids": ids[i:i + writer.batch_size],
                                                                             "source": src}):
                if told_withdrawn(str(row["shadow"]), src, link=True)[0] is not None:
                    shadowed.setdefault(str(row["type"]), {})[str(row["id"])] = str(row["shadow"])
                    rows.append(row)
        # every such link's statements are told as its shadow's, none as the stored ones
        unwritten = unwritten_statements(writer.model, [{**r, "stated": False} for r in rows], src)
        marks = await kept_marks(writer.store, rows, {}, source=src, owner=writer.prov.owner, scoped=writer.scoped,
                                 batch_size=writer.batch_size)
        alone = {str(r["id"]) for r in rows if r["stated"] and made_alone(str(r["shadow"]), src)
                 and r["id"] not in marks.get(str(r["type"]), ())}
        taken = {t: {i: text for i, text in links.items() if i in alone} for t, links in shadowed.items()}
        left = {t: {i: text for i, text in links.items() if i not in alone} for t, links in shadowed.items()}

        async def retract(links: dict[tuple[str, str], list[str]]) -> Retractions:
            return untold(await writer._retract({}, links))
        out = fold(out, await retract_shadowed(writer.store, {t: v for t, v in taken.items() if v}, src, retract,
                                               writer.batch_size, unwritten))
        out = fold(out, await retract_shadowed(writer.store, {t: v for t, v in left.items() if v}, src, _untouched,
                                               writer.batch_size, unwritten, gone=TOLD_DELETED))
    # the guesses told deleted lose their shadows last (their marks went first): the same DEL again
    # was told deleted again by them (a-90, 10); killed before, the rerun still finds its links
    told = sorted({i for ids in gone.values() for i in ids})
    if told:
        await writer.store.write_batches("ingest/set_blind_shadow", [{"id": i, "shadow": None} for i in told],
                                         writer.batch_size)
    return out


async def settle_colleague_deletes(writer: Any) -> Retractions:
    """A DEL by a load with victim-data (not blind) of items its agency's blind loads said under
    the same source: their :data:`BLIND_SHADOW` and marks lose the source as a blind DEL's would
    (:func:`settle_blind_deletes`, its counts not told: the load reads the items themselves), so a
    blind reload is told as of the wrong guess's item the DEL deleted (attack round a-72, 7), and
    of its links the blind loads said (:func:`withdraw_shadowed_links`, its counts not told either:
    said again, one was told unchanged to a right guess and created to a wrong one, a-84, 7).
    Returns what it did of those links, for the breaker's count of what it re-owned (a-89, 1)."""
    ids = sorted({i for ids in writer._delete_nodes.values() for i in ids})
    said: dict[str, dict[str, Any]] = {}
    for i in range(0, len(ids), writer.batch_size):
        for row in await writer.store.read("ingest/existing_nodes", {"ids": ids[i:i + writer.batch_size]}):
            props = row["props"] or {}
            if props.get(BLIND_SHADOW) or props.get(BLIND_SAID):
                said[str(row["id"])] = props
    if not said:
        return Retractions()
    # and the links its blind loads said of those told deleted, as a blind DEL's (a-84, 7)
    return await withdraw_shadowed_links(writer, (await settle_blind_deletes(writer, said))[2])


def unmarked(source: str, rows: list[dict[str, Any]]) -> list[str]:
    """Of a replace's no longer stated items its agency's blind loads were told of (rows ``{id,
    shadow}`` of ``ingest/source_node_ids``), those whose agency mark goes: the wrong guess's
    item only ``source`` said (or, with no shadow, marked before a-67). One another source of the
    agency said too keeps it (its shadow loses ``source``: :func:`write_withdrawn`); one
    ``source`` never said is left as it is (a-67, 3)."""
    out = []
    for r in rows:
        text = r.get("shadow")
        shadow = read_shadow({BLIND_SHADOW: text}) if text else None
        if shadow is None or (said_in(source, shadow[1].get("sources") or ()) and withdrawn(str(text), source) is None):
            out.append(str(r["id"]))
    return out


async def write_withdrawn(store: Any, source: str, rows: list[dict[str, Any]], batch_size: int) -> None:
    """Take ``source`` out of the shadows of ``rows`` (``ingest/source_node_ids``'s, its replace no
    longer states) that another source of the agency said too (:func:`unmarked`)."""
    out = []
    for r in rows:
        text = r.get("shadow")
        if text:
            shadow = read_shadow({BLIND_SHADOW: text})
            left = withdrawn(str(text), source) if shadow and said_in(source, shadow[1].get("sources") or ()) else None
            if left is not None:
                out.append({"id": r["id"], "shadow": left})
            elif shadow and said_in(source, shadow[1].get("sources") or ()):  # told deleted, its mark gone:
                out.append({"id": r["id"], "shadow": None})  # a DEL of it after is told nothing (a-90, 10)
    if out:
        await store.write_batches("ingest/set_blind_shadow", out, batch_size)


async def _untouched(_links: dict[tuple[str, str], list[str]]) -> Retractions:
    """A blind DEL's retraction of its guesses' stored links: none (see withdraw_shadowed_links)."""
    return Retractions()
