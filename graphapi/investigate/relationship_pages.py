"""A node's relationships, page by page (``Entity.relationships``): oldest first on a keyset
cursor of (time, relationship id as shown), forward or backward, with the count of every visible
match. Only what the principal may see is walked and counted: every relationship and far node is
checked inside the Cypher (``visible`` fragment); one touching a victim the reader may not see is
shown by its token, in the cursor too.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from graphapi.errors import InvalidArgument
from graphapi.investigate import cursors
from graphapi.investigate.args import (
    check_relationship_types,
    check_time_range,
)
from graphapi.investigate.paging import page_request
from graphapi.security import Principal
from graphapi.security.redaction import may_see_victims
from graphapi.security.victim_ids import victim_ids
from graphapi.store import GraphStore, Node, Relationship
from graphapi.store.records import node_from_map, relationship_from_map

MAX_FIRST = 100
#: Hidden relationships (shown as tokens) that could fall on a page come whole at most; past it
#: their ids alone, and the page's own rows in a second round trip (a victim's phone with 16,000
#: calls shipped all of them with their properties on every page: attack round 4, H6).
HIDDEN_INLINE = 200
DIRECTIONS = ("OUT", "IN", "BOTH")


@dataclass(frozen=True)
class RelationshipEdge:
    """A relationship seen from one node: the far node, and ``direction`` OUT or IN;
    ``other_protected``: whether the far node is protected for the reader, if the statement said."""

    relationship: Relationship
    other: Node
    direction: str
    cursor: str
    other_protected: bool | None = None


@dataclass(frozen=True)
class RelationshipPage:
    """One page of a node's relationships, oldest first (see :func:`relationships_of`); ``total``
    counts every visible match of the filters (all pages); ``has_previous``: a backward page has
    more before it, or a forward page started after a cursor; ``protected``: whether the node
    itself is protected for the reader, if the statement said."""

    edges: list[RelationshipEdge]
    has_next: bool
    end_cursor: str | None
    total: int
    protected: bool | None = None
    has_previous: bool = False


def encode_cursor(time: str, rel_id: str, hidden: bool = False) -> str:
    """Opaque keyset cursor for (time, relationship id as shown), the id encrypted
    (``graphapi.security.victim_ids``): a relationship id hashes its endpoints' ids, which may
    spell a victim's name or number. ``hidden``: the relationship touches an entity protected
    for the reader, so the id shown is its token (the very text the cursor holds)."""
    return cursors.encode("rel", json.dumps([time, victim_ids().opaque(rel_id), hidden]))


def decode_cursor(cursor: str | None, argument: str = "after") -> tuple[str | None, str | None]:
    """``(time, relationship id as shown)`` in a cursor (``(None, None)`` for None); the id shown
    is a token for a hidden relationship. InvalidArgument (naming ``argument``) if not one of ours."""
    if cursor is None:
        return None, None
    time, token, hidden = cursors.decode_fields("rel", cursor, 3) or (None, None, None)
    rel_id = victim_ids().resolve(token) if isinstance(token, str) else token
    if not isinstance(time, str) or not isinstance(rel_id, str) or rel_id == token or not isinstance(hidden, bool):
        raise InvalidArgument(f"{argument} is not a valid relationship cursor")
    return time, token if hidden else rel_id


def _page_order(shown: list[dict], hidden: list[tuple[str, str]], cursor: tuple[str, str] | None,
                backward: bool = False) -> list[tuple[tuple[str, str], str, dict | None, bool]]:
    """The rows a page may hold in paging order, keyed (time, id shown): the ``shown`` rows by
    their id, the ``hidden`` ones ([id, time]) by their token (each worked out once), those at or
    before the ``cursor`` dropped (at or after it, newest first, when ``backward``): (key, stored
    id, the row if it came whole, hidden?)."""
    token = victim_ids().opaque
    keyed = [((str(x["time"]), x["rel"]["id"]), x["rel"]["id"], x, False) for x in shown]
    keyed += [((str(time), token(rel_id)), rel_id, None, True) for rel_id, time in hidden]
    kept = (k for k in keyed if cursor is None or (k[0] < cursor if backward else k[0] > cursor))
    return sorted(kept, key=lambda k: k[0], reverse=backward)


async def relationships_of(
    store: GraphStore,
    principal: Principal,
    ids: Sequence[str],
    types: Sequence[str] | None = None,
    direction: str = "BOTH",
    since: str | None = None,
    until: str | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> list[RelationshipPage]:
    """One page of visible relationships per node id (in the order of ``ids``), in one round trip
    (two when many relationships shown as tokens could fall on a page).

    Oldest first: by the relationship's time, its ``at``, else its ``from``, else its ``to`` (UTC
    ISO 8601 text, compared as text); undated ones last; ties by the id shown, a relationship
    touching an entity protected for the reader by its token (never its stored id, which hashes
    the victim's). ``direction``: OUT, IN or BOTH from the node; ``since``/``until``: inclusive
    ISO 8601 bounds (dates or instants, offsets normalised to UTC; a date as ``until`` covers the
    whole day) on the relationship's date (``at`` for events, the ``from``/``to`` validity for
    facts); ``first``: 1..100 (20 if neither it nor ``last`` is given); ``after``: keyset cursor
    on (time, id shown), stable while data is added; ``last``/``before``: the same backward (the
    ``last`` relationships before ``before``, still oldest first). Ids that are unknown or hidden
    get an empty page. Raises InvalidArgument.
    """
    request = page_request(first, after, last, before, MAX_FIRST)
    first, backward = request.size, request.backward
    if direction not in DIRECTIONS:
        raise InvalidArgument(f"direction must be one of {DIRECTIONS}")
    if not ids:
        return []
    since, until = check_time_range(since, until)
    after_time, after_id = decode_cursor(request.cursor, "before" if backward else "after")
    rows = await store.read(
        "expand/relationships",
        {
            "ids": list(dict.fromkeys(ids)),
            "types": check_relationship_types(types),
            "direction": direction,
            "since": since,
            "until": until,
            "cursorTime": after_time,
            "cursorId": after_id,
            "backward": backward,
            "first": first,
            "masked": not may_see_victims(principal),
            "hiddenInline": HIDDEN_INLINE,
            **principal.cypher_params(),
        },
    )
    # shown rows and hidden ones (by token) merged in (time, id shown) order; when many hidden rows
    # could fall on the page only their ids came back, and the few it holds are read in a second trip
    after_key = (after_time, after_id) if after_time is not None else None
    plans = []  # (row, the page's keyed rows, rows read whole by id, rows past the page?)
    wanted = []
    for row in rows:
        held = {x["rel"]["id"]: x for x in row["rows"] if x["hidden"]}
        hidden = [(i, x["time"]) for i, x in held.items()] + [(i, t) for i, t in row.get("hiddenIds") or []]
        order = _page_order([x for x in row["rows"] if not x["hidden"]], hidden, after_key, backward)
        if missing := [i for _, i, x, _ in order[:first] if x is None and i not in held]:
            wanted.append({"node": row["id"], "ids": missing})
        plans.append((row, order, held, len(order) > first or int(row.get("hiddenMore") or 0) > 0))
    fetched: dict[str, list[dict]] = {}
    if wanted:
        for found in await store.read("expand/relationships_by_ids", {"pages": wanted, **principal.cypher_params()}):
            fetched[found["id"]] = found["rows"]
    pages: dict[str, RelationshipPage] = {}
    for row, order, held, has_next in plans:
        held.update({x["rel"]["id"]: {**x, "hidden": True} for x in fetched.get(row["id"], [])})
        edges = []
        for (time, _), rel_id, item, hidden in order[:first]:
            item = item or held.get(rel_id)
            if item is None:  # hidden between the two reads
                continue
            rel = relationship_from_map(item["rel"])
            direction_seen = "OUT" if rel.start == row["id"] else "IN"
            edges.append(RelationshipEdge(rel, node_from_map(item["node"]), direction_seen,
                                          encode_cursor(time, rel_id, hidden), item.get("far")))
        if backward:
            edges.reverse()  # read newest first from the cursor; shown oldest first like every page
        # past the cursor there is at least the relationship the cursor was read from
        pages[row["id"]] = RelationshipPage(
            edges=edges,
            has_next=request.cursor is not None if backward else has_next,
            end_cursor=edges[-1].cursor if edges else None,
            total=int(row["total"]),
            protected=row.get("protected"),
            has_previous=has_next if backward else request.cursor is not None,
        )
    empty = RelationshipPage(edges=[], has_next=False, end_cursor=None, total=0)
    return [pages.get(i, empty) for i in ids]
