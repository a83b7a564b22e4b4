"""A principal's seats in the search queue (:mod:`graphapi.investigate.queue_seats`): a seat given
back leaves no file behind (attack round a-93, 6: 10,000 principals searching once each left 10,000
seat files), and removing it never lets two hold one place; a seat whose take fails is given back
(a-97, 2). No store."""

import errno
import fcntl
import os

import pytest

from graphapi.errors import LintasError, public_error
from graphapi.investigate import queue_seats
from graphapi.investigate.queue_seats import give_back, take_seat
from graphapi.investigate.search_queue import SearchQueue
from graphapi.security import Principal
from tests.investigate.disk_faults import fail_once

TH = [Principal(f"analyst-th-{i}", agency="TH-DSI", roles=frozenset({"analyst"})) for i in range(3)]


async def test_searches_that_ended_leave_no_seat_file(tmp_path):
    lane = SearchQueue(tmp_path / "search-queue", 1, 4, 1.0, hold_s=0.5)
    for principal in TH:
        async with lane.turn(principal):
            pass
    assert sorted(os.listdir(tmp_path / "search-queue" / "seats")) == []  # was one file per principal


def test_a_taker_that_opened_a_seat_before_it_was_given_back_does_not_hold_it_beside_the_next(
        tmp_path, monkeypatch):
    first = take_seat(tmp_path, "p", "all", 1)
    stale = os.open(first.path, os.O_RDWR)  # a slow taker's open, before the holder gives it back
    give_back(first)
    second = take_seat(tmp_path, "p", "all", 1)  # the one place, on a new file at the path
    assert second is not None
    real = queue_seats.try_lock

    def lock_opened_first(path):  # the slow taker's lock comes now: nobody holds the unlinked file
        monkeypatch.setattr(queue_seats, "try_lock", real)
        fcntl.flock(stale, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return stale

    monkeypatch.setattr(queue_seats, "try_lock", lock_opened_first)
    assert take_seat(tmp_path, "p", "all", 1) is None  # the one place is the second's
    give_back(second)
    assert os.listdir(tmp_path / "seats") == []


def _seat_check_fails(monkeypatch, call: str) -> list:
    """The next ``os.stat`` of a seat's path, or ``os.fstat`` of a seat's descriptor, fails (EIO)."""
    def of_a_seat(target, *_):
        return "/seats/" in (os.readlink(f"/proc/self/fd/{target}") if call == "fstat" else str(target))

    return fail_once(monkeypatch, call, errno.EIO, of_a_seat)


@pytest.mark.parametrize("call", ["stat", "fstat"])
async def test_a_seat_whose_file_check_fails_is_given_back_for_the_principals_next_search(
        tmp_path, monkeypatch, call):
    lane = SearchQueue(tmp_path / "search-queue", 1, 1, 1.0, hold_s=0.5)  # one seat a principal
    async with lane.turn(TH[0]):  # the seat's file made
        pass
    opened = len(os.listdir("/proc/self/fd"))
    failed = _seat_check_fails(monkeypatch, call)
    with pytest.raises(LintasError):
        async with lane.turn(TH[0]):
            pass
    assert failed  # the check of the seat it locked did fail
    assert len(os.listdir("/proc/self/fd")) == opened  # was one more: the seat's locked descriptor, lost
    async with lane.turn(TH[0]):  # was RATE_LIMITED in every worker till this one restarted
        pass


async def test_a_seat_whose_file_check_fails_refuses_the_search_as_unavailable(tmp_path, monkeypatch):
    lane = SearchQueue(tmp_path / "search-queue", 1, 1, 1.0, hold_s=0.5)
    async with lane.turn(TH[0]):
        pass
    failed = _seat_check_fails(monkeypatch, "stat")
    with pytest.raises(LintasError) as refused:  # a failing disk: an expected refusal, not a 500
        async with lane.turn(TH[0]):
            pass
    assert failed
    assert public_error(refused.value)[0] == "SERVICE_UNAVAILABLE"
