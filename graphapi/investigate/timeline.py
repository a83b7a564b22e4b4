"""Timeline: the dated events of the visible relationships touching some entities, in time order.

One statement per page (``analytics/timeline``, visibility in its Cypher), keyset-paged on
(time, the relationship id the reader is shown, kind) so a cursor stays valid while data is added:
events of one time are ordered by the id shown, a relationship touching a victim by its token
(:mod:`graphapi.investigate.shown_order`), never by its stored id, which hashes the victim's. A
relationship's own event is its ``at`` (calls, transfers, crossings), else its ``from``, else its
``to`` validity date; every other dated property of its type in the ontology (INVOLVED_IN's
``rescued`` and ``repatriated``, SANCTIONED's ``listed``) with a value is an event too, of that
kind (new-user report: a victim's rescue and repatriation were on no timeline).
``exclude_relationship_types`` leaves types out inside the Cypher, checked as in ``syndicates``;
it has no default: a designation (``SANCTIONED``, dated by its ``from``) is an event in an
entity's history, and a timeline lists the entities' own events, so no hub can join them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from graphapi.errors import InvalidArgument
from graphapi.investigate import cursors
from graphapi.investigate.args import check_excluded_types, check_relationship_types, check_time_range
from graphapi.investigate.entities import require_nodes
from graphapi.investigate.paging import page_request
from graphapi.investigate.shown_order import shown_ids
from graphapi.ontology import load_model
from graphapi.security import Principal
from graphapi.security.victim_ids import victim_ids
from graphapi.store import GraphStore, Relationship
from graphapi.store.records import relationship_from_map

MAX_IDS = 100
MAX_FIRST = 100
#: What dates a relationship's own event, the first that has a value.
OWN_TIMES = ("at", "from", "to")
DATED_TYPES = ("date", "datetime")


@cache
def other_dates() -> tuple[tuple[str, str], ...]:
    """(relationship type, property) of each dated property of the ontology besides ``OWN_TIMES``:
    INVOLVED_IN's rescued and repatriated, SANCTIONED's listed; each value is an event of its own."""
    return tuple((rt.name, name) for rt in load_model().relationships.values()
                 for name, prop in rt.properties.items() if prop.type in DATED_TYPES and name not in OWN_TIMES)


@dataclass(frozen=True)
class TimelineEvent:
    """A dated event of a relationship: ``time`` (UTC ISO 8601, partial dates kept), ``kind`` (the
    property that gives it: ``at``, ``from``, ``to``, ``rescued``...) and its keyset cursor."""

    time: str
    relationship: Relationship
    cursor: str
    kind: str


@dataclass(frozen=True)
class TimelinePage:
    """One page of events, oldest first; ``has_next`` if more follow ``end_cursor``,
    ``has_previous`` if more come before the first (a backward page) or it started after a cursor;
    ``total``: every visible event of the filters, all pages."""

    events: list[TimelineEvent]
    has_next: bool
    end_cursor: str | None
    total: int = 0
    has_previous: bool = False


def encode_cursor(time: str, rel_id: str, kind: str) -> str:
    """Opaque keyset cursor for (time, relationship id as shown, kind), the id encrypted
    (``graphapi.security.victim_ids``): a relationship id hashes its endpoints' ids, which may
    spell a victim's name or number (checkable offline against a guessed id)."""
    return cursors.encode("timeline", json.dumps([time, victim_ids().opaque(rel_id), kind]))


def decode_cursor(cursor: str | None, argument: str = "after") -> tuple[str | None, str | None, str | None]:
    """(time, relationship id as shown, kind) in a cursor ((None, None, None) for None);
    InvalidArgument (naming ``argument``) if not ours."""
    if cursor is None:
        return None, None, None
    time, rel_id, kind = cursors.decode_fields("timeline", cursor, 3) or (None, None, None)
    real_id = victim_ids().resolve(rel_id) if isinstance(rel_id, str) else rel_id
    if not isinstance(time, str) or not isinstance(real_id, str) or real_id == rel_id or not isinstance(kind, str):
        raise InvalidArgument(f"{argument} is not a valid timeline cursor")
    return time, real_id, kind


async def timeline(
    store: GraphStore,
    principal: Principal,
    ids: Sequence[str],
    since: str | None = None,
    until: str | None = None,
    relationship_types: Sequence[str] | None = None,
    first: int | None = None,
    after: str | None = None,
    exclude_relationship_types: Sequence[str] | None = None,
    last: int | None = None,
    before: str | None = None,
) -> TimelinePage:
    """A page of the dated events of the visible relationships of ``ids`` (1..100 entity ids),
    oldest first, then by the relationship id shown, then by kind. ``since``/``until``: inclusive
    ISO 8601 bounds; ``first``: 1..100 (20 if neither it nor ``last`` is given); ``after``: a
    cursor of this field; ``last``/``before``: the same backward (still oldest first);
    ``relationship_types`` (None: all) less ``exclude_relationship_types`` (None or ``[]``: none;
    a type in both is InvalidArgument).
    Raises InvalidArgument, and NotFound for an id unknown or hidden (alike)."""
    request = page_request(first, after, last, before, MAX_FIRST)
    size, backward = request.size, request.backward
    if not 1 <= len(ids) <= MAX_IDS:
        raise InvalidArgument(f"ids must hold 1 to {MAX_IDS} ids, got {len(ids)}")
    since, until = check_time_range(since, until)
    types = check_relationship_types(relationship_types)
    excluded = check_excluded_types(exclude_relationship_types, types)
    cursor = decode_cursor(request.cursor, "before" if backward else "after")
    wanted = list(dict.fromkeys(ids))
    await require_nodes(store, principal, wanted)
    [found] = await store.read(
        "analytics/timeline",
        {
            "ids": wanted, "types": types, "excluded": excluded, "dated": [list(d) for d in other_dates()],
            "since": since, "until": until, "cursorTime": cursor[0], "backward": backward, "limit": size + 1,
            **principal.cypher_params(),
        },
    )
    rows = found["events"]
    shown = await shown_ids(store, principal, {e for r in rows for e in (r["rel"]["start"], r["rel"]["end"])})
    keyed = sorted((((str(r["time"]), shown.relationship_id(r["rel"]["id"], r["rel"]["start"], r["rel"]["end"]),
                      str(r["kind"])), r) for r in rows), key=lambda item: item[0], reverse=backward)
    if cursor[0] is not None:
        keyed = [(k, r) for k, r in keyed if (k < cursor if backward else k > cursor)]
    kept = keyed[:size][::-1] if backward else keyed[:size]  # a backward page read newest first
    events = [TimelineEvent(k[0], relationship_from_map(r["rel"]), encode_cursor(*k), k[2]) for k, r in kept]
    more = len(keyed) > size
    # past the cursor there is at least the event the cursor was read from
    return TimelinePage(events=events, has_next=request.cursor is not None if backward else more,
                        end_cursor=events[-1].cursor if events else None, total=int(found["total"]),
                        has_previous=more if backward else request.cursor is not None)
