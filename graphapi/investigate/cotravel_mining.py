"""Co-travel groups' mining: the closed sets of the pieces' travellers, each group's pieces as a bit
mask, which neighbouring pieces are one occasion, and the groups a larger one covers (see
:mod:`graphapi.investigate.cotravel_groups`). Pure CPU, run off the event loop; every step counted
against a :class:`Work` budget so a request cannot hold a worker."""

from __future__ import annotations

from datetime import timedelta

from graphapi.investigate.cotravel_pieces import Crossing

Found = tuple[frozenset[str], int, int, int]  # group, its pieces (bits), its occasions, pieces joined


class Work:
    """Steps done against one bound: :meth:`spend` says whether the bound still holds."""

    def __init__(self, bound: int) -> None:
        self.bound, self.done = bound, 0

    def spend(self, steps: int) -> bool:
        """Count ``steps``; False once more than ``bound`` are done."""
        self.done += steps
        return self.done <= self.bound


def closed_groups(people: list[frozenset[str]], min_size: int, work: Work,
                  max_candidates: int) -> tuple[list[frozenset[str]], bool]:
    """Every intersection of some of ``people`` with at least ``min_size`` members (the closed
    sets), in the order found, and whether ``max_candidates`` or ``work`` stopped the search. In
    order, not a set's: where a bound stops must not depend on the process's hash seed (two
    workers gave two answers to one request: attack round a-61, 4)."""
    closed: dict[frozenset[str], None] = {}
    for travellers in people:
        # an intersection costs up to the occasion's size: counted so, a busy checkpoint's big
        # groups spend the budget as fast as they spend the CPU (attack round 3, G6)
        if not work.spend((len(closed) + 1) * len(travellers)):
            return list(closed), True
        for shared in [travellers, *(g & travellers for g in closed)]:
            if len(shared) >= min_size and shared not in closed:
                closed[shared] = None
                if len(closed) > max_candidates:
                    return list(closed)[:max_candidates], True
    return list(closed), False


def masks(people: list[frozenset[str]], wanted: set[str]) -> dict[str, int]:
    """Each wanted traveller's occasions as the bits of an int, built from bytes in one pass (an
    ``|= 1 << i`` per occasion copies the whole int each time: quadratic)."""
    where: dict[str, list[int]] = {}
    for i, p in enumerate(people):
        for t in p & wanted:
            where.setdefault(t, []).append(i)
    out = {}
    for t, on in where.items():
        raw = bytearray(on[-1] // 8 + 1)
        for i in on:
            raw[i >> 3] |= 1 << (i & 7)
        out[t] = int.from_bytes(raw, "little")
    return out


def set_bits(bits: int):
    """The positions of ``bits``' set bits, lowest first: one step per set bit (a scan of every
    position up to ``bit_length`` shifted the whole int each time: quadratic, attack round 4, H4)."""
    while bits:
        low = bits & -bits
        yield low.bit_length() - 1
        bits ^= low


def same_occasion(group: frozenset[str], bits: int, runs: list[list[Crossing]], overlaps: int,
                  window: timedelta) -> int:
    """Bit i set: the group's occasions i and i + 1 are one, counted once: neighbouring pieces
    holding a member crossing of both (the group crossed in the half they share), or whose member
    crossings together span at most ``window`` (two passes within one window are one occasion, as
    in a quiet run, wherever the clock cuts between them: attack round a-61, 3)."""
    same = 0
    for i in set_bits(bits & (bits >> 1) & overlaps):
        mine = [c for c in runs[i] if c.traveller in group]
        theirs = [c for c in runs[i + 1] if c.traveller in group]
        if {c.id for c in mine} & {c.id for c in theirs} or \
                max(c.at for c in theirs) - min(c.at for c in mine) <= window:
            same |= 1 << i
    return same


def neighbours_cost(bits: int, runs: list[list[Crossing]], overlaps: int) -> int:
    """What :func:`same_occasion` walks for a group in pieces ``bits``: the two pieces' sizes of
    each neighbouring pair compared."""
    return sum(len(runs[i]) + len(runs[i + 1]) for i in set_bits(bits & (bits >> 1) & overlaps))


def occasion_indices(bits: int, same: int) -> list[list[int]]:
    """The group's occasions, each the piece indices it was seen in (neighbours joined by ``same``)."""
    occasions: list[list[int]] = []
    for i in set_bits(bits):
        if occasions and same >> (i - 1) & 1 and occasions[-1][-1] == i - 1:
            occasions[-1].append(i)
        else:
            occasions.append([i])
    return occasions


def largest(found: list[Found], overlaps: int, work: Work) -> tuple[list[Found], bool]:
    """``found`` less each group a larger one crossed with on every one of its occasions (closed
    sets of pieces, not of occasions: a group crossing across two neighbouring pieces is closed
    in one of them alone, by fewer people), and whether ``work`` stopped the comparisons.
    Groups that met no neighbouring pieces are closed already. Every occasion, not as many: a
    partner's larger group on one visit seen twice took the place of the real group's two
    (attack round a-61, 1)."""
    by_member: dict[str, list[int]] = {}
    for k, (group, *_) in enumerate(found):
        for t in group:
            by_member.setdefault(t, []).append(k)
    kept: list[Found] = []
    for group, bits, count, same in found:
        if bits & overlaps:
            # any member's list holds every larger group: the shortest, ties by id (a bound's stop
            # must not depend on the hash seed)
            rivals = by_member[min(sorted(group), key=lambda t: len(by_member[t]))]
            occasions = [sum(1 << i for i in o) for o in occasion_indices(bits, same)]
            if not work.spend(len(rivals) * len(occasions)):
                return found, True
            if any(group < found[k][0] and found[k][2] >= count and all(o & found[k][1] for o in occasions)
                   for k in rivals):
                continue
        kept.append((group, bits, count, same))
    return kept, False
