"""``coTravelGroups`` keeps its in-process work within :data:`MAX_WORK` however many occasions
the crossings make (attack round 4, H4, the rest of round 3's G6). Listing a group's occasions
walks every bit position of the group's occasion mask (``bits >> i & 1`` for each ``i`` below its
``bit_length``), each step copying a mask as long as the occasion count: with 20,000 lone
crossings at checkpoints sorting first and 1,000 pairs crossing together last, one request
(cost 10,000, min_occurrences 1) held the event loop 19 s (9 s of CPU) on the embedded store;
none of it is counted in the work budget. Counted here as the bit positions scanned (no timing),
with the budget and the data scaled down together."""

from datetime import datetime, timedelta

import pytest

import graphapi.investigate.cotravel_groups as groups_module
from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.investigate.cotravel_groups import co_travel_groups
from graphapi.security import Principal

pytestmark = pytest.mark.asyncio(loop_scope="session")

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
T0 = datetime(2025, 1, 1)
LONE, PAIRS = 2_000, 100


def _crossing(cid: str, person: str, checkpoint: str, at: datetime) -> EdgeRecord:
    return EdgeRecord("CROSSED", cid, person, checkpoint, {"at": at.isoformat(), "direction": "entry"})


async def _lone_crossings_then_pairs(store) -> None:
    """LONE crossings one minute apart (each an occasion of one) at checkpoints sorting before
    bcp-z, where PAIRS pairs each cross together once."""
    recs = [NodeRecord("BorderCheckpoint", "bcp-z", {"name": "Z"})]
    recs += [NodeRecord("BorderCheckpoint", f"bcp-a{i:02d}", {"name": f"A{i}"}) for i in range(LONE // 100)]
    recs += [NodeRecord("Person", f"per-f{i:02d}", {"name": f"F{i}"}) for i in range(100)]
    recs += [_crossing(f"cr-f{i}", f"per-f{i % 100:02d}", f"bcp-a{i // 100:02d}", T0 + timedelta(minutes=i))
             for i in range(LONE)]
    for k in range(PAIRS):
        for j in (0, 1):
            recs.append(NodeRecord("Person", f"per-p{k}-{j}", {"name": f"P{k} {j}"}))
            recs.append(_crossing(f"cr-p{k}-{j}", f"per-p{k}-{j}", "bcp-z", T0 + timedelta(minutes=k, seconds=j)))
    await write_records(store, recs, provenance=Provenance(owner="TH-DSI", tlp="GREEN"), source="s")



async def test_listing_the_groups_occasions_stays_within_the_work_budget(backend_empty_store, monkeypatch):
    await _lone_crossings_then_pairs(backend_empty_store)
    monkeypatch.setattr(groups_module, "MAX_WORK", 20_000)  # the pairs' own grouping takes ~10,000
    scanned = []

    def counting_range(*args):
        scanned.append(range(*args).stop - range(*args).start)
        return range(*args)

    monkeypatch.setattr(groups_module, "range", counting_range, raising=False)
    found = await co_travel_groups(backend_empty_store, TH, window=0.01, min_size=2, min_occurrences=1, limit=100)
    assert len(found.groups) == PAIRS
    assert sum(scanned) <= groups_module.MAX_WORK


async def _pairs_in_one_long_quiet_run(store, fillers: int) -> None:
    """Five people cross bcp-busy together with one traveller's ``fillers`` crossings a second
    apart (one quiet run: six people); each two of the five also crossed once together elsewhere
    (ten groups of two on two occasions, each listing that run)."""
    five = [f"per-s{i}" for i in range(5)]
    recs = [NodeRecord("BorderCheckpoint", "bcp-busy", {"name": "Busy"}), NodeRecord("Person", "per-f", {"name": "F"})]
    recs += [NodeRecord("Person", p, {"name": p}) for p in five]
    recs += [_crossing(f"cr-s{i}", p, "bcp-busy", T0 + timedelta(days=3)) for i, p in enumerate(five)]
    recs += [_crossing(f"cr-f{n}", "per-f", "bcp-busy", T0 + timedelta(days=3, seconds=n)) for n in range(fillers)]
    for k, (a, b) in enumerate((a, b) for i, a in enumerate(five) for b in five[i + 1:]):
        recs.append(NodeRecord("BorderCheckpoint", f"bcp-x{k}", {"name": f"X{k}"}))
        recs += [_crossing(f"cr-x{k}-{p}", p, f"bcp-x{k}", T0 + timedelta(days=1, minutes=k)) for p in (a, b)]
    await write_records(store, recs, provenance=Provenance(owner="TH-DSI", tlp="GREEN"), source="s")


async def test_listing_the_groups_stops_where_walking_their_occasions_passes_the_work_budget(
        backend_empty_store, monkeypatch):
    await _pairs_in_one_long_quiet_run(backend_empty_store, 600)
    # listing the first group walks the run's 605 crossings, once for all ten (~60 more)
    monkeypatch.setattr(groups_module, "MAX_LISTING_WORK", 500)
    found = await co_travel_groups(backend_empty_store, TH, window=2)
    assert (found.groups, found.truncated) == ([], True)
    monkeypatch.setattr(groups_module, "MAX_LISTING_WORK", 700)
    found = await co_travel_groups(backend_empty_store, TH, window=2)
    assert (len(found.groups), [len(o.crossings) for o in found.groups[0].occasions], found.truncated) == (
        10, [2, 2], False)
