"""A search ending while the queue's files fail (EIO clearing its slot's deadline) keeps its outcome:
the store's answer is returned, the slot given back anyway (attack round a-93, 3). The queue's
bookkeeping after a statement ran is not the request's failure: it was a raw OSError, a 500, in
place of an answer. No store."""

import errno
import os

from graphapi.investigate.search_queue import SearchQueue
from graphapi.security import Principal

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
VN = Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"}))


def _lane(tmp_path) -> SearchQueue:
    return SearchQueue(tmp_path / "search-queue", 1, 4, 2.0, hold_s=0.5)


async def _search(lane: SearchQueue, principal: Principal, during=lambda: None) -> str:
    async with lane.turn(principal):
        during()
        return "answered"


def _failing_once(monkeypatch, name: str, failed: list) -> None:
    """From now on, the next call of ``os.<name>`` fails with EIO; the disk is well after."""
    real = getattr(os, name)

    def once(*args, **kwargs):
        if not failed:
            failed.append(args)
            raise OSError(errno.EIO, "Input/output error")
        return real(*args, **kwargs)

    monkeypatch.setattr(os, name, once)


async def test_an_answered_search_whose_slot_release_fails_returns_its_answer(tmp_path, monkeypatch):
    failed = []
    got = await _search(_lane(tmp_path), TH, lambda: _failing_once(monkeypatch, "ftruncate", failed))
    assert failed  # clearing the slot's deadline did fail
    assert got == "answered"  # was a raw OSError


async def test_an_answered_search_whose_charge_fails_returns_its_answer(tmp_path, monkeypatch):
    real, failed = os.open, []

    def open_(path, flags, *args, **kwargs):
        if str(path).endswith("queue.lock") and not failed:  # the charge's queue lock: EMFILE
            failed.append(path)
            raise OSError(errno.EMFILE, "Too many open files")
        return real(path, flags, *args, **kwargs)

    got = await _search(_lane(tmp_path), TH, lambda: monkeypatch.setattr(os, "open", open_))
    assert failed  # charging its store time did fail
    assert got == "answered"


async def test_an_answered_search_whose_ticket_unlink_fails_returns_its_answer(tmp_path, monkeypatch):
    lane, failed = _lane(tmp_path), []
    got = await _search(lane, TH, lambda: _failing_once(monkeypatch, "unlink", failed))
    assert failed  # removing its ticket did fail
    assert got == "answered"
    assert await _search(lane, VN) == "answered"  # the ticket left behind, unlocked, is a dead one: removed
    assert list((tmp_path / "search-queue").glob("*-*-*.lock")) == []
