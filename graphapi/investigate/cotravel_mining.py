"""Co-travel groups' mining: the closed sets of the pieces' travellers and each group's pieces as a
bit mask (their occasions, and the groups a larger one covers, are
:mod:`~graphapi.investigate.cotravel_occasions`'; see :mod:`graphapi.investigate.cotravel_groups`).
Pure CPU, run off the event loop; every step counted against a :class:`Work` budget so a request
cannot hold a worker."""

from __future__ import annotations

import itertools
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import timedelta

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

    @property
    def spent(self) -> bool:
        """Whether a :meth:`spend` has failed (or would: the request was given up)."""
        return self.done > self.bound or self.stopped


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


class MinedPeople:
    """The sets of travellers the groups are the intersections of, in the pieces' order, each once
    (iterate over it): a quiet run's travellers (``people``, those kept, of its piece ``runs``), and
    in a crowded run (``keys``' cell not None) the kept travellers crossing within ``window`` after
    each time a kept one crossed, and within ``window`` before it (:func:`_windows`). Every stretch
    of at most ``window`` is the intersection of the windows after its first crossing and before
    its last, so a group is one whoever else crossed near it. The crowded run's mined pieces, one
    and a half windows long, held anyone within that of the group, and a group spread over more
    than half the window was never one of their intersections: one other person's crossing at a
    busy checkpoint hid it (attack round a-66, 1). Each window built is counted against ``work``;
    once it is spent the sets end and :attr:`cut` says so (a spent budget there ended the sets
    silently, a group lost and ``truncated`` false: attack round a-70, 2).

    :meth:`rest` holds what was not mined where the search stopped: a larger group left
    ungenerated lies in one of its sets."""

    def __init__(self, people: list[frozenset[str]], runs: list[list[Crossing]],
                 keys: list[tuple[int, int | None]], window: timedelta, work: Work) -> None:
        self.window, self.work, self.cut = window, work, False
        self._people = people
        self._crowded: dict[int, dict[str, Crossing]] = {}
        # (None, a quiet piece) or (a crowded run, its first piece)
        self._order: list[tuple[int | None, int]] = []
        for i, (run, cell) in enumerate(keys):
            if cell is None:
                self._order.append((None, i))
                continue
            if run not in self._crowded:
                self._crowded[run] = {}
                self._order.append((run, i))
            self._crowded[run].update((c.id, c) for c in runs[i] if c.traveller in people[i])
        self._at, self._built = 0, 0  # the place in _order being mined, the sets it has built
        self._seen: set[frozenset[str]] = set()  # the sets yielded
        self._last: frozenset[str] | None = None  # the set yielded last (maybe mined in part)

    def __iter__(self) -> Iterator[frozenset[str]]:
        seen = self._seen
        for at, (run, i) in enumerate(self._order):
            self._at, self._built = at, 0
            if run is None:
                sets: Iterable[frozenset[str]] = (self._people[i],)
            else:
                sets = _windows(self._crossings(run), self.window, self.work)
            for travellers in sets:
                self._built += 1
                if travellers not in seen:
                    seen.add(travellers)
                    self._last = travellers
                    yield travellers
            if run is not None and self.work.spent:
                self.cut = True  # _windows stopped: the rest was never built
                return

    def rest(self, work: Work) -> list[frozenset[str]]:
        """The sets not yet mined whole where the mining stopped, each once: the one being mined,
        and those after it not yielded before (a quiet piece's travellers, a crowded run's
        windows from where its mining stopped, built again against ``work``; once it is spent, a
        run's kept travellers instead: each of its windows is among them)."""
        out: dict[frozenset[str], None] = {} if self._last is None else {self._last: None}
        for k, (run, i) in enumerate(self._order[self._at:]):
            if run is None:
                if self._people[i] not in self._seen:
                    out[self._people[i]] = None
                continue
            crossings = self._crossings(run)
            # the window being mined when the search stopped, and those after it
            windows = list(itertools.islice(_windows(crossings, self.window, work),
                                            max(0, self._built - 1) if k == 0 else 0, None))
            if work.spent:
                out[frozenset(c.traveller for c in crossings)] = None
            else:
                out.update(dict.fromkeys(w for w in windows if w not in self._seen))
        return list(out)

    def _crossings(self, run: int) -> list[Crossing]:
        """A crowded run's kept crossings, in time order."""
        return sorted(self._crowded[run].values(), key=lambda c: (c.at, c.id))


def _windows(crossings: list[Crossing], window: timedelta, work: Work) -> Iterator[frozenset[str]]:
    """The travellers crossing within ``window`` after each time of ``crossings`` (in time order),
    then within ``window`` before each, as a window slides over them (each crossing added and
    dropped once, each set built counted as its size); stops once ``work`` is spent."""
    for ahead in (True, False):
        times = [c.at for c in crossings] if ahead else [-(c.at - crossings[0].at) for c in reversed(crossings)]
        ordered = crossings if ahead else crossings[::-1]
        held: Counter[str] = Counter()
        far = 0
        for i, at in enumerate(times):
            if i and times[i - 1] == at:
                continue  # the same window as the crossing before, at the same time
            if i:
                for c in ordered[_first_at(times, i - 1):i]:
                    held[c.traveller] -= 1
                    if not held[c.traveller]:
                        del held[c.traveller]
            start = far
            while far < len(times) and times[far] - at <= window:
                held[ordered[far].traveller] += 1
                far += 1
            if not work.spend(len(held) + far - start):
                return
            yield frozenset(held)


def _first_at(times: list, i: int) -> int:
    """The first index holding ``times[i]``."""
    while i and times[i - 1] == times[i]:
        i -= 1
    return i


def closed_groups(people: Iterable[frozenset[str]], min_size: int, work: Work,
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
