"""A join and a look of the search queue cost a number of lock probes that does not grow with the
tickets waiting (attack round a-92, 2: each join scanned and flock-probed every ticket under the queue
lock, on the event loop: 400 waiting tickets of one worker took 6 s of its loop in their joins, and
every look that gave a slot probed each of them again, O(N^2) to serve them). Counted in ``flock``
calls, never in time. No store."""

import fcntl
import os
import time

import pytest

from graphapi.investigate.search_queue import SearchesInFlight, SearchQueue, _hashed
from graphapi.security import Principal
from graphapi.security.filelock import try_lock

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
#: Tickets waiting while a join or a look is counted.
WAITING = 40


@pytest.fixture
def flocks(monkeypatch):
    """Every ``flock`` call from now on (a probe, a lock taken), counted."""
    calls, real = [], fcntl.flock
    monkeypatch.setattr(fcntl, "flock", lambda fd, op: calls.append(op) or real(fd, op))
    return calls


@pytest.fixture
def another_workers_tickets(tmp_path):
    """``WAITING`` tickets of other analysts waiting in the queue, held as another worker would."""
    folder = tmp_path / "search-queue"
    folder.mkdir(mode=0o700)
    held = []
    for i in range(WAITING):
        who = _hashed("VN-MPS", f"analyst-{i}")
        name = f"wait-{time.time_ns():020d}-1-{i}-{_hashed('VN-MPS')}-{who}-broad.lock"
        fd = os.open(folder / name, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        held.append(fd)
    yield folder
    for fd in held:
        os.close(fd)


def test_a_join_probes_no_waiting_tickets_lock(another_workers_tickets, flocks):
    lane = SearchQueue(another_workers_tickets, 1, 4, 1.0)
    fd, name = lane._join(TH)
    try:
        # the queue lock, TH's first free place, its new ticket: was 2 + one probe per ticket waiting
        assert len(flocks) == 3
    finally:
        lane._leave(fd, name)


def test_a_join_past_the_principals_places_is_refused(another_workers_tickets):
    lane = SearchQueue(another_workers_tickets, 1, 2, 1.0)
    joined = [lane._join(TH) for _ in range(2)]
    try:
        with pytest.raises(SearchesInFlight):
            lane._join(TH)
    finally:
        for fd, name in joined:
            lane._leave(fd, name)
    fd, name = lane._join(TH)  # its places are free again once its tickets left
    lane._leave(fd, name)


def test_a_look_probes_no_lock_of_its_own_workers_waiting_tickets(tmp_path, flocks):
    lane = SearchQueue(tmp_path / "search-queue", 1, 0, 1.0)
    joined = [lane._join(Principal(f"analyst-{i}", agency="TH-DSI")) for i in range(WAITING)]
    try:
        flocks.clear()
        lane._give_turns({})  # its slot is free: the look decides among every live ticket
        assert len(flocks) == 2  # the queue lock and the slot's: was 2 + one probe per ticket waiting
    finally:
        for fd, name in joined:
            lane._leave(fd, name)


def test_a_look_with_no_slot_free_probes_only_the_slots(another_workers_tickets, flocks):
    lane = SearchQueue(another_workers_tickets, 1, 0, 1.0)
    slot = try_lock(another_workers_tickets / "broad-0.lock")  # a search runs
    try:
        flocks.clear()
        lane._give_turns({})
        assert len(flocks) == 2  # the queue lock and the busy slot's, whatever the tickets waiting
    finally:
        os.close(slot)
