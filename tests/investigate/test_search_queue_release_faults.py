"""A search ending while the queue's files fail (EIO clearing its slot's deadline) keeps its outcome:
the store's answer is returned, the slot given back anyway (attack round a-93, 3). The queue's
bookkeeping after a statement ran is not the request's failure: it was a raw OSError, a 500, in
place of an answer; a close of its ticket or seat reporting EIO neither (a-97, 3). No store."""

import contextlib
import errno
import os

import pytest

from graphapi.investigate.search_queue import SearchQueue
from graphapi.security import Principal
from tests.investigate.disk_faults import close_fails_once, fail_once

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
VN = Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"}))


def _lane(tmp_path) -> SearchQueue:
    return SearchQueue(tmp_path / "search-queue", 1, 4, 2.0, hold_s=0.5)


async def _search(lane: SearchQueue, principal: Principal, fault=list) -> tuple[str, list]:
    """The search's outcome, and the calls that ``fault`` (set once its turn came) made fail."""
    async with lane.turn(principal):
        failed = fault()
        return "answered", failed


async def test_an_answered_search_whose_slot_release_fails_returns_its_answer(tmp_path, monkeypatch):
    got, failed = await _search(_lane(tmp_path), TH, lambda: fail_once(monkeypatch, "ftruncate", errno.EIO))
    assert failed  # clearing the slot's deadline did fail
    assert got == "answered"  # was a raw OSError


async def test_an_answered_search_whose_charge_fails_returns_its_answer(tmp_path, monkeypatch):
    def charge_lock_fails():  # the charge's queue lock: the worker out of descriptors
        return fail_once(monkeypatch, "open", errno.EMFILE, lambda path, *_: str(path).endswith("queue.lock"))

    got, failed = await _search(_lane(tmp_path), TH, charge_lock_fails)
    assert failed  # charging its store time did fail
    assert got == "answered"


async def test_an_answered_search_whose_ticket_unlink_fails_returns_its_answer(tmp_path, monkeypatch):
    lane = _lane(tmp_path)
    got, failed = await _search(lane, TH, lambda: fail_once(monkeypatch, "unlink", errno.EIO))
    assert failed  # removing its ticket did fail
    assert got == "answered"
    assert (await _search(lane, VN))[0] == "answered"  # the ticket left behind, unlocked, is a dead one: removed
    assert list((tmp_path / "search-queue").glob("*-*-*.lock")) == []


def _close_fails_once(monkeypatch, which: str) -> list:
    """The next close of a ticket's (``which`` "ticket") or a seat's ("seat") descriptor reports EIO."""
    def picked(path: str) -> bool:
        seat = "/seats/" in path
        return seat if which == "seat" else not seat and os.path.basename(path).startswith(("wait-", "run-", "over-"))

    return close_fails_once(monkeypatch, picked)


@pytest.mark.parametrize("which", ["ticket", "seat"])
async def test_an_answered_search_whose_close_fails_returns_its_answer(tmp_path, monkeypatch, which):
    got, failed = await _search(_lane(tmp_path), TH, lambda: _close_fails_once(monkeypatch, which))
    assert failed  # closing its ticket's (seat's) descriptor did report EIO
    assert got == "answered"  # was a raw OSError, a 500


async def test_a_search_whose_ticket_close_fails_gives_its_seat_back(tmp_path, monkeypatch):
    lane = SearchQueue(tmp_path / "search-queue", 1, 1, 2.0, hold_s=0.5)  # one seat a principal
    await _search(lane, VN)  # the queue's folders and round made
    opened = len(os.listdir("/proc/self/fd"))
    faults = []  # the failed closes, set once its turn came
    with contextlib.suppress(OSError):  # the outcome is the test above's
        await _search(lane, TH, lambda: faults.append(_close_fails_once(monkeypatch, "ticket")))
    monkeypatch.undo()
    assert faults[0]
    assert len(os.listdir("/proc/self/fd")) == opened  # was one more: the seat's, still locked
    assert (await _search(lane, TH))[0] == "answered"  # was RATE_LIMITED till the worker restarted
