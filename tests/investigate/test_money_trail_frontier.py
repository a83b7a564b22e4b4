"""A money trail's hop reads each frontier account once per run of overlapping time windows of its
trails, and each trail takes only the transfers of its own window's days (attack round 55, 3: a
frontier entry per trail's window made the store walk a busy account's transfers once per trail
reaching it: 1,000 trails into one account, 1.1M rows for a hop, past Neo4j's 30 s timeout;
a-57, 1 and 2: one entry over all of an account's windows let transfers no trail wanted fill the
hop's cap, and every trail scanning every transfer in Python held the worker for a minute)."""

import pytest

from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.investigate import trail_windows
from graphapi.investigate.money import money_trail
from graphapi.security import Principal

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]
TH = Principal("ana-th", agency="TH-DSI")


def _transfer(tid: str, start: str, end: str, at: str) -> EdgeRecord:
    return EdgeRecord("TRANSFERRED_TO", tid, start, end, {"at": at, "amount": 1.0, "currency": "USD"})


async def _hub(store) -> None:
    """Eight transfers A -> B at 01:00..08:00, one on from B at each of 02:30, 05:30 and 09:30."""
    recs: list = [NodeRecord("BankAccount", a, {"accountKey": a}) for a in ("acc-a", "acc-b", "acc-c")]
    recs += [_transfer(f"in-{h}", "acc-a", "acc-b", f"2025-01-01T{h:02d}:00:00Z") for h in range(1, 9)]
    recs += [_transfer(f"out-{h}", "acc-b", "acc-c", f"2025-01-01T{h:02d}:30:00Z") for h in (2, 5, 9)]
    await write_records(store, recs, provenance=Provenance(owner="TH-DSI", tlp="GREEN"), source="hub")


async def _second_hop_frontier(store, **kw) -> tuple[list, object]:
    asked, real = [], store.read

    async def spy(name, params=None, **more):
        if name == "analytics/transfer_step":
            asked.append(params["frontier"])
        return await real(name, params, **more)

    store.read = spy
    try:
        found = await money_trail(store, TH, "acc-a", max_hops=2, **kw)
    finally:
        store.read = real
    return asked[1], found


async def test_a_hop_asks_once_for_an_account_many_trails_reach(empty_store):
    await _hub(empty_store)
    frontier, _ = await _second_hop_frontier(empty_store)
    # the earliest trail's window, from its day (a transfer dated to the day may follow it)
    assert [(f["id"], f["low"], f["high"]) for f in frontier] == [("acc-b", "2025-01-01", None)]


async def test_each_trail_takes_only_the_transfers_in_its_own_window(empty_store):
    await _hub(empty_store)
    _, found = await _second_hop_frontier(empty_store, max_gap="PT2H")
    onward = sorted((t.transfers[0].id, t.transfers[1].id) for t in found.trails if len(t.transfers) == 2)
    assert onward == [("in-1", "out-2"), ("in-2", "out-2"), ("in-4", "out-5"), ("in-5", "out-5"), ("in-8", "out-9")]
    assert sorted(t.transfers[0].id for t in found.trails if len(t.transfers) == 1) == ["in-3", "in-6", "in-7"]


async def test_a_hop_past_its_budget_of_checks_says_truncated(empty_store, monkeypatch):
    await _hub(empty_store)
    monkeypatch.setattr(trail_windows, "MAX_CHECKS", 2)
    monkeypatch.setattr("graphapi.investigate.money.MAX_CHECKS", 2)
    found = await money_trail(empty_store, TH, "acc-a", max_hops=2)
    assert found.truncated is True
