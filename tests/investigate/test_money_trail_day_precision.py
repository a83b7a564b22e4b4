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


async def _chain(store, onward_at: str, first_at: str = "2024-11-05T03:00:42Z") -> None:
    recs: list = [NodeRecord("BankAccount", a, {"accountKey": a}) for a in ("acc-a", "acc-b", "acc-c")]
    recs += [EdgeRecord("TRANSFERRED_TO", "t-1", "acc-a", "acc-b", {"at": first_at, "amount": 100.0}),
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



async def test_a_date_alone_counts_its_gap_from_any_time_of_its_day(empty_store):
    # a-57, 3: the gap's bound was written +00:00, which the precision rule did not read, and a
    # date's gap ran from its midnight
    await _chain(empty_store, "2024-11-05T10:00:00Z", first_at="2024-11-05")
    down = await money_trail(empty_store, TH, "acc-a", "DOWNSTREAM", max_gap="PT6H")
    up = await money_trail(empty_store, TH, "acc-c", "UPSTREAM", max_gap="PT6H")
    assert ([[t.id for t in x.transfers] for x in down.trails], [[t.id for t in x.transfers] for x in up.trails]) == (
        [["t-1", "t-2"]], [["t-2", "t-1"]])


async def test_a_transfer_exactly_the_gap_after_is_in_the_window(empty_store):
    await _chain(empty_store, "2024-11-05T09:00:42Z")
    found = await money_trail(empty_store, TH, "acc-a", "DOWNSTREAM", max_gap="PT6H")
    assert [[t.id for t in trail.transfers] for trail in found.trails] == [["t-1", "t-2"]]
