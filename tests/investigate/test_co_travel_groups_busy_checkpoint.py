"""A group crossing together at a checkpoint with steady traffic is found: a run of more than
MAX_CROWD people chained by the traffic is cut at its longest gaps into pieces spanning at most the
window (attack round a-56, F8: one other traveller every 90 minutes chained the week into one run
of 116 people, left out as a crowd, and the group of four crossing together on two days was never
found; a partner's GREEN filler crossings could so erase every group at a checkpoint)."""

from datetime import datetime, timedelta

import pytest

from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.investigate import cotravel_groups
from graphapi.investigate.cotravel_groups import co_travel_groups
from graphapi.security import Principal

TH = Principal("ana-th", agency="TH-DSI")
START = datetime(2026, 5, 1)
GROUP = [f"per-g{k}" for k in range(4)]


def _crossing(cid: str, person: str, at: datetime) -> list:
    return [NodeRecord("Person", person, {"name": person}),
            EdgeRecord("CROSSED", cid, person, "bcp-busy", {"at": at.isoformat(), "direction": "exit"})]


async def _busy_week(store, every_minutes: int) -> None:
    """The group within ten minutes on days 2 and 5, and one other traveller every ``every_minutes``."""
    recs: list = [NodeRecord("BorderCheckpoint", "bcp-busy", {"name": "Busy Bridge", "kind": "land"})]
    for day in (2, 5):
        for k, person in enumerate(GROUP):
            recs += _crossing(f"g{day}-{k}", person, START + timedelta(days=day, hours=10, minutes=3 * k))
    t, n = START, 0
    while t < START + timedelta(days=7):
        recs += _crossing(f"b{n}", f"per-b{n}", t)
        t, n = t + timedelta(minutes=every_minutes), n + 1
    await write_records(store, recs, provenance=Provenance(owner="TH-DSI", tlp="GREEN"), source="imm")


@pytest.mark.asyncio(loop_scope="session")
@pytest.mark.backends
@pytest.mark.parametrize(("every", "window"), [(90, 2), (10, 0.25)], ids=["every-90-min", "every-10-min"])
async def test_a_group_is_found_among_a_busy_checkpoints_steady_traffic(empty_store, every, window):
    await _busy_week(empty_store, every)
    found = await co_travel_groups(empty_store, TH, window=window)
    assert [sorted(m.id for m in g.members) for g in found.groups] == [GROUP]
    assert (found.crowds, [len(g.occasions) for g in found.groups]) == (0, [2])


def test_a_rush_within_one_window_stays_a_crowd():
    rush = [cotravel_groups._Crossing(f"c{i}", f"p{i}", "bcp", "exit", START + timedelta(seconds=i))
            for i in range(cotravel_groups.MAX_CROWD + 1)]
    assert [len(piece) for piece in cotravel_groups._crowd_pieces(rush, timedelta(hours=1))] == [101]


def test_a_crowded_chain_is_cut_at_its_longest_gaps_into_pieces_within_the_window():
    minutes = [0, 1, 2, 30, 31, 90, 91, 92] + [200 + 20 * i for i in range(cotravel_groups.MAX_CROWD)]
    run = [cotravel_groups._Crossing(f"c{i}", f"p{i}", "bcp", "exit", START + timedelta(minutes=m))
           for i, m in enumerate(minutes)]
    pieces = cotravel_groups._crowd_pieces(run, timedelta(minutes=45))
    assert [len(p) for p in pieces[:3]] == [5, 3, 3]
    assert all(p[-1].at - p[0].at <= timedelta(minutes=45) for p in pieces)
