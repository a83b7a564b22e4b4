"""A worker's waiting tickets of a lane are looked after by one round a poll, not each by its own
look: each ticket locked the queue, scanned its folder and probed every ticket's lock every 20 ms,
O(N^2) a round, and a ticket was served only by its own look, so with 400 tickets of one agency
waiting another agency first in turn was served 2.6-4.5 s after the slot freed (attack round a-88,
3). Counted in the queue's scans, never in time."""

import asyncio
import fcntl
import os
import time

from graphapi.investigate.search_queue import CLIENT_POLL_S, POLL_S, SearchQueue, _hashed
from graphapi.security import Principal

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
#: TH's waiting crossings reads.
WAITING = 40
#: How long the scans are counted.
WINDOW_S = 0.2


async def test_a_workers_waiting_tickets_scan_the_queue_once_a_round_not_once_each(tmp_path, monkeypatch):
    folder = tmp_path / "search-queue"
    folder.mkdir(mode=0o700)
    # TH's earlier read runs on past its slot (held by this test, as its worker would): TH's next
    # reads are held back, the slot free, and every look scans the queue and gives nothing
    over = folder / (f"over-{time.time_ns():020d}-{os.getpid()}-0-{_hashed(TH.agency)}-"
                     f"{_hashed(TH.agency, TH.subject)}-cotravel.lock")
    held = os.open(over, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
    scans = []
    scan = SearchQueue._live
    monkeypatch.setattr(SearchQueue, "_live", lambda self: scans.append(1) or scan(self))

    async def waits() -> None:
        lane = SearchQueue(folder, 1, 0, 10.0, lane="cotravel", slot_lane="broad", rivals=("broad",))
        async with lane.turn(TH):
            raise AssertionError("TH's read held back took a turn")

    tickets = [asyncio.ensure_future(waits()) for _ in range(WAITING)]
    try:
        while len(list(folder.glob("wait-*"))) < WAITING:
            await asyncio.sleep(0.01)
        scans.clear()
        await asyncio.sleep(WINDOW_S)
        # one scan a round of POLL_S at most (a round may start early once), whatever the tickets waiting
        assert len(scans) <= WINDOW_S / POLL_S + 2  # was about WAITING a round: 40 to 400
    finally:
        for ticket in tickets:
            ticket.cancel()
        await asyncio.gather(*tickets, return_exceptions=True)
        os.close(held)
    assert not list(folder.glob("wait-*"))  # every ticket left the queue


async def test_a_waiting_ticket_asks_whether_its_client_is_gone_every_client_poll_not_every_round(tmp_path):
    # attack round a-92, 2: each of 400 waiting tickets still woke every POLL_S (20,000 wakeups a
    # second on its worker's loop), though the round looks for them all; a client gone is seen again
    # when its turn comes, before the store
    folder = tmp_path / "search-queue"
    lane = SearchQueue(folder, 1, 0, 10.0)
    asked = []

    async def client_gone() -> bool:
        asked.append(1)
        return False

    async def waits() -> None:
        async with lane.turn(TH, client_gone):
            raise AssertionError("a ticket took the busy slot")

    async with lane.turn(TH):  # the slot is busy while they wait
        tickets = [asyncio.ensure_future(waits()) for _ in range(5)]
        try:
            while len(list(folder.glob("wait-*"))) < 5:
                await asyncio.sleep(0.01)
            asked.clear()
            await asyncio.sleep(WINDOW_S)
            # at most one ask a CLIENT_POLL_S each (and one early): was about one a POLL_S, 50 in all
            assert len(asked) <= 5 * (WINDOW_S / CLIENT_POLL_S + 1)
        finally:
            for ticket in tickets:
                ticket.cancel()
            await asyncio.gather(*tickets, return_exceptions=True)
