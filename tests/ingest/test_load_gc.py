"""The collector while a load runs: what the load keeps is frozen, and unfrozen when it ends,
unless the process froze its start-up for good (a served app)."""

import gc

import pytest

from graphapi.ingest import load_gc, record_tap
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.base import ReadStats
from graphapi.ingest.records import EdgeRecord, Origin


def _calls(n: int, during=None):
    """A reader of ``n`` calls that calls ``during(i)`` before yielding call ``i``."""

    class Calls:
        stats = ReadStats(rows=n)

        def records(self):
            for i in range(n):
                if during is not None:
                    during(i)
                yield EdgeRecord("CALLED", f"called:{i}", "phone:+66812345678", "phone:+66812345679", {},
                                 Origin("cdr", "cdr.csv", i + 2))

    return Calls()


@pytest.fixture
def freezing_every_ten(monkeypatch):
    monkeypatch.setattr(record_tap, "FREEZE_EVERY", 10)
    monkeypatch.setattr(load_gc, "_served", False)
    assert gc.get_freeze_count() == 0


async def test_a_load_freezes_what_it_keeps_while_it_runs_and_unfreezes_it_after(freezing_every_ten):
    frozen = []
    await run_load(None, _calls(30, lambda i: frozen.append(gc.get_freeze_count())), source="cdr", dry_run=True)
    assert frozen[:10] == [0] * 10 and all(frozen[10:])  # frozen once ten records had passed
    assert gc.get_freeze_count() == 0


@pytest.fixture
def gc_calls(monkeypatch):
    """The load's calls of gc.freeze and gc.unfreeze, in order (made, then recorded)."""
    calls = []
    for name in ("freeze", "unfreeze"):
        real = getattr(gc, name)
        monkeypatch.setattr(gc, name, lambda real=real, name=name: (calls.append(name), real())[1])
    return calls


async def test_a_load_in_a_process_that_froze_its_start_up_neither_freezes_nor_unfreezes(freezing_every_ten,
                                                                                          gc_calls):
    gc.freeze()
    try:
        gc_calls.clear()
        await run_load(None, _calls(30), source="cdr", dry_run=True)
        assert gc_calls == []
    finally:
        gc.unfreeze()


async def test_a_load_running_when_the_app_freezes_its_start_up_leaves_that_freeze_in_place(freezing_every_ten,
                                                                                             gc_calls):
    def serving_starts(i):
        if i == 15:  # the API's lifespan ends while its gazetteers load in the background
            load_gc.keep_frozen()
            gc.collect()
            gc.freeze()

    try:
        await run_load(None, _calls(30, serving_starts), source="cdr", dry_run=True)
        assert gc_calls == ["freeze", "freeze"]  # the load's first (ten records), then the app's only
    finally:
        gc.unfreeze()
