"""Co-travel: who crossed the same border checkpoint, in the same direction, close in time to a
person, on how many occasions.

Two statements, visibility in both: the person's own crossings (``analytics/crossings_of``),
then, for each, the other crossings of that checkpoint in that direction within ``window`` hours
either side (``analytics/crossings_near``). The window is computed here, so both backends compare
the same UTC text. An occasion is one of the person's crossings: a traveller seen twice around
the same crossing counts once.

The second statement's work is the occasions times the crossings of their checkpoints (each
occasion scans its checkpoint's crossings; its ``ORDER BY`` reads every match before ``LIMIT``),
so :data:`ROW_CAP` alone did not bound it: a busy checkpoint held a store thread for the whole
statement timeout. The occasions are sent :data:`OCCASIONS_PER_READ` at a time, oldest first, and
reading stops once :data:`ROW_CAP` co-crossings are in (``truncated``): the rows kept are the same
as one statement's (ordered by occasion first). A checkpoint busy enough that few occasions pass
the timeout still answers ``TIMEOUT`` (narrow ``checkpoints`` or ``window``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from graphapi.errors import InvalidArgument
from graphapi.investigate.analytics_common import fetch_relationships
from graphapi.investigate.args import check_range
from graphapi.investigate.entities import get_node, get_nodes
from graphapi.investigate.shown_order import shown_id, shown_ids
from graphapi.security import Principal
from graphapi.security.redaction import may_see_victims
from graphapi.store import GraphStore, Node, Relationship

MAX_WINDOW_HOURS = 168
#: The person's crossings looked at, at most (the most recent are not preferred: oldest first).
MAX_CROSSINGS = 500
#: Co-crossings read at most: a checkpoint this busy within the window is a crowd, not a lead.
ROW_CAP = 20_000
#: Occasions per ``analytics/crossings_near`` statement (see the module docstring).
OCCASIONS_PER_READ = 50
MAX_LIMIT = 100


@dataclass(frozen=True)
class Occasion:
    """One of the person's crossings and the traveller's crossing(s) within the window of it."""

    crossing: Relationship
    theirs: tuple[Relationship, ...]


@dataclass(frozen=True)
class CoTraveller:
    """A traveller and the occasions they crossed with the person, oldest first."""

    person: Node
    occasions: tuple[Occasion, ...]


@dataclass(frozen=True)
class CoTravel:
    """Co-travellers, most occasions first, then by the id shown (a victim by its token);
    ``truncated`` if a budget cut."""

    travellers: list[CoTraveller]
    truncated: bool


async def co_travellers(
    store: GraphStore,
    principal: Principal,
    person_id: str,
    window: float = 2,
    checkpoints: Sequence[str] | None = None,
    min_occurrences: int = 2,
    limit: int = 50,
) -> CoTravel:
    """People who crossed a checkpoint in the same direction within ``window`` hours (0 < w <= 168)
    of the visible person ``person_id``, on at least ``min_occurrences`` (1..100) occasions;
    ``checkpoints`` limits the checkpoints; ``limit`` 1..100 travellers. Raises NotFound (unknown
    or hidden person) and InvalidArgument."""
    if not 0 < window <= MAX_WINDOW_HOURS:
        raise InvalidArgument(f"window must be more than 0 and at most {MAX_WINDOW_HOURS} hours, got {window}")
    check_range("minOccurrences", min_occurrences, 1, 100)
    check_range("limit", limit, 1, MAX_LIMIT)
    person = await get_node(store, principal, person_id)
    masked = not may_see_victims(principal)
    if "Person" not in person.labels:
        raise InvalidArgument("personId must name a person")
    own = await store.read(
        "analytics/crossings_of",
        {"id": person.id, "checkpoints": list(checkpoints) if checkpoints is not None else None,
         "limit": MAX_CROSSINGS + 1, "masked": masked, **principal.cypher_params()},
    )
    # The caps keep rows by the ids shown: a victim traveller, and their crossings, by token.
    own.sort(key=lambda c: (c["at"], shown_id(c["id"], c["hidden"])))
    truncated = len(own) > MAX_CROSSINGS
    own = own[:MAX_CROSSINGS]
    span = timedelta(hours=window)
    occasions = []
    for key, c in enumerate(own):
        try:
            at = datetime.fromisoformat(str(c["at"]))
        except ValueError:  # not an instant (a bare date): no window to speak of
            continue
        occasions.append({"key": key, "checkpoint": c["checkpoint"], "direction": c["direction"],
                          "low": (at - span).isoformat(timespec="seconds"),
                          "high": (at + span).isoformat(timespec="seconds")})
    rows = await _crossings_near(store, principal, person.id, occasions, masked)
    rows.sort(key=lambda r: (r["key"], r["hidden"], shown_id(r["traveller"], r["hidden"]),
                             shown_id(r["crossing"]["id"], r["hidden"])))
    truncated = truncated or len(rows) > ROW_CAP
    rows = rows[:ROW_CAP]
    seen: dict[str, dict[int, list[tuple[str, str, str]]]] = {}
    for r in rows:
        x = r["crossing"]
        seen.setdefault(r["traveller"], {}).setdefault(int(r["key"]), []).append((x["id"], x["start"], x["end"]))
    # Ties (and so who a cut at `limit` keeps) by the ids the reader is shown: a victim
    # traveller by its token (graphapi.investigate.shown_order), never by its stored id.
    shown = await shown_ids(store, principal, seen)
    ranked = sorted(((t, k) for t, k in seen.items() if len(k) >= min_occurrences),
                    key=lambda item: (-len(item[1]), shown.node(item[0])))
    if len(ranked) > limit:
        truncated, ranked = True, ranked[:limit]
    wanted = [(own[k]["id"], person.id, own[k]["checkpoint"]) for _, keys in ranked for k in keys]
    wanted += [x for _, keys in ranked for xs in keys.values() for x in xs]
    rels = {r.id: r for r in await fetch_relationships(store, principal, wanted)}
    people = await get_nodes(store, principal, [t for t, _ in ranked])
    travellers = [
        CoTraveller(people[t], tuple(
            Occasion(rels[own[k]["id"]], tuple(rels[x[0]] for x in xs if x[0] in rels))
            for k, xs in sorted(keys.items()) if own[k]["id"] in rels
        ))
        for t, keys in ranked if t in people
    ]
    return CoTravel(travellers=travellers, truncated=truncated)


async def _crossings_near(store: GraphStore, principal: Principal, person_id: str,
                          occasions: list[dict], masked: bool) -> list[dict]:
    """The co-crossings of ``occasions`` in their order, read :data:`OCCASIONS_PER_READ` at a
    time until more than :data:`ROW_CAP` are in."""
    rows: list[dict] = []
    for start in range(0, len(occasions), OCCASIONS_PER_READ):
        if len(rows) > ROW_CAP:
            break
        rows += await store.read(
            "analytics/crossings_near",
            {"occasions": occasions[start:start + OCCASIONS_PER_READ], "personId": person_id,
             "limit": ROW_CAP + 1 - len(rows), "masked": masked, **principal.cypher_params()},
        )
    return rows
