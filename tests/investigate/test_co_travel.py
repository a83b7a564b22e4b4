"""Co-travel on the planted crossings: the three who crossed with T1 on both days, nobody else."""

import pytest

from graphapi.errors import InvalidArgument
from graphapi.investigate import cotravel
from graphapi.investigate.cotravel import co_travellers
from graphapi.security import DEMO_PRINCIPAL, Principal

pytestmark = pytest.mark.asyncio(loop_scope="session")

TH_DSI = Principal("analyst-th", agency="TH-DSI")


async def test_co_travellers_are_the_three_who_crossed_with_t1_on_both_days(planted_store):
    store, p = planted_store
    found = await co_travellers(store, DEMO_PRINCIPAL, p.people["T1"])
    # Ties by the id shown: T2 is a victim, shown as its vid: token, which sorts after per-pl-t4.
    assert [(t.person.id, len(t.occasions)) for t in found.travellers] == [
        (p.people["T3"], 2), (p.people["T4"], 2), (p.people["T2"], 2)]
    t2 = found.travellers[2]
    assert [o.crossing.id for o in t2.occasions] == [p.crossings["T1-1"], p.crossings["T1-2"]]
    assert [[x.id for x in o.theirs] for o in t2.occasions] == [[p.crossings["T2-1"]], [p.crossings["T2-2"]]]
    assert found.truncated is False


async def test_co_travel_other_direction_and_outside_window_do_not_count(planted_store):
    store, p = planted_store
    once = await co_travellers(store, DEMO_PRINCIPAL, p.people["T1"], min_occurrences=1)
    ids = {t.person.id for t in once.travellers}
    assert p.people["T-entry"] not in ids and p.people["T-late"] not in ids
    wide = await co_travellers(store, DEMO_PRINCIPAL, p.people["T1"], window=4, min_occurrences=1)
    assert p.people["T-late"] in {t.person.id for t in wide.travellers}


async def test_co_travel_hidden_crossings_never_count(planted_store):
    store, p = planted_store
    demo = await co_travellers(store, DEMO_PRINCIPAL, p.people["T1"], min_occurrences=1)
    owner = await co_travellers(store, TH_DSI, p.people["T1"])
    assert p.people["T-hidden"] not in {t.person.id for t in demo.travellers}
    assert p.people["T-hidden"] in {t.person.id for t in owner.travellers}


async def test_co_travel_checkpoint_filter_and_bad_window(planted_store):
    store, p = planted_store
    elsewhere = await co_travellers(store, DEMO_PRINCIPAL, p.people["T1"], checkpoints=["bcp-pl-noise"])
    assert elsewhere.travellers == []
    with pytest.raises(InvalidArgument, match="window"):
        await co_travellers(store, DEMO_PRINCIPAL, p.people["T1"], window=0)


async def test_co_travel_limit_keeps_the_first_ranked_and_says_truncated(planted_store):
    store, p = planted_store
    found = await co_travellers(store, DEMO_PRINCIPAL, p.people["T1"], limit=1)
    assert [t.person.id for t in found.travellers] == [p.people["T3"]] and found.truncated is True


async def test_co_travel_needs_a_person(planted_store):
    store, p = planted_store
    with pytest.raises(InvalidArgument, match="person"):
        await co_travellers(store, DEMO_PRINCIPAL, "bcp-pl-1")


class _CountingOccasions:
    """The store, counting the occasions sent to ``analytics/crossings_near``."""

    def __init__(self, store):
        self._store, self.occasions_sent = store, 0

    def __getattr__(self, name):
        return getattr(self._store, name)

    async def read(self, name, params=None, **placeholders):
        if name == "analytics/crossings_near":
            self.occasions_sent += len(params["occasions"])
        return await self._store.read(name, params, **placeholders)


async def test_co_travel_read_an_occasion_at_a_time_gives_the_same_travellers(planted_store, monkeypatch):
    store, p = planted_store
    monkeypatch.setattr(cotravel, "OCCASIONS_PER_READ", 1)
    found = await co_travellers(store, DEMO_PRINCIPAL, p.people["T1"])
    assert [(t.person.id, len(t.occasions)) for t in found.travellers] == [
        (p.people["T3"], 2), (p.people["T4"], 2), (p.people["T2"], 2)]
    assert found.truncated is False


async def test_co_travel_stops_reading_occasions_once_the_row_cap_is_reached(planted_store, monkeypatch):
    """The row cap bounds the store's work, not only the rows kept (attack G7: a busy checkpoint
    held a store thread for the whole statement timeout before the cap applied)."""
    store, p = planted_store
    monkeypatch.setattr(cotravel, "OCCASIONS_PER_READ", 1)
    monkeypatch.setattr(cotravel, "ROW_CAP", 1)
    counting = _CountingOccasions(store)
    found = await co_travellers(counting, DEMO_PRINCIPAL, p.people["T1"], min_occurrences=1)
    assert counting.occasions_sent == 1  # T1 crossed twice; the first occasion already filled the cap
    assert found.truncated is True
