"""A look of the search queue that fails on the disk (ENOSPC, EIO on the queue folder) while or after taking a
free slot for a ticket gives the slot back and fails the search as a LintasError (attack round a-92,
3: the popped slot's descriptor was neither closed nor handed over, so its lock stayed held for the
worker's life and every later broad search was RATE_LIMITED; the search ended in a raw OSError, a
500). No store."""

import errno
import fcntl
import os

import pytest

from graphapi.errors import LintasError, public_error
from graphapi.investigate.search_queue import SearchQueue
from graphapi.security import Principal
from graphapi.security.filelock import try_lock
from tests.investigate.disk_faults import fail_once

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
VN = Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"}))


@pytest.fixture
def full_disk_once(monkeypatch):
    """The next write of a slot's deadline fails as on a full disk; the disk has room after."""
    return fail_once(monkeypatch, "pwrite", errno.ENOSPC)


def _lane(tmp_path) -> SearchQueue:
    return SearchQueue(tmp_path / "search-queue", 1, 4, 2.0, hold_s=0.5)


async def _search(lane: SearchQueue, principal: Principal) -> str:
    async with lane.turn(principal):
        return "ran"


async def test_a_look_failing_to_write_its_slots_deadline_gives_the_slot_back(tmp_path, full_disk_once):
    lane = _lane(tmp_path)
    with pytest.raises(Exception):  # noqa: B017, PT011 - what it raises is the next test's
        await _search(lane, TH)
    assert full_disk_once  # the deadline's write did fail
    slot = try_lock(tmp_path / "search-queue" / "broad-0.lock")
    assert slot is not None  # was held by the failed look's lost descriptor
    os.close(slot)
    assert await _search(lane, VN) == "ran"  # was RATE_LIMITED after its whole wait
    assert list((tmp_path / "search-queue").glob("wait-*")) == []


async def test_a_look_failing_on_the_disk_fails_the_search_as_a_lintas_error(tmp_path, full_disk_once):
    with pytest.raises(LintasError) as failed:  # was a raw OSError: an internal error, a 500
        await _search(_lane(tmp_path), TH)
    assert public_error(failed.value)[0] == "SERVICE_UNAVAILABLE"


def _slots_free(folder, slots: int) -> list[bool]:
    free = []
    for i in range(slots):
        if (fd := try_lock(folder / f"broad-{i}.lock")) is not None:
            os.close(fd)
        free.append(fd is not None)
    return free


async def test_a_look_failing_to_read_a_slots_deadline_gives_the_slot_back(tmp_path, monkeypatch):
    # attack round a-93, 4: _free_slots closed nothing when it failed partway
    lane = _lane(tmp_path)
    assert await _search(lane, TH) == "ran"  # the slot file exists
    failed = fail_once(monkeypatch, "pread", errno.EIO)
    with pytest.raises(LintasError) as refused:
        await _search(lane, TH)
    assert failed
    assert public_error(refused.value)[0] == "SERVICE_UNAVAILABLE"
    assert _slots_free(tmp_path / "search-queue", 1) == [True]  # was held for the worker's life
    assert await _search(lane, VN) == "ran"  # was RATE_LIMITED after its whole wait


async def test_a_look_failing_to_open_its_second_slot_gives_the_first_back(tmp_path, monkeypatch):
    lane = SearchQueue(tmp_path / "search-queue", 2, 4, 2.0, hold_s=0.5)
    assert await _search(lane, TH) == "ran"
    # the worker out of descriptors as it opens the second slot
    failed = fail_once(monkeypatch, "open", errno.EMFILE, lambda path, *_: str(path).endswith("broad-1.lock"))
    with pytest.raises(LintasError) as refused:
        await _search(lane, TH)
    assert failed
    assert public_error(refused.value)[0] == "SERVICE_UNAVAILABLE"
    assert _slots_free(tmp_path / "search-queue", 2) == [True, True]  # slot 0 was held by a lost descriptor


async def test_a_look_whose_slot_lock_fails_leaves_no_descriptor_open(tmp_path, monkeypatch):
    lane = _lane(tmp_path)
    assert await _search(lane, TH) == "ran"
    opened = len(os.listdir("/proc/self/fd"))
    real, failed = fcntl.flock, []

    def flock(fd, operation):
        if not failed and os.readlink(f"/proc/self/fd/{fd}").endswith("broad-0.lock"):
            failed.append(fd)
            raise OSError(errno.ENOLCK, "No locks available")  # not "held by another": a failure
        return real(fd, operation)

    monkeypatch.setattr(fcntl, "flock", flock)
    with pytest.raises(LintasError):
        await _search(lane, TH)
    assert failed
    assert len(os.listdir("/proc/self/fd")) == opened  # the slot's descriptor was lost, never closed
