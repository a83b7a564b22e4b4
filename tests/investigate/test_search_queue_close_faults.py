"""A close of the queue's lock files reporting EIO (Linux released the descriptor, then reported the
error, as on NFS) is logged, never a search's outcome nor a reason to skip the closes after it
(attack round a-101): raised, the queue lock's close at a join left the new ticket's descriptor locked
for the worker's life (every agency's next search RATE_LIMITED), a free slot's left the next free
slots locked (the lane short of a slot), the given slot's turned an answer into a 500. No store."""

import os

from graphapi.investigate import queue_seats
from graphapi.investigate.search_queue import SearchQueue
from graphapi.security import Principal
from graphapi.security.filelock import try_lock
from tests.investigate.disk_faults import close_fails_once

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
VN = Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"}))


def _descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


async def _search(lane: SearchQueue, principal: Principal, wait_s: float | None = None) -> str:
    async with lane.turn(principal, wait_s=wait_s):
        return "answered"


def _locked_slots(lane: SearchQueue, slots: int) -> list[int]:
    locked = []
    for i in range(slots):
        if (fd := try_lock(lane.folder / f"{lane.slot_lane}-{i}.lock")) is None:
            locked.append(i)
        else:
            os.close(fd)
    return locked


async def test_a_slot_close_failing_after_the_search_returns_its_answer(tmp_path, monkeypatch):
    lane = SearchQueue(tmp_path / "search-queue", 1, 1, 1.0, hold_s=0.5)
    await _search(lane, VN)  # the folders made
    failed = close_fails_once(monkeypatch, lambda path: f"/{lane.slot_lane}-" in path)
    assert await _search(lane, TH) == "answered"  # was a raw OSError (a 500)
    assert failed


async def test_a_queue_lock_close_failing_at_a_join_leaves_no_ticket_holding_the_lane(tmp_path, monkeypatch):
    lane = SearchQueue(tmp_path / "search-queue", 1, 1, 1.0, hold_s=0.5)
    await _search(lane, VN)
    opened = _descriptors()
    failed = close_fails_once(monkeypatch, lambda path: path.endswith("/queue.lock"))
    assert await _search(lane, TH) == "answered"
    monkeypatch.undo()
    assert failed
    assert _descriptors() == opened  # was one more: the ticket's, locked
    assert sorted(p.name for p in lane.folder.glob("*-*-*.lock")) == []
    assert await _search(lane, VN, wait_s=2.0) == "answered"  # was RATE_LIMITED: the ghost ticket's turn


async def test_a_free_slot_close_failing_leaves_no_other_slot_locked(tmp_path, monkeypatch):
    lane = SearchQueue(tmp_path / "search-queue", 3, 1, 1.0, hold_s=0.5)
    await _search(lane, VN)
    opened = _descriptors()
    failed = close_fails_once(monkeypatch, lambda path: f"/{lane.slot_lane}-" in path)
    assert await _search(lane, TH) == "answered"
    monkeypatch.undo()
    assert failed
    assert _descriptors() == opened  # was one more: the next free slot's
    assert _locked_slots(lane, 3) == []  # was [1]: the lane a slot short for every agency


def test_a_seat_close_failing_on_a_given_back_file_takes_the_seat_again(tmp_path, monkeypatch):
    folder = tmp_path / "search-queue"
    (folder / queue_seats.SEATS).mkdir(parents=True)
    real_still_at, looks = queue_seats._still_at, []

    def given_back_once(fd, path):  # the seat's file unlinked between our open and our lock
        looks.append(path)
        return len(looks) > 1 and real_still_at(fd, path)

    monkeypatch.setattr(queue_seats, "_still_at", given_back_once)
    failed = close_fails_once(monkeypatch, lambda path: "/seats/" in path)
    seat = queue_seats.take_seat(folder, "analyst-th", "search", 1)  # was a raw OSError (a 500)
    monkeypatch.undo()
    assert failed
    assert seat is not None and seat.path == folder / queue_seats.SEATS / "analyst-th-search-0.lock"
    queue_seats.give_back(seat)
