"""A write whose mark file cannot be made (EMFILE, ENOSPC, EACCES on the queue folder) is refused
and leaves no count behind: the count stuck at 1 held every later write's mark for the life of the
process, and every broad search of every agency waited LINTAS_SEARCH_YIELD_TO_WRITES_S behind a
write long over (attack round 31c)."""

from __future__ import annotations

import asyncio
import errno
import os

import pytest

from graphapi.store import write_marks
from graphapi.store.write_marks import WriteMark, writes_waiting

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_a_write_whose_mark_could_not_be_made_leaves_no_mark_held_after_later_writes(tmp_path, monkeypatch):
    mark = WriteMark(tmp_path, linger_s=0.05)
    real_open = os.open
    failures = iter([OSError(errno.EMFILE, "Too many open files")])

    def open_once_failing(*args, **kwargs):
        err = next(failures, None)
        if err is not None:
            raise err
        return real_open(*args, **kwargs)

    monkeypatch.setattr(write_marks.os, "open", open_once_failing)
    with pytest.raises(OSError), mark.writing():
        pass  # the write itself fails here (a write failed only for want of a descriptor for the mark)
    with mark.writing():  # the process's next write, once descriptors are free again
        pass
    await asyncio.sleep(0.3)  # six times the linger
    assert not writes_waiting(tmp_path), "the mark is held for as long as the process lives"
