"""A transfer dated to the day (an FIU's or a court's export of an FtM Payment: ``2024-11-05``) or
to the minute follows one timed to the second that same day or minute: the trail compares their
times at the coarser precision, as it merges reports of one transfer (attack round a-56, F6:
stored times compared as text made ``2024-11-05`` come before ``2024-11-05T03:00:42``, and the
trail stopped)."""

import pytest

from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.investigate.money import money_trail
from graphapi.security import Principal

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]
TH = Principal("ana-th", agency="TH-DSI")


async def _chain(store, onward_at: str) -> None:
    recs: list = [NodeRecord("BankAccount", a, {"accountKey": a}) for a in ("acc-a", "acc-b", "acc-c")]
    recs += [EdgeRecord("TRANSFERRED_TO", "t-1", "acc-a", "acc-b", {"at": "2024-11-05T03:00:42Z", "amount": 100.0}),
             EdgeRecord("TRANSFERRED_TO", "t-2", "acc-b", "acc-c", {"at": onward_at, "amount": 90.0})]
    await write_records(store, recs, provenance=Provenance(owner="TH-DSI", tlp="GREEN"), source="fiu")


@pytest.mark.parametrize("onward_at", ["2024-11-05", "2024-11-05T03:00"], ids=["day", "minute"])
async def test_a_coarser_dated_onward_transfer_the_same_day_is_followed_downstream(empty_store, onward_at):
    await _chain(empty_store, onward_at)
    found = await money_trail(empty_store, TH, "acc-a", "DOWNSTREAM")
    assert [[t.id for t in trail.transfers] for trail in found.trails] == [["t-1", "t-2"]]


@pytest.mark.parametrize("onward_at", ["2024-11-05", "2024-11-05T03:00"], ids=["day", "minute"])
async def test_a_coarser_dated_transfer_the_same_day_is_followed_upstream(empty_store, onward_at):
    await _chain(empty_store, onward_at)
    found = await money_trail(empty_store, TH, "acc-c", "UPSTREAM")
    assert [[t.id for t in trail.transfers] for trail in found.trails] == [["t-2", "t-1"]]


async def test_a_transfer_dated_the_day_before_still_comes_before(empty_store):
    await _chain(empty_store, "2024-11-04")
    found = await money_trail(empty_store, TH, "acc-a", "DOWNSTREAM")
    assert [[t.id for t in trail.transfers] for trail in found.trails] == [["t-1"]]

