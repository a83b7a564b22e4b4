"""Co-travel groups' answer: the groups kept, each with its occasions' member crossings, within the
bound on crossings listed, as nodes and relationships (see :mod:`graphapi.investigate.cotravel_groups`)."""

from __future__ import annotations

from dataclasses import dataclass

from graphapi.investigate.cotravel_mining import PieceIndex, Work
from graphapi.investigate.cotravel_occasions import Found, Occasion
from graphapi.investigate.cotravel_pieces import Crossing
from graphapi.investigate.entities import get_nodes
from graphapi.investigate.shown_order import ShownIds
from graphapi.security import Principal
from graphapi.store import GraphStore, Node, Relationship


@dataclass(frozen=True)
class GroupOccasion:
    """One occasion a group crossed on: the checkpoint, direction and the members' crossings."""

    checkpoint: Node
    direction: str | None
    crossings: tuple[Relationship, ...]

    @property
    def first(self) -> str:
        """The earliest member crossing's ``at`` (UTC ISO 8601)."""
        return min(str(c.properties.get("at")) for c in self.crossings)

    @property
    def last(self) -> str:
        """The latest member crossing's ``at`` (UTC ISO 8601)."""
        return max(str(c.properties.get("at")) for c in self.crossings)


@dataclass(frozen=True)
class TravelGroup:
    """A group (members by id) and the occasions they all crossed on, oldest first."""

    members: tuple[Node, ...]
    occasions: tuple[GroupOccasion, ...]


Listed = tuple[frozenset[str], list[list[Crossing]]]  # a group and its occasions' member crossings


def occasion_crossings(group: frozenset[str], occasion: Occasion, runs: list[list[Crossing]],
                       walk: PieceIndex) -> list[Crossing] | None:
    """The members' crossings of one occasion: a crowded run's as it holds them (the members'
    own, from the earliest of their latest crossings to its close: a member's other crossing an
    hour before the group is not listed with it), a quiet run's from its piece, walked once. None
    once the work is spent."""
    if occasion.piece is None:
        return list(occasion.crossings) if walk.work.spend(len(occasion.crossings)) else None
    if (by := walk.of(runs[occasion.piece])) is None:
        return None
    if not walk.work.spend(sum(len(by.get(t, ())) for t in group)):
        return None
    return [c for t in sorted(group) for c in by.get(t, ())]


def listed_occasions(ranked: list[Found], runs: list[list[Crossing]], max_shown: int,
                     work: Work) -> tuple[list[Listed], bool]:
    """The occasions of the groups ``ranked`` (in their order), and whether listing them stopped:
    where their member crossings would pass ``max_shown`` (a busy checkpoint made one answer of
    ~10^5 crossings: G6) or the pieces walked and crossings listed pass ``work`` (they were walked
    whole, once per group and occasion, uncounted on the event loop: 4.5 million crossings for 190
    groups of one quiet run, attack round a-61, 6). The groups from that one are left out. Pure
    CPU: run off the event loop."""
    walk = PieceIndex(work)
    found: list[Listed] = []
    shown_crossings = 0
    for group, _count, occasions in ranked:
        on = []
        for occasion in occasions:
            crossings = occasion_crossings(group, occasion, runs, walk)
            if crossings is None:
                return found, True
            on.append(crossings)
            shown_crossings += len(crossings)
            if shown_crossings > max_shown:
                return found, True
        found.append((group, on))
    return found, False


async def shown_groups(store: GraphStore, principal: Principal, found: list[Listed],
                       shown: ShownIds) -> list[TravelGroup]:
    """The groups as nodes and relationships, fetched in two round trips (visible ones only)."""
    def by_time(crossings: list[Crossing]) -> list[Crossing]:
        return sorted(crossings, key=lambda c: (c.at, shown.relationship_id(c.id, c.traveller, c.checkpoint)))

    listed = [(group, [by_time(occasion) for occasion in on]) for group, on in found]
    wanted = [c for _, occasions in listed for occasion in occasions for c in occasion]
    # the crossings as the visibility statement read them (crossings_between returns their properties)
    rels = {c.id: Relationship(c.id, "CROSSED", c.traveller, c.checkpoint, c.properties) for c in wanted}
    nodes = await get_nodes(store, principal, sorted({x for c in wanted for x in (c.traveller, c.checkpoint)}))
    groups = []
    for group, occasions in listed:
        kept = []
        for occasion in sorted(occasions, key=lambda o: (o[0].at, o[0].checkpoint, o[0].direction)):
            mine = [rels[c.id] for c in occasion if c.id in rels]
            cp = occasion[0].checkpoint
            if mine and cp in nodes:
                kept.append(GroupOccasion(nodes[cp], occasion[0].direction or None, tuple(mine)))
        members = tuple(nodes[m] for m in sorted(group, key=shown.node) if m in nodes)
        groups.append(TravelGroup(members, tuple(kept)))
    return groups
