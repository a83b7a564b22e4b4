"""Co-travel groups' mining: the closed sets of the pieces' travellers and each group's pieces as a
bit mask (their occasions, and the groups a larger one covers, are
:mod:`~graphapi.investigate.cotravel_occasions`'; see :mod:`graphapi.investigate.cotravel_groups`).
Pure CPU, run off the event loop; every step counted against a :class:`Work` budget so a request
cannot hold a worker."""

from __future__ import annotations

import threading

from graphapi.investigate.cotravel_pieces import Crossing


class Work:
    """Steps done against one bound: :meth:`spend` says whether the bound still holds, and no
    more once ``stop`` is set (the request was given up: its thread must not run on, attack
    round a-66, 2)."""

    def __init__(self, bound: int, stop: threading.Event | None = None) -> None:
        self.bound, self.done, self.stop = bound, 0, stop

    @property
    def stopped(self) -> bool:
        """Whether the request this work is for was given up."""
        return self.stop is not None and self.stop.is_set()

    def spend(self, steps: int) -> bool:
        """Count ``steps``; False once more than ``bound`` are done or the request is given up."""
        self.done += steps
        return self.done <= self.bound and not self.stopped


class PieceIndex:
    """Pieces of crossings as their travellers' crossings, each piece indexed once, as first met,
    its crossings counted against ``work`` (the occasions of crowded pieces and the listing of
    quiet ones both walk pieces by traveller)."""

    def __init__(self, work: Work) -> None:
        self.work = work
        self._pieces: dict[int, dict[str, list[Crossing]]] = {}

    def of(self, piece: list[Crossing]) -> dict[str, list[Crossing]] | None:
        """``piece``'s crossings by traveller, or None once ``work`` is spent."""
        if id(piece) not in self._pieces:
            if not self.work.spend(len(piece)):
                return None
            by: dict[str, list[Crossing]] = {}
            for c in piece:
                by.setdefault(c.traveller, []).append(c)
            self._pieces[id(piece)] = by
        return self._pieces[id(piece)]


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
