"""One agency's ``coTravelGroups`` requests hold at most ``MAX_IN_FLIGHT_PER_AGENCY`` places in
the process: past it that agency's next request is refused, saying so, and
another agency's request is still served (attack round a-74, 3: eight requests of one agency,
slow in their reads, took every place and another agency's was refused ``RATE_LIMITED``)."""

import asyncio

import pytest

import graphapi.investigate.cotravel_threads as threads_module
from graphapi.errors import public_error
from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.investigate.cotravel_groups import co_travel_groups
from graphapi.security import Principal

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
TH_OTHER = Principal("analyst-th-2", agency="TH-DSI", roles=frozenset({"analyst"}))
VN = Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"}))


async def _two_crossing_together_twice(store) -> None:
    recs = [NodeRecord("BorderCheckpoint", "bcp-a", {"name": "A"})]
    recs += [NodeRecord("Person", p, {"name": p}) for p in ("per-a", "per-b")]
    recs += [EdgeRecord("CROSSED", f"x{d}-{p}", p, "bcp-a", {"at": f"2025-01-0{d}T10:0{k}:00", "direction": "exit"})
             for d in (1, 2) for k, p in enumerate(("per-a", "per-b"))]
    await write_records(store, recs, provenance=Provenance(owner="TH-DSI", tlp="GREEN"), source="imm")


def _th_reads_held(store, monkeypatch) -> tuple[asyncio.Event, list[None]]:
    """TH-DSI's crossings reads wait for ``release`` (slow reads: a statement timeout's worth);
    the reads waiting, counted."""
    release, waiting, read = asyncio.Event(), [], store.read

    async def held(name, params=None, **kwargs):
        if name == "analytics/crossings_between" and params and params.get("agency") == "TH-DSI":
            waiting.append(None)
            await release.wait()
        return await read(name, params, **kwargs)

    monkeypatch.setattr(store, "read", held)
    return release, waiting


async def test_another_agencys_request_is_served_while_one_agency_holds_all_it_may(empty_store, monkeypatch):
    await _two_crossing_together_twice(empty_store)
    release, waiting = _th_reads_held(empty_store, monkeypatch)
    held = [asyncio.ensure_future(co_travel_groups(empty_store, TH))
            for _ in range(threads_module.MAX_IN_FLIGHT_PER_AGENCY + 2)]
    try:
        while len(waiting) + sum(t.done() for t in held) < len(held):
            await asyncio.sleep(0.01)
        served = await co_travel_groups(empty_store, VN, since="2030-01-01T00:00:00", until="2030-01-02T00:00:00")
    finally:
        release.set()
        answers = await asyncio.gather(*held, return_exceptions=True)
    assert (served.groups, served.truncated) == ([], False)  # was GroupingsBusy, RATE_LIMITED
    assert len(waiting) == threads_module.MAX_IN_FLIGHT_PER_AGENCY == 6
    refused = [public_error(a) for a in answers if isinstance(a, threads_module.GroupingsBusy)]
    assert refused == [("RATE_LIMITED", "your agency already has 6 coTravelGroups requests running or waiting "
                        "on this server, as many as it may have; retry when one ends")] * 2
    assert [[m.id for m in g.members] for a in answers if not isinstance(a, Exception) for g in a.groups] == [
        ["per-a", "per-b"]] * 6


async def test_an_agencys_share_counts_every_analyst_of_it(empty_store, monkeypatch):
    await _two_crossing_together_twice(empty_store)
    release, waiting = _th_reads_held(empty_store, monkeypatch)
    held = [asyncio.ensure_future(co_travel_groups(empty_store, TH))
            for _ in range(threads_module.MAX_IN_FLIGHT_PER_AGENCY)]
    try:
        while len(waiting) < len(held):
            await asyncio.sleep(0.01)
        with pytest.raises(threads_module.GroupingsBusy):
            await co_travel_groups(empty_store, TH_OTHER)
    finally:
        release.set()
        await asyncio.gather(*held)
