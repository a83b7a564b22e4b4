"""A search ending while the queue's files fail (EIO clearing its slot's deadline) keeps its outcome:
the store's answer is returned, the slot given back anyway (attack round a-93, 3). The queue's
bookkeeping after a statement ran is not the request's failure: it was a raw OSError, a 500, in
place of an answer. No store."""

import errno

from graphapi.investigate.search_queue import SearchQueue
from graphapi.security import Principal
from tests.investigate.disk_faults import fail_once

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
