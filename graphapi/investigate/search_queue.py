"""Whose search runs in the store next: one fair queue shared by every API worker on the data
directory (issue 10, attack rounds 29 H1 M2, 30a H1 H2 M1 M2 M5).

A search for a word with tens of thousands of visible matches holds one of the store's query
threads for seconds (the embedded store has two). Bounds per principal or per agency did not cap
them all: two agencies each searching broadly put a third agency's entity read at 2.6 s median,
eight at 13-18 s. So every full-text statement (``search``, ``restrictedHits``) runs in a lane:

* the **quick** lane (``LINTAS_SEARCH_QUICK_SLOTS``, default 1; ``LINTAS_SEARCH_QUICK_MS``, default
  300 ms): a search first runs there under that short time limit; most searches end in it, and
  other reads wait at most that long behind it. Its second slot is taken only while fewer than
  ``LINTAS_SEARCH_SLOTS`` + 1 searches run in both lanes (a broad slot idle): searches in the store
  stay as many as with one quick slot under a broad flood. If the store cuts it, it queues for
* the **broad** lane (``LINTAS_SEARCH_SLOTS``, below the store's query threads: embedded 1 of 2, so
  other reads always keep one), under the full ``LINTAS_SEARCH_TIMEOUT_MS``. While a write waits
  for the embedded store (its write lock waits for the reads running: round 30a M1) no new broad
  search starts, unless it has waited ``LINTAS_SEARCH_YIELD_TO_WRITES_S`` (a long load never
  starves searches); a running one finishes.

Inside a lane, when a slot is free the next turn is decided from the tickets alone, under one lock
file: the agency whose searches used the least store time recently (each second used counts half
after ``COST_HALF_LIFE_S``) goes first, inside it the principal likewise, then the oldest ticket.
An agency whose searches are cheap or rare goes ahead of one flooding broad ones, however often the
flooder asks (attack round 30a H1: turns counted per search let a rare agency wait a whole round of
10-s searches); whose worker happens to look first (polling luck) decides nothing.

* a waiting search is a ticket file in ``<data dir>/search-queue``, locked (``flock``) by its worker
  for as long as it waits or runs: a worker killed with -9 drops its locks with it, and a ticket
  whose lock anyone can take is a dead worker's and is removed;
* a running search also holds a slot file's lock (``broad-<i>.lock``, ``quick-0.lock``), released by
  the kernel likewise. The slot file holds the running statement's deadline, cleared on a normal
  release: a slot whose lock is free but whose deadline has not passed had its worker killed while
  the store still runs the statement, and stays busy until then (attack round 30a M2). The deadline
  is the statement's time limit plus the backend's cut margin (``LINTAS_SEARCH_CUT_MARGIN_S``): the
  store stops a statement some time after its limit (Neo4j when its transaction monitor next looks,
  every 2 s: a 300 ms search was cut after 0.48-2.12 s, attack round 31);
* the store time used lives in ``costs.json`` (:mod:`graphapi.investigate.search_costs`: small,
  written whole, a file of any other shape started afresh).

A principal may have ``LINTAS_SEARCH_IN_FLIGHT`` searches waiting or running at once in both lanes,
each holding one of its seats (:mod:`graphapi.investigate.queue_seats`: a join probes no ticket)
(a fourth browser tab of the demo waits with the others instead of failing; aliased searches of one
request run one after another and count once); past that, or after waiting
``LINTAS_SEARCH_WAIT_S`` for its turn (both lanes together), a search fails with RATE_LIMITED
before the store. A slot's holder keeps it less than that wait (a broad search until the store
cuts it at its time limit; a coTravelGroups crossings read gives it back by then, answered or not:
:mod:`graphapi.investigate.cotravel_turns`), so whoever is next in turn is served within its wait.
A statement that may run on in the store after its slot is given back (:meth:`Turn.outlast`, only
in a lane whose statements may: :data:`OUTLASTING_LANES`, coTravelGroups' crossings reads; a search
holds its slot until the store answers or cuts it) keeps its ticket as ``over-`` until it ends,
charged for its whole run; while an agency has :data:`OVERRUNS_PER_AGENCY` of them in such a lane,
run on or in a slot, its tickets of that lane are passed over in every lane's decision (attack round
a-85, 1; a-88, 2; a-93, 5: a lane outside the set had two of one agency run on with two slots).
A search whose client hung up leaves the queue and never reaches the store.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import fcntl
import logging
import math
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from functools import partial
from itertools import count
from pathlib import Path

from graphapi.investigate import queue_seats
from graphapi.investigate.queue_refusals import ClientGone as ClientGone
from graphapi.investigate.queue_refusals import SearchesInFlight as SearchesInFlight
from graphapi.investigate.queue_refusals import SearchQueueBusy as SearchQueueBusy
from graphapi.investigate.queue_refusals import SearchQueueFault as SearchQueueFault
from graphapi.investigate.queue_refusals import faults_refused
from graphapi.investigate.queue_rounds import round_for, wake
from graphapi.investigate.queue_seats import take_seat
from graphapi.investigate.queue_tickets import COTRAVEL_LANE as COTRAVEL_LANE
from graphapi.investigate.queue_tickets import OUTLASTING_LANES as OUTLASTING_LANES
from graphapi.investigate.queue_tickets import OVERRUNS_PER_AGENCY as OVERRUNS_PER_AGENCY
from graphapi.investigate.queue_tickets import Ticket as Ticket
from graphapi.investigate.queue_tickets import hashed as _hashed
from graphapi.investigate.queue_tickets import held_back, next_turns
from graphapi.investigate.queue_tickets import named as _named
from graphapi.investigate.queue_turn import Turn as Turn
from graphapi.investigate.search_costs import COST_HALF_LIFE_S as COST_HALF_LIFE_S
from graphapi.investigate.search_costs import COSTS, charged, read_costs, write_costs
from graphapi.investigate.search_costs import MAX_REMEMBERED as MAX_REMEMBERED
from graphapi.investigate.search_costs import decayed as decayed
from graphapi.security import Principal
from graphapi.security.filelock import try_lock
from graphapi.store.write_marks import writes_waiting

#: How often a worker looks whether its waiting searches' turn came, for all of them at once
#: (:mod:`graphapi.investigate.queue_rounds`; turns are decided by the queue, not by who looks
#: first; a search lasts from milliseconds to seconds).
POLL_S = 0.02
#: How often a waiting search asks whether its client hung up (it asks again when its turn comes,
#: before the store): each ticket waking every POLL_S was 20,000 wakeups a second on a worker's
#: loop with 400 tickets waiting (attack round a-92, 2).
CLIENT_POLL_S = 0.2
_tickets = count()
log = logging.getLogger(__name__)


class SearchQueue:
    """One lane of the search queue of one data directory (every API worker on it opens the same
    files). ``hold_s``: the longest a search of this lane runs in the store (its statement time
    limit), recorded in the slot while it runs, with ``margin_s``, how long past its limit the store
    may still run a statement it cuts; ``charge_s``: the store time a turn counts at least;
    ``running_cap``: a turn is given only while fewer searches than this run in all lanes (0: no cap);
    ``writes_first_s``: while a write waits (:mod:`graphapi.store.write_marks`) a search starts only
    once it has waited this long (0: writes have no priority); ``slot_lane``: whose slot files this
    lane takes (default its own), and ``rivals``: the other lanes whose waiting tickets take turns
    for them beside this lane's (coTravelGroups' crossings reads share the broad slots:
    :mod:`graphapi.investigate.cotravel_turns`); ``counted_lanes``: the lanes whose tickets share
    the principal's ``per_principal`` seats (None: every lane counting)."""

    def __init__(self, folder: Path, slots: int, per_principal: int, wait_s: float, *, lane: str = "broad",
                 hold_s: float = 0.0, charge_s: float = 0.0, margin_s: float = 1.0, running_cap: int = 0,
                 writes_first_s: float = 0.0, slot_lane: str | None = None, rivals: tuple[str, ...] = (),
                 counted_lanes: frozenset[str] | None = None) -> None:
        if not (math.isfinite(hold_s) and math.isfinite(margin_s)) or hold_s < 0 or margin_s < 0:
            # written into the slot as the time it frees: an endless one would hold the slot for ever
            raise ValueError(f"search queue: hold_s and margin_s must be finite and >= 0, not {hold_s}, {margin_s}")
        self.folder, self.slots, self.per_principal, self.wait_s = Path(folder), slots, per_principal, wait_s
        self.lane, self.hold_s, self.charge_s, self.margin_s = lane, hold_s, charge_s, margin_s
        self.running_cap, self.writes_first_s = running_cap, writes_first_s
        self.slot_lane, self.taking = slot_lane or lane, {lane, *rivals}
        self.counted_lanes = counted_lanes

    @asynccontextmanager
    async def turn(self, principal: Principal, client_gone: Callable[[], Awaitable[bool]] | None = None,
                   *, wait_s: float | None = None) -> AsyncIterator[Turn]:
        """Run the body as one of the at most ``slots`` searches of this lane in the store, once the
        queue says it is this search's turn (0 slots: at once); the store time it used is charged to
        its agency and principal. SearchesInFlight, SearchQueueBusy or ClientGone before it."""
        turn = Turn(self.lane)
        if not self.slots:
            yield turn
            return
        fd, name = self._join(principal)
        kept = False
        try:
            slot = await self._wait_for_turn(name, client_gone, self.wait_s if wait_s is None else wait_s)
            started = time.monotonic()
            try:
                if client_gone is not None and await client_gone():
                    raise ClientGone
                yield turn
            finally:
                runs_on = turn.outlasting if turn.outlasting is not None and not turn.outlasting.done() else None
                if runs_on is not None:
                    try:
                        with self._decided():  # seen by the next decision before the slot is free
                            os.rename(self.folder / _named(name, "run-"), self.folder / _named(name, "over-"))
                    except OSError as e:  # kept ``run-``, as counted in its lane's overruns (a-93, 3)
                        log.warning("search queue: cannot mark %s as run on past its slot (%s)", name, e)
                self._release(name, slot, time.monotonic() - started)
                if runs_on is not None:
                    runs_on.add_done_callback(partial(self._overrun_ended, fd, name, time.monotonic()))
                    kept = True
        finally:
            if not kept:
                self._leave(fd, name)

    def _leave(self, fd: int, name: str) -> None:
        """The ticket ``name`` (held by ``fd``) leaves the queue: unlinked before its lock is dropped,
        then its seat given back, whatever failed before."""
        seat = queue_seats.held.pop(queue_seats.key(name), None)
        try:
            self._unlink(name)
        finally:
            try:
                queue_seats.let_go(fd)
            finally:
                if seat is not None:
                    queue_seats.give_back(seat)

    def _unlink(self, name: str) -> None:
        """Remove the ticket ``name`` in whichever state it is. Failing (EIO) is logged, never the
        search's outcome (an answer became a raw OSError, a 500: attack round a-93, 3): left behind
        with its lock dropped, it is a dead worker's, removed at the next look."""
        for state in ("run-", "over-", "wait-"):  # a ticket is unlinked before its lock is dropped
            try:
                os.unlink(self.folder / _named(name, state))
            except FileNotFoundError:
                pass
            except OSError as e:
                log.warning("search queue: cannot remove the ticket %s (%s); the next look does", name, e)

    def _overrun_ended(self, fd: int, name: str, since: float, _: object) -> None:
        """A statement run on past its slot has ended: its time since charged (its agency pays for
        the whole run), its ticket gone."""
        try:
            self._charge(name, time.monotonic() - since)
        finally:
            try:
                self._leave(fd, name)
            finally:
                wake(self.folder)  # its agency's next ticket may go now

    def _join(self, principal: Principal) -> tuple[int, str]:
        """A new waiting ticket of ``principal`` (its descriptor, holding its lock, and file name),
        holding one of its seats (:mod:`graphapi.investigate.queue_seats`: no other ticket probed)."""
        agency, who = _hashed(principal.agency), _hashed(principal.agency, principal.subject)
        seat = None
        try:
            with faults_refused(), self._decided():
                if self.per_principal:  # shared by every lane counted: "all" when each counts
                    lanes = "-".join(sorted(self.counted_lanes)) if self.counted_lanes is not None else "all"
                    if (seat := take_seat(self.folder, who, lanes, self.per_principal)) is None:
                        raise SearchesInFlight(self.per_principal)
                name = f"wait-{time.time_ns():020d}-{os.getpid()}-{next(_tickets)}-{agency}-{who}-{self.lane}.lock"
                fd = os.open(self.folder / name, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # new, and under the queue lock: always free
                queue_seats.held[queue_seats.key(name)] = seat
        except BaseException:
            if seat is not None:
                queue_seats.give_back(seat)
            raise
        return fd, name

    async def _wait_for_turn(self, name: str, client_gone: Callable[[], Awaitable[bool]] | None,
                             wait_s: float) -> int:
        """The descriptor of the slot this ticket got once its turn came: the worker's round of this
        lane looks for all its tickets (:mod:`graphapi.investigate.queue_rounds`)."""
        deadline = time.monotonic() + wait_s
        looks = round_for(self._config(), self.folder, self._give_turns, POLL_S)
        given = looks.join(name)
        try:
            while True:
                if client_gone is not None and await client_gone():
                    raise ClientGone
                if given.done():
                    return given.result()
                if (left := deadline - time.monotonic()) <= 0:
                    raise SearchQueueBusy(self.wait_s)
                # woken by its turn (the round sets it), else at its deadline or next ask of its client
                await asyncio.wait([given], timeout=left if client_gone is None else min(CLIENT_POLL_S, left))
        except BaseException:
            if given.done() and not given.cancelled() and given.exception() is None:
                self._release(name, given.result(), 0.0)  # given as it left: the slot back at once
            raise
        finally:
            looks.leave(name)

    def _free_slots(self) -> list[int]:
        """The descriptors of this lane's free slots, locked: a slot whose lock is free but which
        records an unexpired deadline had its worker killed mid-statement and is busy until then.
        Failing partway (EIO reading a record, EMFILE opening the next slot) it closes every slot
        it took: a lost descriptor held its slot's lock for the worker's life (attack round a-93, 4)."""
        free: list[int] = []
        try:
            for i in range(self.slots):
                if (fd := try_lock(self.folder / f"{self.slot_lane}-{i}.lock")) is None:
                    continue
                free.append(fd)  # in hand before its record is read
                try:
                    until = float(os.pread(fd, 32, 0) or b"0")
                except ValueError:
                    until = 0.0
                if until > time.time():
                    queue_seats.let_go(free.pop())
        except BaseException:
            for fd in free:
                queue_seats.let_go(fd)
            raise
        return free

    def _config(self) -> tuple:
        """What this lane's decision depends on: one round for the queues of one configuration."""
        return (self.folder, self.lane, self.slot_lane, self.slots, frozenset(self.taking), self.hold_s,
                self.margin_s, self.charge_s, self.running_cap, self.writes_first_s)

    def _give_turns(self, waiting: dict[str, asyncio.Future]) -> None:
        """Give the free slots to the tickets whose turn it is, those of ``waiting`` (this worker's, by
        name) taking theirs: the ticket runs, its slot's descriptor set on its future. Every worker's
        tickets are in the decision: another worker's chosen ticket takes its slot at its own look."""
        with faults_refused(), self._decided():
            free = self._free_slots()
            try:
                if not free:
                    return
                live = self._live()
                turns = len(free)
                if self.running_cap:
                    turns = min(turns, self.running_cap - sum(t.running for t in live))
                if turns <= 0:
                    return
                now = time.time_ns()
                costs = read_costs(self.folder / COSTS)
                held = held_back(live)
                pool = [t for t in live if not (t.running or t.overrun) and t.lane in self.taking
                        and (t.agency, t.lane) not in held]
                given = False
                for ticket in next_turns(pool, costs, turns, now, self.charge_s):
                    if (future := waiting.get(ticket.name)) is None or future.done():
                        continue  # another worker's (or one leaving): its slot stays free for it
                    if (ticket.agency, ticket.lane) in held_back(live):
                        continue  # its agency's reads given a slot this round already count
                    if (self.writes_first_s and now - ticket.joined < self.writes_first_s * 1e9
                            and writes_waiting(self.folder)):
                        continue  # the write goes first: FalkorDB's write lock would wait for this search
                    slot = free[-1]  # taken off ``free`` (closed below) only once it is the ticket's
                    try:
                        if self.hold_s:  # a killed worker's statement keeps the slot until it must have ended
                            os.ftruncate(slot, 0)
                            os.pwrite(slot, f"{time.time() + self.hold_s + self.margin_s:.3f}".encode(), 0)
                        os.rename(self.folder / ticket.name, self.folder / _named(ticket.name, "run-"))
                    except OSError:
                        with contextlib.suppress(OSError):  # no statement runs: no deadline keeps it
                            os.ftruncate(slot, 0)
                        raise
                    free.pop()
                    costs = charged(costs, ["a" + ticket.agency, "p" + ticket.principal], self.charge_s, now)
                    given = True
                    live.append(dataclasses.replace(ticket, name=_named(ticket.name, "run-"), running=True))
                    future.set_result(slot)
                if given:
                    write_costs(self.folder / COSTS, costs)
            finally:
                for fd in free:  # each closed: one close failing left the next slots locked (a-101, 2)
                    queue_seats.let_go(fd)

    def _release(self, name: str, slot: int, seconds: float) -> None:
        """Charge the store time the search used beyond its turn's charge, then free its slot (the
        costs are written before the slot is free, so the next decision sees them). The statement
        has run: a disk failure here is logged, never the search's outcome (its answer was a raw
        OSError, a 500: attack round a-93, 3); a deadline left recorded keeps the slot busy only
        till it passes."""
        try:
            if seconds > self.charge_s:
                self._charge(name, seconds - self.charge_s)
            if self.hold_s:
                try:
                    os.ftruncate(slot, 0)
                except OSError as e:
                    log.warning("search queue: cannot clear the deadline of %s's slot (%s); it frees at it", name, e)
        finally:
            queue_seats.let_go(slot)  # a close reporting EIO was the answer's 500 (a-101, 3)
            wake(self.folder)  # this worker's next ticket in turn takes it now, not at its next round

    def _charge(self, name: str, seconds: float) -> None:
        """Add ``seconds`` of store time to ``name``'s agency and principal (the queue lock failing
        to open, EMFILE, is logged: the time goes uncharged)."""
        if (ticket := Ticket.parse(name)) is not None:
            try:
                with self._decided():
                    path = self.folder / COSTS
                    keys = ["a" + ticket.agency, "p" + ticket.principal]
                    write_costs(path, charged(read_costs(path), keys, seconds, time.time_ns()))
            except OSError as e:
                log.warning("search queue: cannot charge %.3f s to %s (%s)", seconds, name, e)

    def _live(self) -> list[Ticket]:
        """The tickets whose worker still holds them; a dead worker's are removed. Under the queue lock."""
        live, pid = [], str(os.getpid())
        for entry in os.scandir(self.folder):
            if (ticket := Ticket.parse(entry.name)) is None:
                continue
            if queue_seats.key(entry.name) in queue_seats.held and entry.name.split("-")[2] == pid:
                live.append(ticket)  # this process holds it (a fork's child probes its parent's)
            elif (fd := try_lock(Path(entry.path))) is not None:  # nobody holds it: its worker died
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)
                queue_seats.let_go(fd)
            else:
                live.append(ticket)
        return live

    @contextlib.contextmanager
    def _decided(self):  # noqa: ANN202
        """Hold the queue lock (milliseconds: file names only) for one decision."""
        fd = try_lock(self.folder / "queue.lock")  # makes the folder (owner-only) on first use
        if fd is None:  # another worker is deciding: wait for it (milliseconds)
            fd = os.open(self.folder / "queue.lock", os.O_RDWR)
            fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            # logged: raised, it failed the decision that had just made a ticket, whose locked
            # descriptor then held a turn for the worker's life (a-101, 1)
            queue_seats.let_go(fd)
