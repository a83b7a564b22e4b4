"""A read that runs on past its slot (:meth:`Turn.outlast`, coTravelGroups' crossings read) whose
ticket cannot turn ``over-`` (ENOSPC renaming it, EMFILE opening the queue lock) gives its slot back
all the same and keeps its ticket, still ``run-``, till its statement ends (attack round a-93, 3:
the failed rename skipped the release, the slot's lock held for the worker's life, every later
broad search RATE_LIMITED, and the read ended in a raw OSError, a 500). No store."""

import asyncio
import errno

import pytest

from graphapi.investigate.search_queue import COTRAVEL_LANE, SearchQueue, SearchQueueBusy
from graphapi.security import Principal
from tests.investigate.disk_faults import fail_once

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
VN = Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"}))


@pytest.fixture
def rename_to_over_fails(monkeypatch):
    """Renaming a ticket ``over-`` fails once, as on a full disk."""
    return fail_once(monkeypatch, "rename", errno.ENOSPC, lambda src, dst, *_: "over-" in str(dst))


def _lane(tmp_path) -> SearchQueue:
    return SearchQueue(tmp_path / "search-queue", 1, 4, 1.0, lane=COTRAVEL_LANE, hold_s=0.5)


async def _outlasting(lane: SearchQueue, statement: asyncio.Future) -> str:
    async with lane.turn(TH) as turn:
        turn.outlast(statement)  # not answered within the slot's hold
    return "slot given back"


async def _read(lane: SearchQueue, principal: Principal) -> str:
    async with lane.turn(principal, wait_s=0.3):
        return "ran"


async def test_an_outlasting_read_whose_ticket_cannot_turn_over_gives_its_slot_back(tmp_path, rename_to_over_fails):
    lane, statement = _lane(tmp_path), asyncio.get_running_loop().create_future()
    assert await _outlasting(lane, statement) == "slot given back"  # was a raw OSError
    assert rename_to_over_fails
    assert await _read(lane, VN) == "ran"  # was RATE_LIMITED: the slot's lock held by a lost descriptor
    statement.set_result(None)


async def test_an_outlasting_read_whose_ticket_cannot_turn_over_holds_its_agency_back_till_it_ends(
        tmp_path, rename_to_over_fails):
    lane, statement = _lane(tmp_path), asyncio.get_running_loop().create_future()
    await _outlasting(lane, statement)
    assert [p.name.split("-")[0] for p in (tmp_path / "search-queue").glob("*-*-*.lock")] == ["run"]
    with pytest.raises(SearchQueueBusy):  # its next read waits out its wait
        await _read(lane, TH)
    statement.set_result(None)
    await asyncio.sleep(0)  # its done callback: the ticket leaves
    assert list((tmp_path / "search-queue").glob("*-*-*.lock")) == []
    assert await _read(lane, TH) == "ran"
