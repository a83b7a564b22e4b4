"""The search queue's tickets, read from their file names, and the rule deciding whose turn is next
(:mod:`graphapi.investigate.search_queue`): the agency that used the least store time recently, then
its principal likewise, then the oldest ticket; an agency's statements that may run on past their
slot bound how many of them it runs."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass

from graphapi.investigate.search_costs import Costs, decayed

#: An agency's statements of a lane running on in the store after their slot was given back
#: (:meth:`~graphapi.investigate.queue_turn.Turn.outlast`) at most: its next ticket of that lane
#: waits until one ends. The store then runs at most slots + agencies x this many (attack round
#: a-85, 1: FalkorDB counts a statement's limit from when it starts, not when it arrives, and a hung
#: one runs none: one agency had six crossings reads in the store, one slot).
OVERRUNS_PER_AGENCY = 1
#: coTravelGroups' crossings reads (:mod:`graphapi.investigate.cotravel_turns`), whose lane takes
#: turns for the broad slots.
COTRAVEL_LANE = "cotravel"
#: The lanes whose statements may run on past their slot
#: (:meth:`~graphapi.investigate.queue_turn.Turn.outlast`): a statement of them in a slot counts in
#: :data:`OVERRUNS_PER_AGENCY` too, since any of them may turn ``over-`` at its hold; counting the
#: ``over-`` ones alone, with two slots both of one agency's reads in a slot ran on past it (attack
#: round a-88, 2: two of one agency, four reads in the store with two slots).
OUTLASTING_LANES = frozenset({COTRAVEL_LANE})


def hashed(*parts: str | None) -> str:
    """A short file-name-safe stand-in for an agency or principal id."""
    return hashlib.sha256("\0".join(p or "" for p in parts).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Ticket:
    """One search waiting (``wait-``) or running (``run-``) in a lane, read from its file name."""

    name: str
    running: bool
    joined: int  # time.time_ns() when it joined the queue
    agency: str
    principal: str
    lane: str = "broad"
    overrun: bool = False  # ``over-``: its statement runs on in the store, its slot given back

    @classmethod
    def parse(cls, name: str) -> Ticket | None:
        parts = name.removesuffix(".lock").split("-")
        if len(parts) != 7 or parts[0] not in ("wait", "run", "over") or not parts[1].isdigit():
            return None
        return cls(name, parts[0] == "run", int(parts[1]), parts[4], parts[5], parts[6], parts[0] == "over")


def held_back(live: list[Ticket]) -> set[tuple[str, str]]:
    """The (agency, lane) pairs with :data:`OVERRUNS_PER_AGENCY` statements running on past their
    slot or, in :data:`OUTLASTING_LANES`, in one (each may run on past it): their next tickets in
    that lane wait (every lane's decision applies it alike, so a rival lane never picks a ticket its
    own lane would not run)."""
    over = Counter((t.agency, t.lane) for t in live if t.overrun or (t.running and t.lane in OUTLASTING_LANES))
    return {key for key, n in over.items() if n >= OVERRUNS_PER_AGENCY}


def next_turns(waiting: list[Ticket], costs: Costs, turns: int, now: int, charge: float = 0.0) -> list[Ticket]:
    """The ``turns`` tickets of ``waiting`` that run next: the agency that used the least store time
    recently, inside it the principal likewise, then the oldest ticket; each turn given counts
    ``charge`` seconds for the next (a search of a lane uses at least that lane's minimum)."""
    costs, left, chosen = dict(costs), sorted(waiting, key=lambda t: t.joined), []
    while left and len(chosen) < turns:
        agency = min(left, key=lambda t: (decayed(costs, "a" + t.agency, now), t.joined)).agency
        mine = [t for t in left if t.agency == agency]
        ticket = min(mine, key=lambda t: (decayed(costs, "p" + t.principal, now), t.joined))
        chosen.append(ticket)
        left.remove(ticket)
        for key in ("a" + ticket.agency, "p" + ticket.principal):  # unpruned: a tiny charge still counts
            costs[key] = (decayed(costs, key, now) + max(charge, 1e-6), now)
    return chosen


def named(name: str, state: str) -> str:
    """``name``, a ``wait-`` ticket's file name, in ``state`` (``run-``, ``over-``)."""
    return name.replace("wait-", state, 1)
